import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ADMINS, ALL_ROLES, actorOf } from '../plugins/auth.plugin.js';
import { errors, IdParams } from '../http/common.schemas.js';
import { routeSpec } from '../http/route-spec.js';
import { agentAsSeenBy } from './agent-visibility.js';
import type { AgentsService } from './agents.service.js';
import { Agent, AgentList, CreateAgentBody, UpdateAgentBody } from './agents.schemas.js';

const route = routeSpec(['agents'], ALL_ROLES);

export const agentsRoutes: FastifyPluginAsyncTypebox<{ agents: AgentsService }> = async (app, { agents }) => {
  app.get('', route('All agents', { response: { 200: AgentList, ...errors(401) } }), async (request) => ({
    items: agents.list().map((agent) => agentAsSeenBy(actorOf(request), agent)),
  }));

  app.get(
    '/:id',
    route('One agent', { params: IdParams, response: { 200: Agent, ...errors(400, 401, 404) } }),
    async (request) => agentAsSeenBy(actorOf(request), agents.get(request.params.id)),
  );

  app.post(
    '',
    route(
      'Create an agent (admin)',
      { body: CreateAgentBody, response: { 201: Agent, ...errors(400, 401, 403, 409) } },
      ADMINS,
    ),
    async (request, reply) =>
      reply.code(201).send(await agents.create(actorOf(request), request.body, request.ip)),
  );

  app.patch(
    '/:id',
    route(
      'Update an agent (admin)',
      {
        params: IdParams,
        body: UpdateAgentBody,
        response: { 200: Agent, ...errors(400, 401, 403, 404, 409) },
      },
      ADMINS,
    ),
    async (request) => agents.update(actorOf(request), request.params.id, request.body, request.ip),
  );
};
