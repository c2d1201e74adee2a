import fp from 'fastify-plugin';
import { Redis } from 'ioredis';

declare module 'fastify' {
  interface FastifyInstance {
    redis: Redis;
  }
}

export interface RedisPluginOptions {
  url: string;
}

/** Shared Redis connection. Keys are prefixed by their users with the configured REDIS_PREFIX. */
export const redisPlugin = fp<RedisPluginOptions>(
  async (app, { url }) => {
    // A command fails fast while Redis is away instead of queueing without bound; ioredis keeps
    // reconnecting in the background, so a blip heals by itself.
    const redis = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 2000, lazyConnect: true });
    redis.on('error', (error: Error) => app.log.warn({ err: error.message }, 'redis connection error'));
    await redis.connect();
    app.decorate('redis', redis);
    app.addHook('onClose', async () => {
      await redis.quit().catch(() => redis.disconnect());
    });
  },
  { name: 'redis' },
);
