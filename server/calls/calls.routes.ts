import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Acd } from '../../queues/index.js';
import { errors, IdParams, Id } from '../http/common.schemas.js';
import { routeSpec } from '../http/route-spec.js';
import { ADMINS, ALL_ROLES, actorOf } from '../plugins/auth.plugin.js';
import { DialBody, DialResult, TransferTargets } from './calls.schemas.js';
import type { CallsService } from './calls.service.js';

const Invariants = Type.Object({
  ok: Type.Boolean(),
  violations: Type.Array(Type.String(), { description: 'Empty when the ACD state is consistent' }),
});

const route = routeSpec(['calls'], ALL_ROLES);
const interactionRoute = routeSpec(['interactions'], ALL_ROLES);
/** Operational views of the call path. */
const operationsRoute = routeSpec(['operations'], ADMINS);

const LinkCustomerBody = Type.Object({ customerId: Id }, { additionalProperties: false });

export interface CallsRoutesOptions {
  acd: Acd;
  calls: CallsService;
  /** Live calls the providers see otherwise (ended, answered), in words; checked with the ACD's invariants. */
  providerCheck?: () => Promise<string[]>;
}

export const callsRoutes: FastifyPluginAsyncTypebox<CallsRoutesOptions> = async (
  app,
  { acd, calls, providerCheck },
) => {
  app.post(
    '/interactions/:id/customer',
    interactionRoute(
      "Link an unknown caller's interaction to a customer (and their number to the customer)",
      {
        params: IdParams,
        body: LinkCustomerBody,
        response: { 204: {}, ...errors(400, 401, 403, 404, 409) },
      },
    ),
    async (request, reply) => {
      await calls.linkCustomer(actorOf(request), request.params.id, request.body.customerId, request.ip);
      return reply.code(204).send();
    },
  );

  app.post(
    '/calls/outbound',
    route("Click-to-call: ring the signed-in agent's phone, then the number; the call shows on their desk", {
      body: DialBody,
      response: { 201: DialResult, ...errors(400, 401, 403, 404, 409) },
    }),
    async (request, reply) => reply.code(201).send(await calls.dial(actorOf(request), request.body)),
  );

  app.get(
    '/calls/transfer-targets',
    route(
      'Where a call can be transferred: the call queues and the other agents, with who is available now',
      {
        response: { 200: TransferTargets, ...errors(401) },
      },
    ),
    async (request) => calls.transferTargets(actorOf(request)),
  );

  app.get(
    '/acd/invariants',
    operationsRoute(
      'Check the ACD state in Redis (no lost calls, no double reservations, counts that add up) and that every live call is live at its provider',
      {
        response: { 200: Invariants, ...errors(401, 403) },
      },
    ),
    async () => {
      const violations = [...(await acd.checkInvariants()), ...((await providerCheck?.()) ?? [])];
      return { ok: violations.length === 0, violations };
    },
  );
};
