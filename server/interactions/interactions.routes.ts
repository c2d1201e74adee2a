import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ALL_ROLES, actorOf } from '../plugins/auth.plugin.js';
import { errors, IdParams } from '../http/common.schemas.js';
import { routeSpec } from '../http/route-spec.js';
import type { InteractionsService } from './interactions.service.js';
import { InteractionDetail, InteractionListQuery, InteractionPage } from './interactions.schemas.js';

const route = routeSpec(['interactions'], ALL_ROLES);

export const interactionsRoutes: FastifyPluginAsyncTypebox<{ interactions: InteractionsService }> = async (
  app,
  { interactions },
) => {
  app.get(
    '',
    route('List interactions, newest first; agents must filter by customerId or their own agentId', {
      querystring: InteractionListQuery,
      response: { 200: InteractionPage, ...errors(400, 401, 403) },
    }),
    async (request) => interactions.list(actorOf(request), request.query),
  );

  app.get(
    '/:id',
    route(
      'One interaction with its event timeline. Agents: their own calls and calls of customers; recordings of their own only',
      {
        params: IdParams,
        response: { 200: InteractionDetail, ...errors(400, 401, 404) },
      },
    ),
    async (request) => interactions.readBy(actorOf(request), request.params.id),
  );
};
