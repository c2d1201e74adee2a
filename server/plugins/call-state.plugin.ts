import fp from 'fastify-plugin';
import { installationId } from './installation.repository.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Start of every Redis key of live call state: REDIS_PREFIX, then this installation's id. */
    callStatePrefix: string;
  }
}

/** Where live call state lives in Redis, apart from other installations sharing the server. */
export const callStatePlugin = fp<{ redisPrefix: string }>(
  async (app, { redisPrefix }) => {
    app.decorate('callStatePrefix', `${redisPrefix}${installationId(app.db)}:`);
  },
  { name: 'call-state', dependencies: ['db', 'redis'] },
);
