import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Db } from '../db/connection.js';
import type { Redis } from 'ioredis';

const Check = Type.Object({
  ok: Type.Boolean(),
  latencyMs: Type.Number(),
  error: Type.Optional(Type.String()),
});
const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  database: Check,
  redis: Check,
});

const REDIS_TIMEOUT_MS = 1000;

async function timed(check: () => unknown): Promise<{ ok: boolean; latencyMs: number; error?: string }> {
  const start = performance.now();
  try {
    await check();
    return { ok: true, latencyMs: Math.round((performance.now() - start) * 100) / 100 };
  } catch (error) {
    return {
      ok: false,
      latencyMs: Math.round(performance.now() - start),
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

export const healthRoutes: FastifyPluginAsyncTypebox<{ db: Db; redis: Redis }> = async (
  app,
  { db, redis },
) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['operations'],
        summary: 'Database and Redis reachability; 503 when either fails',
        response: { 200: Health, 503: Health },
      },
    },
    async (_request, reply) => {
      const database = await timed(() => db.prepare('SELECT 1').get());
      const redisCheck = await timed(async () => {
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            redis.ping(),
            new Promise((_, reject) => {
              timer = setTimeout(() => reject(new Error('timed out')), REDIS_TIMEOUT_MS);
            }),
          ]);
        } finally {
          clearTimeout(timer);
        }
      });
      const ok = database.ok && redisCheck.ok;
      return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', database, redis: redisCheck });
    },
  );
};
