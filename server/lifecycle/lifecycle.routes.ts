import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errors, IdParams } from '../http/common.schemas.js';
import { routeSpec } from '../http/route-spec.js';
import { ADMINS, ALL_ROLES } from '../plugins/auth.plugin.js';
import { CustomerLifecycle, EvaluateAllResult } from './lifecycle.schemas.js';
import type { LifecycleService } from './lifecycle.service.js';

// Everyone who sees the customer sees their lifecycle; running the nightly pass at once is for admins.
const route = routeSpec(['lifecycle'], ALL_ROLES);

export const lifecycleRoutes: FastifyPluginAsyncTypebox<{ lifecycle: LifecycleService }> = async (
  app,
  { lifecycle },
) => {
  app.get(
    '/customers/:id/lifecycle',
    route('The customer’s lifecycle stage, churn-risk score with its reasons, and stage changes', {
      params: IdParams,
      response: { 200: CustomerLifecycle, ...errors(400, 401, 404) },
    }),
    async (request) => lifecycle.lifecycleOf(request.params.id),
  );

  app.post(
    '/lifecycle/evaluate',
    route(
      'Evaluate every customer’s lifecycle stage and churn-risk score now, as the nightly job does',
      { response: { 200: EvaluateAllResult, ...errors(401, 403) } },
      ADMINS,
    ),
    async () => lifecycle.evaluateAll(),
  );
};
