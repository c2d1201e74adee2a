import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errors, IdParams } from '../http/common.schemas.js';
import { routeSpec } from '../http/route-spec.js';
import { SUPERVISORS, actorOf } from '../plugins/auth.plugin.js';
import type { SupervisionService } from './supervision.service.js';
import {
  AlertThresholdList,
  AlertThresholdsPatch,
  QueueAlertThresholds,
  AgentsLive,
  AgentNextStatusBody,
  AgentStatusBody,
  MoveCallBody,
  QueuesLive,
  RaisePriorityBody,
  SuperviseBody,
} from './supervision.schemas.js';

const route = routeSpec(['supervision'], SUPERVISORS);
const done = { 204: {} };

/**
 * The live views, computed for the request (the sockets get them pushed instead), and the
 * interventions, for supervisors and admins.
 */
export const supervisionRoutes: FastifyPluginAsyncTypebox<{ supervision: SupervisionService }> = async (
  app,
  { supervision },
) => {
  app.get(
    '/queues',
    route('Every call queue live: waiting calls, agents by status, today’s figures', {
      response: { 200: QueuesLive, ...errors(401, 403) },
    }),
    async () => supervision.queuesLive(),
  );

  app.get(
    '/agents',
    route('Every agent live: status and since when, current call, calls handled and occupancy today', {
      response: { 200: AgentsLive, ...errors(401, 403) },
    }),
    async () => supervision.agentsLive(),
  );

  app.post(
    '/agents/:id/status',
    route("Set an agent's status; offline logs them out of routing. Audited.", {
      params: IdParams,
      body: AgentStatusBody,
      response: { ...done, ...errors(400, 401, 403, 404, 409) },
    }),
    async (request, reply) => {
      await supervision.setAgentStatus(actorOf(request), request.params.id, request.body, request.ip);
      return reply.code(204).send();
    },
  );

  app.put(
    '/agents/:id/next-status',
    route('Plan the status a busy agent takes when their call or wrap-up ends. Audited.', {
      params: IdParams,
      body: AgentNextStatusBody,
      response: { ...done, ...errors(400, 401, 403, 404, 409) },
    }),
    async (request, reply) => {
      await supervision.setAgentNextStatus(actorOf(request), request.params.id, request.body, request.ip);
      return reply.code(204).send();
    },
  );

  app.post(
    '/calls/:id/move',
    route('Move a waiting call to another call queue, keeping its wait. Audited.', {
      params: IdParams,
      body: MoveCallBody,
      response: { ...done, ...errors(400, 401, 403, 404, 409) },
    }),
    async (request, reply) => {
      await supervision.moveCall(actorOf(request), request.params.id, request.body.queueId, request.ip);
      return reply.code(204).send();
    },
  );

  app.post(
    '/calls/:id/priority',
    route('Give a waiting call more head start. Audited.', {
      params: IdParams,
      body: RaisePriorityBody,
      response: { ...done, ...errors(400, 401, 403, 404, 409) },
    }),
    async (request, reply) => {
      await supervision.raisePriority(actorOf(request), request.params.id, request.body.seconds, request.ip);
      return reply.code(204).send();
    },
  );

  app.post(
    '/calls/:id/supervise',
    route('Monitor, whisper to the agent or barge into a connected call, from your own phone. Audited.', {
      params: IdParams,
      body: SuperviseBody,
      response: { ...done, ...errors(400, 401, 403, 404, 409) },
    }),
    async (request, reply) => {
      await supervision.supervise(actorOf(request), request.params.id, request.body.mode, request.ip);
      return reply.code(204).send();
    },
  );

  app.post(
    '/reservations/:id/end',
    route('End a ringing reservation: the call goes back to its queue, the agent to a break. Audited.', {
      params: IdParams,
      response: { ...done, ...errors(400, 401, 403, 404, 409) },
    }),
    async (request, reply) => {
      await supervision.endReservation(actorOf(request), request.params.id, request.ip);
      return reply.code(204).send();
    },
  );

  app.get(
    '/alert-thresholds',
    route("Every queue's alert thresholds (as set, or the defaults)", {
      response: { 200: AlertThresholdList, ...errors(401, 403) },
    }),
    async () => ({ items: supervision.alertThresholds() }),
  );

  app.patch(
    '/queues/:id/alert-thresholds',
    route("Change a queue's alert thresholds; null turns one off. Audited.", {
      params: IdParams,
      body: AlertThresholdsPatch,
      response: { 200: QueueAlertThresholds, ...errors(400, 401, 403, 404) },
    }),
    async (request) =>
      supervision.updateAlertThresholds(actorOf(request), request.params.id, request.body, request.ip),
  );
};
