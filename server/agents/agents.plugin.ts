import fp from 'fastify-plugin';
import type { AppContext } from '../plugins/app-context.js';
import { createAgentsRepository } from './agents.repository.js';
import { agentsRoutes } from './agents.routes.js';
import { createAgentsService, type AgentsService } from './agents.service.js';

declare module 'fastify' {
  interface FastifyInstance {
    agents: AgentsService;
  }
}

/** Agents: their accounts, skills and addresses; taking access away reaches every session and socket. */
export const agentsPlugin = fp<AppContext>(
  async (app, { config, clock }) => {
    const agents = createAgentsService({
      agents: createAgentsRepository(app.db),
      audit: app.audit,
      clock,
      defaultPhoneRegion: config.defaultPhoneRegion,
      access: {
        // The call path is built on the agents, so it is looked up when access is revoked (an admin's
        // request, after the app is ready), not captured here.
        revoked: async (agentId) => {
          app.auth.endSessionsOf(agentId);
          await app.calls.signedOut(agentId);
          await app.endAgentSockets(agentId);
        },
        roleChanged: (agentId, role) => app.agentRoleChanged(agentId, role),
        skillsChanged: (agentId) => app.deskBacklog.agentChanged(agentId),
      },
    });
    app.decorate('agents', agents);
    await app.register(agentsRoutes, { prefix: '/api/agents', agents });
  },
  { name: 'agents', dependencies: ['db', 'audit', 'auth', 'realtime'] },
);
