import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errors, IdParams } from '../http/common.schemas.js';
import { routeSpec } from '../http/route-spec.js';
import { ALL_ROLES, SUPERVISORS, actorOf } from '../plugins/auth.plugin.js';
import {
  CountsQuery,
  CreateFollowUpBody,
  CustomerFollowUpsQuery,
  CustomerIdParams,
  FollowUpCounts,
  FollowUpPage,
  FollowUpWork,
  ReassignFollowUpBody,
  TeamList,
  TransitionFollowUpBody,
  WorklistQuery,
} from './follow-ups.schemas.js';
import type { FollowUpsService } from './follow-ups.service.js';

const route = routeSpec(['follow-ups'], ALL_ROLES);

/** Thin handlers: who may do what is decided in the service (server/follow-ups/README.md, "API"). */
export const followUpsRoutes: FastifyPluginAsyncTypebox<{ followUps: FollowUpsService }> = async (
  app,
  { followUps },
) => {
  app.post(
    '/follow-ups',
    route('Create a follow-up for a customer (agents: for themselves or their teams)', {
      body: CreateFollowUpBody,
      response: { 201: FollowUpWork, ...errors(400, 401, 403, 404) },
    }),
    async (request, reply) =>
      reply.code(201).send(followUps.create(actorOf(request), request.body, request.ip)),
  );

  app.get(
    '/follow-ups/mine',
    route('My worklist: follow-ups I own (still to do unless a status is given)', {
      querystring: WorklistQuery,
      response: { 200: FollowUpPage, ...errors(400, 401) },
    }),
    async (request) => followUps.mine(actorOf(request), request.query),
  );

  app.get(
    '/follow-ups/team',
    route('Team worklist: follow-ups owned by my call queues’ teams (supervisors and admins: every team)', {
      querystring: WorklistQuery,
      response: { 200: FollowUpPage, ...errors(400, 401) },
    }),
    async (request) => followUps.team(actorOf(request), request.query),
  );

  app.get(
    '/follow-ups/counts',
    route('Open, due today and overdue, in my worklist and my teams’', {
      querystring: CountsQuery,
      response: { 200: FollowUpCounts, ...errors(400, 401) },
    }),
    async (request) => followUps.counts(actorOf(request), request.query),
  );

  app.get(
    '/follow-ups/teams',
    route('The call queues whose teams I may give a follow-up to (supervisors and admins: every one)', {
      response: { 200: TeamList, ...errors(401) },
    }),
    async (request) => ({ items: followUps.teamsFor(actorOf(request)) }),
  );

  app.get(
    '/follow-ups/:id',
    route('One follow-up', {
      params: IdParams,
      response: { 200: FollowUpWork, ...errors(400, 401, 404) },
    }),
    async (request) => followUps.get(actorOf(request), request.params.id),
  );

  app.patch(
    '/follow-ups/:id',
    route('Start, complete, cancel or reopen a follow-up (409 when its status does not allow it)', {
      params: IdParams,
      body: TransitionFollowUpBody,
      response: { 200: FollowUpWork, ...errors(400, 401, 403, 404, 409) },
    }),
    async (request) =>
      followUps.transition(actorOf(request), request.params.id, request.body.action, request.ip),
  );

  app.put(
    '/follow-ups/:id/owner',
    route(
      'Reassign a follow-up to an agent or a call queue’s team',
      {
        params: IdParams,
        body: ReassignFollowUpBody,
        response: { 200: FollowUpWork, ...errors(400, 401, 403, 404) },
      },
      SUPERVISORS,
    ),
    async (request) => followUps.reassign(actorOf(request), request.params.id, request.body, request.ip),
  );

  app.get(
    '/customers/:customerId/follow-ups',
    route('A customer’s follow-ups, newest due last (every status unless one is given)', {
      params: CustomerIdParams,
      querystring: CustomerFollowUpsQuery,
      response: { 200: FollowUpPage, ...errors(400, 401, 404) },
    }),
    async (request) => followUps.ofCustomer(actorOf(request), request.params.customerId, request.query),
  );
};
