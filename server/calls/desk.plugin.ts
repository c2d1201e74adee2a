import fp from 'fastify-plugin';
import { callsRoutes } from './calls.routes.js';
import { attachDesk } from './desk.socket.js';

/**
 * The call path's front: the agent's desk over socket.io (call commands and recording controls)
 * and its REST routes, whose invariant check asks Twilio too when there is an account.
 */
export const deskPlugin = fp(
  async (app) => {
    const { acd, calls, recordings, twilioReconciler } = app;
    attachDesk(app.io, calls, app.log, (agent, p, ip) =>
      recordings.control(agent, p.interactionId, p.action, ip),
    );
    await app.register(callsRoutes, {
      prefix: '/api',
      acd,
      calls,
      ...(twilioReconciler && { providerCheck: () => twilioReconciler.check() }),
    });
  },
  { name: 'desk', dependencies: ['realtime', 'acd', 'calls', 'recordings', 'twilio'] },
);
