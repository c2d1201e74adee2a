import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, expect } from 'vitest';
import { deleteRedisKeys, manualClock, REDIS_URL } from '../../server/testing/harness.js';
import { createAcd, type Acd, type CallQueueSettings, type Tier } from '../index.js';

export const SECOND = 1000;

/**
 * An ACD on the real Redis under a key prefix of each test's own, with a manual clock: created before
 * each test, its keys deleted after it. Registers the hooks; read the fields inside tests and later
 * hooks, as they change per test.
 */
export function useTestAcd() {
  let current: { prefix: string; redis: Redis; clock: ReturnType<typeof manualClock>; acd: Acd } | undefined;
  beforeEach(() => {
    const prefix = `test:${randomUUID()}:acd:`;
    const redis = new Redis(REDIS_URL);
    const clock = manualClock();
    current = { prefix, redis, clock, acd: createAcd({ redis, prefix, clock }) };
  });
  afterEach(async () => {
    await current?.redis.quit();
    if (current) await deleteRedisKeys(current.prefix);
  });
  const now = () => {
    if (!current) throw new Error('useTestAcd: read the ACD inside a test or hook');
    return current;
  };

  /** Queue 1 unless `id` says otherwise: longest idle, no skills, 20 s ring, no wrap-up. */
  const queue = (overrides: Partial<CallQueueSettings> = {}) =>
    now().acd.upsertQueue({
      id: 1,
      priority: 0,
      tierBoost: { platinum: 120, gold: 60, silver: 20, bronze: 0 },
      strategy: 'longest_idle',
      requiredSkills: [],
      ringTimeoutSeconds: 20,
      acwPolicy: 'none',
      acwSeconds: null,
      ...overrides,
    });

  /** Signs the agent in and makes them available one second after the previous one. */
  const readyAgent = async (id: number, skills: Record<string, number> = {}) => {
    const { acd, clock } = now();
    await acd.setAgentProfile({
      id,
      skills: Object.entries(skills).map(([skill, proficiency]) => ({ skill, proficiency })),
    });
    await acd.agentEvent(id, 'login');
    await acd.agentEvent(id, 'go_available');
    clock.advance(SECOND);
  };

  const call = (interactionId: number, tier: Tier = 'bronze', queueId = 1) =>
    now().acd.enqueue({ interactionId, queueId, tier });

  /** Dispatches and expects exactly one Reservation. */
  const offerOne = async () => {
    const made = await now().acd.dispatch();
    expect(made).toHaveLength(1);
    return made[0]!;
  };

  return {
    get prefix() {
      return now().prefix;
    },
    get redis() {
      return now().redis;
    },
    get clock() {
      return now().clock;
    },
    get acd() {
      return now().acd;
    },
    queue,
    readyAgent,
    call,
    offerOne,
  };
}
