import fp from 'fastify-plugin';
import type { AppContext } from '../plugins/app-context.js';
import { authRoutes } from './auth.routes.js';
import { createLoginThrottle } from './login-throttle.js';

/** Sign-in, sign-out and the signed-in agent, under /api/auth; signing out takes the agent off the call path. */
export const loginPlugin = fp<AppContext>(
  async (app, { config, clock }) => {
    const { calls } = app;
    await app.register(authRoutes, {
      prefix: '/api/auth',
      auth: app.auth,
      onSignedOut: async (agentId) => {
        await calls.signedOut(agentId);
        await app.endAgentSockets(agentId);
      },
      throttle: createLoginThrottle({
        redis: app.redis,
        prefix: `${config.redisPrefix}login-throttle:`,
        clock,
        log: app.log,
        perIpPerMinute: config.loginRateLimitPerMinute,
        freeAttempts: config.loginFreeAttempts,
        backoffSeconds: 1,
        maxBackoffSeconds: 900,
      }),
      secureCookie: config.publicBaseUrl.protocol === 'https:',
      // Without SIP the console would ask for credentials on every desk load and be refused.
      softphoneOf: (agentId) => config.sip !== null && app.agents.get(agentId).sipAddress !== null,
    });
  },
  { name: 'login', dependencies: ['auth', 'redis', 'realtime', 'calls', 'agents'] },
);
