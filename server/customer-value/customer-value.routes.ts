import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errors, IdParams } from '../http/common.schemas.js';
import { routeSpec } from '../http/route-spec.js';
import { ADMINS, ALL_ROLES, SUPERVISORS, actorOf } from '../plugins/auth.plugin.js';
import {
  BULK_MAX_EVENTS,
  BulkValueEventsBody,
  BulkValueEventsResult,
  CustomerValue,
  RecomputeResult,
  TierOverrideBody,
  ValueEvent,
  ValueEventBody,
  ValueEventPage,
  ValueEventPageQuery,
} from './customer-value.schemas.js';
import type { CustomerValueService } from './customer-value.service.js';

// Everyone reads a customer's value; what changes it (purchases, overrides) is for supervisors and admins.
/** Room for BULK_MAX_EVENTS events of about 200 bytes each. */
const BULK_BODY_LIMIT_BYTES = 256 * 1024;

const route = routeSpec(['customer value'], ALL_ROLES);

export const customerValueRoutes: FastifyPluginAsyncTypebox<{ values: CustomerValueService }> = async (
  app,
  { values },
) => {
  app.get(
    '/customers/:id/value',
    route('The customer’s tier in force, the computed tier with its reason, and an active override', {
      params: IdParams,
      response: { 200: CustomerValue, ...errors(400, 401, 404) },
    }),
    async (request) => values.valueOf(request.params.id),
  );

  app.get(
    '/customers/:id/value-events',
    route('The customer’s value events (purchases), latest first', {
      params: IdParams,
      querystring: ValueEventPageQuery,
      response: { 200: ValueEventPage, ...errors(400, 401, 404) },
    }),
    async (request) => values.listEvents(request.params.id, request.query),
  );

  app.post(
    '/customers/:id/value-events',
    route(
      'Record a value event; sending the same reference again answers 200 with the stored event, a different one 409',
      {
        params: IdParams,
        body: ValueEventBody,
        response: { 200: ValueEvent, 201: ValueEvent, ...errors(400, 401, 403, 404, 409, 413) },
      },
      SUPERVISORS,
    ),
    async (request, reply) => {
      const { created, event } = values.recordEvent(
        actorOf(request),
        request.params.id,
        request.body,
        request.ip,
      );
      return reply.code(created ? 201 : 200).send(event);
    },
  );

  const bulkSpec = route(
    `Import up to ${BULK_MAX_EVENTS} value events for many customers, all or nothing: any bad item refuses the request, naming it`,
    {
      body: BulkValueEventsBody,
      response: { 200: BulkValueEventsResult, ...errors(400, 401, 403, 409, 413) },
    },
    SUPERVISORS,
  );
  app.post(
    '/customer-value-events/bulk',
    // A full batch is larger than the server's usual body limit.
    { ...bulkSpec, bodyLimit: BULK_BODY_LIMIT_BYTES },
    async (request) => values.recordEvents(actorOf(request), request.body, request.ip),
  );

  app.put(
    '/customers/:id/tier-override',
    route(
      'Override the computed tier until an expiry, with a reason (audited); the computed tier returns after it',
      {
        params: IdParams,
        body: TierOverrideBody,
        response: { 200: CustomerValue, ...errors(400, 401, 403, 404, 409) },
      },
      SUPERVISORS,
    ),
    async (request) => values.setOverride(actorOf(request), request.params.id, request.body, request.ip),
  );

  app.delete(
    '/customers/:id/tier-override',
    route(
      'End an override now (audited): the computed tier returns',
      { params: IdParams, response: { 200: CustomerValue, ...errors(400, 401, 403, 404, 409) } },
      SUPERVISORS,
    ),
    async (request) => values.clearOverride(actorOf(request), request.params.id, request.ip),
  );

  app.post(
    '/customer-value/recompute',
    route(
      'Recompute every customer’s value and tier now, as the nightly job does',
      { response: { 200: RecomputeResult, ...errors(401, 403) } },
      ADMINS,
    ),
    async () => values.recomputeAll(),
  );
};
