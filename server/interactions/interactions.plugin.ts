import fp from 'fastify-plugin';
import { createInteractionsRepository } from './interactions.repository.js';
import { interactionsRoutes } from './interactions.routes.js';
import { createInteractionsService, type InteractionsService } from './interactions.service.js';

declare module 'fastify' {
  interface FastifyInstance {
    interactions: InteractionsService;
  }
}

/** Every contact's record: read by customers, the call path, recordings and supervision. */
export const interactionsPlugin = fp(
  async (app) => {
    const interactions = createInteractionsService({ interactions: createInteractionsRepository(app.db) });
    app.decorate('interactions', interactions);
    await app.register(interactionsRoutes, { prefix: '/api/interactions', interactions });
  },
  { name: 'interactions', dependencies: ['db', 'auth'] },
);
