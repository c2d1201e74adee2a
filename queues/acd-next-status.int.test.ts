import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deleteRedisKeys, manualClock, REDIS_URL } from '../server/testing/harness.js';
import { createAcd, IllegalTransitionError, RONA_REASON, type Acd, type CallQueueSettings } from './index.js';

const SECOND = 1000;

describe('ACD: the status an agent planned for after the call', () => {
  let prefix: string;
  let redis: Redis;
  let clock: ReturnType<typeof manualClock>;
  let acd: Acd;

  beforeEach(() => {
    prefix = `test:${randomUUID()}:acd:`;
    redis = new Redis(REDIS_URL);
    clock = manualClock();
    acd = createAcd({ redis, prefix, clock });
  });
  afterEach(async () => {
    await redis.quit();
    await deleteRedisKeys(prefix);
  });

  /** One queue with the given wrap-up policy, agent 7 available and call 100 ringing them. */
  const ringing = async (
    acwPolicy: CallQueueSettings['acwPolicy'] = 'none',
    acwSeconds: number | null = null,
  ) => {
    await acd.upsertQueue({
      id: 1,
      priority: 0,
      tierBoost: { platinum: 0, gold: 0, silver: 0, bronze: 0 },
      strategy: 'longest_idle',
      requiredSkills: [],
      ringTimeoutSeconds: 20,
      acwPolicy,
      acwSeconds,
    });
    await acd.setAgentProfile({ id: 7, skills: [] });
    await acd.agentEvent(7, 'login');
    await acd.agentEvent(7, 'go_available');
    await acd.enqueue({ interactionId: 100, queueId: 1, tier: 'bronze' });
    const [offer] = await acd.dispatch();
    return offer!;
  };

  const onCall = async (
    acwPolicy: CallQueueSettings['acwPolicy'] = 'none',
    acwSeconds: number | null = null,
  ) => {
    const offer = await ringing(acwPolicy, acwSeconds);
    await acd.acceptReservation(offer.id, 7);
  };

  it('hangs up into the planned break, and the next call is not offered to them', async () => {
    await onCall();
    await acd.planNext(7, 'lunch');
    expect(await acd.getAgent(7)).toMatchObject({ status: 'on_call', nextReason: 'lunch' });
    expect((await acd.snapshot()).agents.on_call).toEqual([
      expect.objectContaining({ agentId: 7, nextReason: 'lunch' }),
    ]);

    await acd.enqueue({ interactionId: 101, queueId: 1, tier: 'bronze' });
    expect(await acd.endCall(100)).toEqual({ agentId: 7, agentStatus: 'break' });
    expect(await acd.getAgent(7)).toMatchObject({ status: 'break', reason: 'lunch', nextReason: null });
    expect(await acd.dispatch()).toEqual([]);
    expect(await acd.checkInvariants()).toEqual([]);
  });

  it('keeps wrap-up first, then takes the break when the agent ends it', async () => {
    await onCall('optional');
    await acd.planNext(7, 'lunch');
    expect(await acd.endCall(100)).toEqual({ agentId: 7, agentStatus: 'wrap_up' });
    expect(await acd.endWrapUp(7)).toBe('break');
    expect(await acd.getAgent(7)).toMatchObject({ status: 'break', reason: 'lunch', nextReason: null });
  });

  it('may be planned during timed wrap-up, which ends into the break by itself', async () => {
    await onCall('timed', 30);
    await acd.endCall(100);
    await acd.planNext(7, 'training');
    expect(await acd.expireWrapUps(clock.now().getTime() + 30 * SECOND)).toEqual([7]);
    expect(await acd.getAgent(7)).toMatchObject({ status: 'break', reason: 'training', nextReason: null });
    expect(await acd.checkInvariants()).toEqual([]);
  });

  it('takes the break when the ringing call is cancelled', async () => {
    await ringing();
    await acd.planNext(7, 'lunch');
    await acd.abandon(100);
    expect(await acd.getAgent(7)).toMatchObject({ status: 'break', reason: 'lunch', nextReason: null });
    expect(await acd.checkInvariants()).toEqual([]);
  });

  it('forgets the plan when the offer rings out: the missed-call break says so', async () => {
    const offer = await ringing();
    await acd.planNext(7, 'lunch');
    await acd.expireReservations(offer.expiresAtMs);
    expect(await acd.getAgent(7)).toMatchObject({ status: 'break', reason: RONA_REASON, nextReason: null });
  });

  it('refuses a plan where there is no call, changing nothing', async () => {
    await ringing();
    await acd.abandon(100);
    const before = await acd.getAgent(7);
    const error = await acd.planNext(7, 'lunch').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IllegalTransitionError);
    expect(error).toMatchObject({ machine: 'agent', from: 'available', event: 'plan_next', id: 7 });
    await expect(acd.planNext(7, '')).rejects.toThrow(RangeError);
    expect(await acd.getAgent(7)).toEqual(before);
  });

  it('becomes available as before once the plan is cleared', async () => {
    await onCall();
    await acd.planNext(7, 'lunch');
    await acd.planNext(7, null);
    expect(await acd.getAgent(7)).toMatchObject({ status: 'on_call', nextReason: null });
    expect(await acd.endCall(100)).toEqual({ agentId: 7, agentStatus: 'available' });
    expect(await acd.getAgent(7)).toMatchObject({ status: 'available', reason: null });
  });
});
