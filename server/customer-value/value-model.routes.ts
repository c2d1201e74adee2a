import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errors } from '../http/common.schemas.js';
import { routeSpec } from '../http/route-spec.js';
import { ADMINS, SUPERVISORS, actorOf } from '../plugins/auth.plugin.js';
import { ValueModelView } from './customer-value.schemas.js';
import { ValueModel } from './value-model.js';
import type { ValueModelService } from './value-model.service.js';

// Supervisors read the model (it explains tiers); only admins change it.
const route = routeSpec(['customer value'], SUPERVISORS);

export const valueModelRoutes: FastifyPluginAsyncTypebox<{ models: ValueModelService }> = async (
  app,
  { models },
) => {
  app.get(
    '/value-model',
    route('The value model in force (tiers, weights, recent days, currency and rates) and its source', {
      response: { 200: ValueModelView, ...errors(401, 403) },
    }),
    async () => models.view(),
  );

  app.put(
    '/value-model',
    route(
      'Replace the value model (fields left out take their defaults): in force at once and for the nightly run, a recomputation starts now; audited',
      { body: ValueModel, response: { 200: ValueModelView, ...errors(400, 401, 403) } },
      ADMINS,
    ),
    async (request) => models.update(actorOf(request), request.body, request.ip),
  );
};
