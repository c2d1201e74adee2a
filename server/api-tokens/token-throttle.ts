import { createHash } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { Clock } from '../clock.js';

export interface TokenThrottleOptions {
  redis: Redis;
  /** Key prefix (the installation's REDIS_PREFIX plus a name). */
  prefix: string;
  clock: Clock;
  log: FastifyBaseLogger;
  /** Failed token attempts allowed per client IP per minute (the sign-in limit's number). */
  failuresPerMinute: number;
}

/** Counts one failure; returns the count in this minute and the milliseconds left of it. */
const FAIL = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], 60000) end
return { count, redis.call('PTTL', KEYS[1]) }
`;

/** Client IPs the fallback remembers at most. */
const FALLBACK_ENTRIES = 10_000;

/**
 * Failed API token attempts per client IP and minute, in Redis so every server process counts
 * together (in each process while Redis is down). Only failures count: a valid token never waits
 * for Redis. The secret has 256 bits, so this is not what stops guessing; it keeps a client that
 * hammers with a wrong or revoked token from filling the audit log, and answers it 429.
 */
export function createTokenThrottle({ redis, prefix, clock, log, failuresPerMinute }: TokenThrottleOptions) {
  const memory = new Map<string, { count: number; resetAt: number }>();
  const keyOf = (ip: string) => `${prefix}ip:${createHash('sha256').update(ip).digest('hex').slice(0, 32)}`;

  function failInMemory(key: string, now: number): { count: number; waitMs: number } {
    let entry = memory.get(key);
    if (!entry || entry.resetAt <= now) {
      if (!entry && memory.size >= FALLBACK_ENTRIES) memory.delete(memory.keys().next().value!);
      entry = { count: 0, resetAt: now + 60_000 };
      memory.set(key, entry);
    }
    entry.count += 1;
    return { count: entry.count, waitMs: entry.resetAt - now };
  }

  return {
    /**
     * Counts a failed attempt from `ip`; resolves with the seconds the client must wait when it is
     * over the limit (the attempt is then answered 429 and not audited), else 0.
     */
    async failed(ip: string): Promise<number> {
      const key = keyOf(ip);
      let result: { count: number; waitMs: number };
      try {
        if (redis.status !== 'ready') throw new Error('redis is not connected');
        const [count, ttl] = (await redis.eval(FAIL, 1, key)) as [number, number];
        result = { count, waitMs: Math.max(ttl, 1) };
      } catch (error) {
        log.warn({ err: error }, 'API token throttle: Redis unavailable, counting in this process');
        result = failInMemory(key, clock.now().getTime());
      }
      return result.count > failuresPerMinute ? Math.ceil(result.waitMs / 1000) : 0;
    },
  };
}

export type TokenThrottle = ReturnType<typeof createTokenThrottle>;
