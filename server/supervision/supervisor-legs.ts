import type { Redis } from 'ioredis';

/** Which leg each supervisor has in a live Call, so a second action changes it instead of dialling again. */
export function createSupervisorLegs(options: { redis: Redis; prefix: string }) {
  const { redis, prefix } = options;
  const key = (interactionId: number) => `${prefix}supervisor-legs:${interactionId}`;
  return {
    get: (interactionId: number, supervisorId: number) =>
      redis.hget(key(interactionId), String(supervisorId)),
    async set(interactionId: number, supervisorId: number, legId: string): Promise<void> {
      // A call lasts less than a day; the entry must not outlive it for long.
      await redis
        .multi()
        .hset(key(interactionId), String(supervisorId), legId)
        .expire(key(interactionId), 86_400)
        .exec();
    },
  };
}

export type SupervisorLegs = ReturnType<typeof createSupervisorLegs>;
