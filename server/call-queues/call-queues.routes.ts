import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ADMINS, ALL_ROLES, actorOf } from '../plugins/auth.plugin.js';
import { errors, IdParams } from '../http/common.schemas.js';
import { routeSpec } from '../http/route-spec.js';
import type { CallQueuesService } from './call-queues.service.js';
import {
  CallQueue,
  CallQueueList,
  CreateCallQueueBody,
  CreateWrapUpCodeBody,
  UpdateCallQueueBody,
  UpdateWrapUpCodeBody,
  WrapUpCode,
  WrapUpCodeList,
  WrapUpCodeListQuery,
} from './call-queues.schemas.js';

const route = routeSpec(['call queues'], ALL_ROLES);
const codeRoute = routeSpec(['wrap-up codes'], ALL_ROLES);

/** Call queues under /api/queues and their wrap-up codes under /api/wrap-up-codes. */
export const callQueuesRoutes: FastifyPluginAsyncTypebox<{ callQueues: CallQueuesService }> = async (
  app,
  { callQueues },
) => {
  app.get(
    '/queues',
    route('All call queues', { response: { 200: CallQueueList, ...errors(401) } }),
    async () => ({ items: callQueues.list() }),
  );
  app.get(
    '/queues/:id',
    route('One call queue', {
      params: IdParams,
      response: { 200: CallQueue, ...errors(400, 401, 404) },
    }),
    async (request) => callQueues.get(request.params.id),
  );
  app.post(
    '/queues',
    route(
      'Create a call queue (admin)',
      {
        body: CreateCallQueueBody,
        response: { 201: CallQueue, ...errors(400, 401, 403, 409) },
      },
      ADMINS,
    ),
    async (request, reply) =>
      reply.code(201).send(callQueues.create(actorOf(request), request.body, request.ip)),
  );
  app.patch(
    '/queues/:id',
    route(
      'Update a call queue (admin)',
      {
        params: IdParams,
        body: UpdateCallQueueBody,
        response: { 200: CallQueue, ...errors(400, 401, 403, 404, 409) },
      },
      ADMINS,
    ),
    async (request) => callQueues.update(actorOf(request), request.params.id, request.body, request.ip),
  );

  app.get(
    '/wrap-up-codes',
    codeRoute('Wrap-up codes, optionally of one set', {
      querystring: WrapUpCodeListQuery,
      response: { 200: WrapUpCodeList, ...errors(400, 401) },
    }),
    async (request) => ({ items: callQueues.listCodes(request.query.setId) }),
  );
  app.post(
    '/wrap-up-codes',
    codeRoute(
      'Create a wrap-up code (admin)',
      {
        body: CreateWrapUpCodeBody,
        response: { 201: WrapUpCode, ...errors(400, 401, 403, 409) },
      },
      ADMINS,
    ),
    async (request, reply) =>
      reply.code(201).send(callQueues.createCode(actorOf(request), request.body, request.ip)),
  );
  app.patch(
    '/wrap-up-codes/:id',
    codeRoute(
      'Update a wrap-up code (admin)',
      {
        params: IdParams,
        body: UpdateWrapUpCodeBody,
        response: { 200: WrapUpCode, ...errors(400, 401, 403, 404) },
      },
      ADMINS,
    ),
    async (request) => callQueues.updateCode(actorOf(request), request.params.id, request.body, request.ip),
  );
};
