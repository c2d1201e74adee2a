import { describe, expect, it } from 'vitest';
import { IllegalTransitionError, RONA_REASON, type CallQueueSettings } from './index.js';
import { SECOND, useTestAcd } from './testing/test-acd.js';

describe('ACD: the status an agent planned for after the call', () => {
  const t = useTestAcd();

  /** One queue with the given wrap-up policy, agent 7 available and call 100 ringing them. */
  const ringing = async (
    acwPolicy: CallQueueSettings['acwPolicy'] = 'none',
    acwSeconds: number | null = null,
  ) => {
    await t.queue({ acwPolicy, acwSeconds });
    await t.acd.setAgentProfile({ id: 7, skills: [] });
    await t.acd.agentEvent(7, 'login');
    await t.acd.agentEvent(7, 'go_available');
    await t.acd.enqueue({ interactionId: 100, queueId: 1, tier: 'bronze' });
    const [offer] = await t.acd.dispatch();
    return offer!;
  };

  const onCall = async (
    acwPolicy: CallQueueSettings['acwPolicy'] = 'none',
    acwSeconds: number | null = null,
  ) => {
    const offer = await ringing(acwPolicy, acwSeconds);
    await t.acd.acceptReservation(offer.id, 7);
  };

  it('hangs up into the planned break, and the next call is not offered to them', async () => {
    await onCall();
    await t.acd.planNext(7, 'lunch');
    expect(await t.acd.getAgent(7)).toMatchObject({ status: 'on_call', nextReason: 'lunch' });
    expect((await t.acd.snapshot()).agents.on_call).toEqual([
      expect.objectContaining({ agentId: 7, nextReason: 'lunch' }),
    ]);

    await t.acd.enqueue({ interactionId: 101, queueId: 1, tier: 'bronze' });
    expect(await t.acd.endCall(100)).toEqual({ agentId: 7, agentStatus: 'break' });
    expect(await t.acd.getAgent(7)).toMatchObject({ status: 'break', reason: 'lunch', nextReason: null });
    expect(await t.acd.dispatch()).toEqual([]);
    expect(await t.acd.checkInvariants()).toEqual([]);
  });

  it('keeps wrap-up first, then takes the break when the agent ends it', async () => {
    await onCall('optional');
    await t.acd.planNext(7, 'lunch');
    expect(await t.acd.endCall(100)).toEqual({ agentId: 7, agentStatus: 'wrap_up' });
    expect(await t.acd.endWrapUp(7)).toBe('break');
    expect(await t.acd.getAgent(7)).toMatchObject({ status: 'break', reason: 'lunch', nextReason: null });
  });

  it('may be planned during timed wrap-up, which ends into the break by itself', async () => {
    await onCall('timed', 30);
    await t.acd.endCall(100);
    await t.acd.planNext(7, 'training');
    expect(await t.acd.expireWrapUps(t.clock.now().getTime() + 30 * SECOND)).toEqual([7]);
    expect(await t.acd.getAgent(7)).toMatchObject({ status: 'break', reason: 'training', nextReason: null });
    expect(await t.acd.checkInvariants()).toEqual([]);
  });

  it('takes the break when the ringing call is cancelled', async () => {
    await ringing();
    await t.acd.planNext(7, 'lunch');
    await t.acd.abandon(100);
    expect(await t.acd.getAgent(7)).toMatchObject({ status: 'break', reason: 'lunch', nextReason: null });
    expect(await t.acd.checkInvariants()).toEqual([]);
  });

  it('forgets the plan when the offer rings out: the missed-call break says so', async () => {
    const offer = await ringing();
    await t.acd.planNext(7, 'lunch');
    await t.acd.expireReservations(offer.expiresAtMs);
    expect(await t.acd.getAgent(7)).toMatchObject({ status: 'break', reason: RONA_REASON, nextReason: null });
  });

  it('refuses a plan where there is no call, changing nothing', async () => {
    await ringing();
    await t.acd.abandon(100);
    const before = await t.acd.getAgent(7);
    const error = await t.acd.planNext(7, 'lunch').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IllegalTransitionError);
    expect(error).toMatchObject({ machine: 'agent', from: 'available', event: 'plan_next', id: 7 });
    await expect(t.acd.planNext(7, '')).rejects.toThrow(RangeError);
    expect(await t.acd.getAgent(7)).toEqual(before);
  });

  it('becomes available as before once the plan is cleared', async () => {
    await onCall();
    await t.acd.planNext(7, 'lunch');
    await t.acd.planNext(7, null);
    expect(await t.acd.getAgent(7)).toMatchObject({ status: 'on_call', nextReason: null });
    expect(await t.acd.endCall(100)).toEqual({ agentId: 7, agentStatus: 'available' });
    expect(await t.acd.getAgent(7)).toMatchObject({ status: 'available', reason: null });
  });
});
