import { createHash } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { Clock } from '../clock.js';

export interface LoginThrottleOptions {
  redis: Redis;
  /** Key prefix (the installation's REDIS_PREFIX plus a name). */
  prefix: string;
  clock: Clock;
  log: FastifyBaseLogger;
  /** Sign-in attempts allowed per client IP per minute. */
  perIpPerMinute: number;
  /** Attempts on one account, since its last successful sign-in, before each further one waits. */
  freeAttempts: number;
  /** The first wait, in seconds, doubled by each further attempt up to `maxBackoffSeconds`. */
  backoffSeconds: number;
  maxBackoffSeconds: number;
}

/**
 * One sign-in attempt, atomically: refused (the milliseconds to wait) while the client IP is over
 * its minute's quota or the account is backing off; otherwise counted. Attempts are counted before
 * the password is checked, so a burst of parallel guesses is limited as much as a sequence.
 * KEYS: ip counter, account hash. ARGV: now ms, per-IP limit, free attempts, first wait ms, max wait ms.
 */
const ATTEMPT = `
local now = tonumber(ARGV[1])
local ipCount = redis.call('INCR', KEYS[1])
if ipCount == 1 then redis.call('PEXPIRE', KEYS[1], 60000) end
if ipCount > tonumber(ARGV[2]) then return math.max(redis.call('PTTL', KEYS[1]), 1) end
local lockedUntil = tonumber(redis.call('HGET', KEYS[2], 'until') or '0')
if lockedUntil > now then return lockedUntil - now end
local attempts = redis.call('HINCRBY', KEYS[2], 'attempts', 1)
local free = tonumber(ARGV[3])
if attempts > free then
  local wait = math.min(tonumber(ARGV[4]) * 2 ^ (attempts - free - 1), tonumber(ARGV[5]))
  redis.call('HSET', KEYS[2], 'until', now + wait)
end
redis.call('PEXPIRE', KEYS[2], 86400000)
return 0
`;

/** Accounts and IPs the fallback remembers at most: a flood of made-up usernames cannot grow it without bound. */
const FALLBACK_ENTRIES = 10_000;

/**
 * Limits password guessing per client IP and per account, with a growing wait on the account, in
 * Redis so every server process counts together. While Redis is unreachable each process limits
 * on its own in memory: looser across processes, but never open.
 */
export function createLoginThrottle(options: LoginThrottleOptions) {
  const { redis, prefix, clock, log } = options;
  const hashed = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);
  const keys = (username: string, ip: string) => [
    `${prefix}ip:${hashed(ip)}`,
    `${prefix}account:${hashed(username)}`,
  ];

  const memory = new Map<string, { count: number; resetAt: number; lockedUntil: number }>();
  function remembered(key: string, now: number) {
    let entry = memory.get(key);
    if (!entry) {
      if (memory.size >= FALLBACK_ENTRIES) memory.delete(memory.keys().next().value!);
      entry = { count: 0, resetAt: now + 60_000, lockedUntil: 0 };
      memory.set(key, entry);
    }
    return entry;
  }
  function attemptInMemory(ipKey: string, accountKey: string, now: number): number {
    const ip = remembered(ipKey, now);
    if (ip.resetAt <= now) Object.assign(ip, { count: 0, resetAt: now + 60_000 });
    ip.count += 1;
    if (ip.count > options.perIpPerMinute) return ip.resetAt - now;
    const account = remembered(accountKey, now);
    if (account.lockedUntil > now) return account.lockedUntil - now;
    account.count += 1;
    if (account.count > options.freeAttempts) {
      const wait = options.backoffSeconds * 1000 * 2 ** (account.count - options.freeAttempts - 1);
      account.lockedUntil = now + Math.min(wait, options.maxBackoffSeconds * 1000);
    }
    return 0;
  }

  return {
    /** Counts a sign-in attempt; resolves with the seconds to wait when it must be refused, else 0. */
    async attempt(username: string, ip: string): Promise<number> {
      const [ipKey, accountKey] = keys(username, ip) as [string, string];
      const now = clock.now().getTime();
      let waitMs: number;
      try {
        // A command to an unreachable Redis would wait for a reconnect first: go straight to the fallback.
        if (redis.status !== 'ready') throw new Error('redis is not connected');
        waitMs = Number(
          await redis.eval(
            ATTEMPT,
            2,
            ipKey,
            accountKey,
            now,
            options.perIpPerMinute,
            options.freeAttempts,
            options.backoffSeconds * 1000,
            options.maxBackoffSeconds * 1000,
          ),
        );
      } catch (error) {
        log.warn({ err: error }, 'sign-in throttle: Redis unavailable, counting in this process');
        waitMs = attemptInMemory(ipKey, accountKey, now);
      }
      return Math.ceil(waitMs / 1000);
    },

    /** A successful sign-in clears the account's count (the IP's quota stays). */
    async succeeded(username: string): Promise<void> {
      const [, accountKey] = keys(username, '') as [string, string];
      memory.delete(accountKey);
      await redis.del(accountKey).catch(() => undefined);
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
