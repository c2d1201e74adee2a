import fp from 'fastify-plugin';
import { apiTokensRoutes } from './api-tokens.routes.js';

/** The admins' API token routes; the service itself is built by the auth plugin, which authenticates with it. */
export const apiTokensPlugin = fp(
  async (app) => {
    await app.register(apiTokensRoutes, { prefix: '/api/api-tokens', apiTokens: app.apiTokens });
  },
  { name: 'api-tokens', dependencies: ['auth'] },
);
