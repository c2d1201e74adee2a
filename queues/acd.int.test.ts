import { randomInt } from 'node:crypto';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { REDIS_URL } from '../server/testing/harness.js';
import { SECOND, useTestAcd } from './testing/test-acd.js';
import {
  type AcdError,
  createAcd,
  IllegalTransitionError,
  NotFoundError,
  ReservationCancelledError,
  ReservationExpiredError,
  ReservationNotYoursError,
  TIERS,
  type RoutingStrategy,
  type CallQueueSettings,
  type Reservation,
} from './index.js';

describe('ACD in Redis', () => {
  const t = useTestAcd();
  const { queue, readyAgent, call, offerOne } = t;

  const waitingOrder = async (queueId = 1) =>
    (await t.acd.snapshot(queueId)).waiting.map((c) => c.interactionId);

  /** Talk time for an agent: takes one call alone and talks for `seconds`. */
  const talk = async (agentId: number, interactionId: number, seconds: number) => {
    await call(interactionId);
    const offer = await offerOne();
    expect(offer.agentId).toBe(agentId);
    await t.acd.acceptReservation(offer.id, agentId);
    t.clock.advance(seconds * SECOND);
    await t.acd.endCall(interactionId);
  };

  describe('agent selection', () => {
    it('longest_idle picks the agent available the longest, among those with the skills', async () => {
      await queue({ requiredSkills: [{ skill: 'billing', minProficiency: 3 }] });
      await readyAgent(5, { billing: 2 });
      await readyAgent(7, { billing: 3 });
      await readyAgent(8, { billing: 5 });
      await readyAgent(9, { billing: 4 });
      await call(100);
      const offer = await offerOne();
      expect(offer).toMatchObject({ interactionId: 100, agentId: 7, queueId: 1, state: 'pending' });
      expect(offer.reason).toBe('longest idle (3 s) among 3 with skill billing≥3');
      expect(offer.expiresAtMs).toBe(t.clock.now().getTime() + 20 * SECOND);
    });

    it('breaks ties by the lowest agent id, numerically', async () => {
      await queue();
      for (const id of [12, 3, 7]) {
        await t.acd.setAgentProfile({ id, skills: [] });
        await t.acd.agentEvent(id, 'login');
        await t.acd.agentEvent(id, 'go_available');
      }
      await call(100);
      expect((await offerOne()).agentId).toBe(3);
    });

    it('least_occupied picks the agent with the least talk time today', async () => {
      await queue({ strategy: 'least_occupied' });
      await readyAgent(1);
      await t.acd.agentEvent(1, 'take_break', { reason: 'lunch' });
      await readyAgent(2);
      await t.acd.agentEvent(2, 'take_break', { reason: 'lunch' });
      await readyAgent(3);
      await talk(3, 100, 120);
      await t.acd.agentEvent(3, 'take_break', { reason: 'lunch' });
      await t.acd.agentEvent(1, 'go_available');
      await talk(1, 101, 60);
      await t.acd.agentEvent(1, 'take_break', { reason: 'lunch' });
      await t.acd.agentEvent(2, 'go_available');
      await talk(2, 102, 300);
      await t.acd.agentEvent(1, 'go_available');
      await t.acd.agentEvent(3, 'go_available');

      await call(103);
      const offer = await offerOne();
      expect(offer.agentId).toBe(1);
      expect(offer.reason).toBe('least occupied (60 s talk today) among 3 available');
      await t.acd.rejectReservation(offer.id, 1);

      // A new day starts everyone at zero: agent 3 (120 s yesterday) ties with agent 2 (300 s) and loses on id.
      t.clock.advance(24 * 3600 * SECOND);
      expect((await offerOne()).agentId).toBe(2);
    });

    it('skills_best_match picks the highest proficiency summed over the required skills', async () => {
      await queue({
        strategy: 'skills_best_match',
        requiredSkills: [
          { skill: 'billing', minProficiency: 1 },
          { skill: 'mandarin', minProficiency: 1 },
        ],
      });
      await readyAgent(1, { billing: 5, mandarin: 1 });
      await readyAgent(2, { billing: 3, mandarin: 4 });
      await readyAgent(3, { billing: 5, english: 5 });
      await call(100);
      const offer = await offerOne();
      expect(offer.agentId).toBe(2);
      expect(offer.reason).toBe(
        'best skills match (proficiency 7) among 2 with skills billing≥1, mandarin≥1',
      );
    });

    it('round_robin takes the next agent id after the last one served, wrapping round', async () => {
      await queue({ strategy: 'round_robin' });
      for (const id of [4, 2, 9]) await readyAgent(id);
      const served: number[] = [];
      for (let interactionId = 100; interactionId < 105; interactionId++) {
        await call(interactionId);
        const offer = await offerOne();
        served.push(offer.agentId);
        await t.acd.acceptReservation(offer.id, offer.agentId);
        await t.acd.endCall(interactionId);
      }
      expect(served).toEqual([2, 4, 9, 2, 4]);
    });

    it('follows skill changes of a waiting agent and of a queue at once', async () => {
      await queue({ requiredSkills: [{ skill: 'billing', minProficiency: 3 }] });
      await readyAgent(7, { sales: 5 });
      await call(1);
      expect(await t.acd.dispatch()).toEqual([]);
      await t.acd.setAgentProfile({ id: 7, skills: [{ skill: 'billing', proficiency: 3 }] });
      expect(await t.acd.checkInvariants()).toEqual([]);
      expect((await offerOne()).agentId).toBe(7);

      await readyAgent(8, { sales: 5 });
      await call(2);
      expect(await t.acd.dispatch()).toEqual([]);
      await queue({ requiredSkills: [{ skill: 'sales', minProficiency: 4 }] });
      expect(await t.acd.checkInvariants()).toEqual([]);
      expect((await offerOne()).agentId).toBe(8);
    });

    it('offers nothing until an agent with every required skill is available', async () => {
      await queue({
        requiredSkills: [
          { skill: 'billing', minProficiency: 3 },
          { skill: 'mandarin', minProficiency: 2 },
        ],
      });
      await readyAgent(1, { billing: 5 });
      await readyAgent(2, { billing: 2, mandarin: 5 });
      await readyAgent(3, { billing: 3, mandarin: 2 });
      await t.acd.agentEvent(3, 'take_break', { reason: 'training' });
      await call(100);
      expect(await t.acd.dispatch()).toEqual([]);
      expect(await t.acd.position(100)).toEqual({ queueId: 1, position: 1, count: 1 });

      await t.acd.agentEvent(3, 'go_available');
      expect((await offerOne()).agentId).toBe(3);
    });
  });

  describe('waiting order', () => {
    it('serves higher tiers first but never starves a long-waiting bronze caller', async () => {
      await queue();
      await call(1, 'bronze');
      t.clock.advance(10 * SECOND);
      await call(2, 'gold');
      t.clock.advance(10 * SECOND);
      await call(3, 'platinum');
      expect(await waitingOrder()).toEqual([3, 2, 1]);

      t.clock.advance(121 * SECOND);
      await call(4, 'platinum');
      const { waiting } = await t.acd.snapshot(1);
      expect(waiting.map((c) => [c.interactionId, c.position, c.waitSeconds, c.priorityScore])).toEqual([
        [3, 1, 121, 241],
        [2, 2, 131, 191],
        [1, 3, 141, 141],
        [4, 4, 0, 120],
      ]);

      await readyAgent(1);
      expect((await offerOne()).interactionId).toBe(3);
    });

    it('offers the best call across queues by queue priority', async () => {
      await queue({ id: 1, priority: 0 });
      await queue({ id: 2, priority: 300 });
      await call(1, 'platinum', 1);
      t.clock.advance(60 * SECOND);
      await call(2, 'bronze', 2);
      await readyAgent(1);
      expect((await offerOne()).interactionId).toBe(2);
    });

    it('moves a call to another queue keeping its original enqueue time', async () => {
      await queue({ id: 1 });
      await queue({ id: 2, tierBoost: { gold: 0 } });
      await call(1, 'gold', 1);
      t.clock.advance(30 * SECOND);
      await call(2, 'bronze', 2);
      await call(3, 'bronze', 2);
      await t.acd.moveToQueue(1, 2);
      expect(await waitingOrder(1)).toEqual([]);
      expect(await waitingOrder(2)).toEqual([1, 2, 3]);
      expect((await t.acd.snapshot(2)).waiting[0]).toMatchObject({ waitSeconds: 30, priorityScore: 30 });
      await expect(t.acd.moveToQueue(1, 99)).rejects.toThrow(NotFoundError);
    });

    it('raises a waiting call by the given seconds', async () => {
      await queue();
      await call(1);
      t.clock.advance(5 * SECOND);
      await call(2);
      await t.acd.raisePriority(2, 6);
      expect(await waitingOrder()).toEqual([2, 1]);
      expect(await t.acd.position(1)).toEqual({ queueId: 1, position: 2, count: 2 });
    });

    it('estimates the wait from the calls ahead and the staffed agents', async () => {
      await queue({ requiredSkills: [{ skill: 'billing', minProficiency: 1 }] });
      expect(await t.acd.estimatedWaitSeconds(1, 300)).toBeNull();
      await readyAgent(1, { billing: 1 });
      await readyAgent(2, { billing: 1 });
      await t.acd.agentEvent(2, 'take_break', { reason: 'lunch' });
      await readyAgent(3, {});
      for (let i = 1; i <= 3; i++) await call(i);
      expect(await t.acd.estimatedWaitSeconds(1, 300)).toBe(450);
    });
  });

  describe('reservations', () => {
    it('connects the call to the agent on accept', async () => {
      await queue();
      await readyAgent(7);
      await call(100);
      const offer = await offerOne();
      expect(await t.acd.getAgent(7)).toMatchObject({ status: 'reserved', reservationId: offer.id });
      expect(await t.acd.getCall(100)).toMatchObject({ state: 'reserved', agentId: 7 });

      expect(await t.acd.acceptReservation(offer.id, 7)).toMatchObject({ id: offer.id, state: 'accepted' });
      expect(await t.acd.getAgent(7)).toMatchObject({
        status: 'on_call',
        interactionId: 100,
        reservationId: null,
      });
      expect(await t.acd.getCall(100)).toMatchObject({ state: 'connected', agentId: 7 });
      expect(await t.acd.position(100)).toBeNull();
      await expect(t.acd.acceptReservation(offer.id, 7)).rejects.toThrow(IllegalTransitionError);
      expect(await t.acd.checkInvariants()).toEqual([]);
    });

    it.each(['rejected', 'timed out'])(
      'puts a %s call back at its original place and the agent on break for RONA',
      async (how) => {
        await queue();
        await readyAgent(7);
        await call(1);
        t.clock.advance(SECOND);
        await call(2);
        const offer = await offerOne();
        expect(offer.interactionId).toBe(1);
        t.clock.advance(10 * SECOND);
        await call(3);

        if (how === 'rejected') {
          expect(await t.acd.rejectReservation(offer.id, 7)).toMatchObject({ state: 'rejected' });
        } else {
          expect(await t.acd.expireReservations(offer.expiresAtMs - 1)).toEqual([]);
          const expired = await t.acd.expireReservations(offer.expiresAtMs);
          expect(expired.map((r) => [r.id, r.state])).toEqual([[offer.id, 'timed_out']]);
        }

        expect(await waitingOrder()).toEqual([1, 2, 3]);
        const { waiting } = await t.acd.snapshot(1);
        expect(waiting[0]).toMatchObject({ interactionId: 1, waitSeconds: 11 });
        expect(await t.acd.getAgent(7)).toMatchObject({
          status: 'break',
          reason: how === 'rejected' ? 'declined' : 'rona',
          reservationId: null,
        });
        expect(await t.acd.dispatch()).toEqual([]);
        expect(await t.acd.checkInvariants()).toEqual([]);
      },
    );

    it('puts a call whose agent’s phone failed after accepting back at its place, the agent on a missed-call break', async () => {
      await queue();
      await readyAgent(7);
      await call(1);
      t.clock.advance(SECOND);
      await call(2);
      const offer = await offerOne();
      await t.acd.acceptReservation(offer.id, 7);
      t.clock.advance(10 * SECOND);

      expect(await t.acd.requeue(1)).toEqual({ agentId: 7 });
      expect(await waitingOrder()).toEqual([1, 2]);
      expect(await t.acd.getCall(1)).toMatchObject({ state: 'queued', agentId: null, reservationId: null });
      expect(await t.acd.getAgent(7)).toMatchObject({ status: 'break', reason: 'rona', interactionId: null });
      expect(await t.acd.dispatch()).toEqual([]);
      await expect(t.acd.requeue(1)).rejects.toThrow(IllegalTransitionError);
      expect(await t.acd.checkInvariants()).toEqual([]);
    });

    it('offers a call to one named agent, and to the queue at its old place if they decline', async () => {
      await queue();
      await readyAgent(7);
      await readyAgent(8);
      await call(1);
      t.clock.advance(SECOND);
      const startedWaitingAt = t.clock.now().getTime() - 60 * SECOND;
      // Agent 8 is not the longest idle: only the transfer names them.
      const offer = await t.acd.offerToAgent({
        interactionId: 2,
        queueId: 1,
        tier: 'bronze',
        enqueuedAtMs: startedWaitingAt,
        agentId: 8,
        reason: 'transfer from agent7',
      });
      expect(offer).toMatchObject({
        interactionId: 2,
        agentId: 8,
        state: 'pending',
        reason: 'transfer from agent7',
      });
      expect(await t.acd.getAgent(8)).toMatchObject({ status: 'reserved', reservationId: offer.id });
      expect(await waitingOrder()).toEqual([1]);
      expect(await t.acd.checkInvariants()).toEqual([]);

      await t.acd.rejectReservation(offer.id, 8);
      // Back in the queue ahead of call 1, which started waiting later.
      expect(await waitingOrder()).toEqual([2, 1]);
      expect((await offerOne()).agentId).toBe(7);
      expect(await t.acd.checkInvariants()).toEqual([]);
    });

    it('connects a call an agent places at once, from available or a break, and ends it like any other', async () => {
      await queue({ acwPolicy: 'optional' });
      await readyAgent(7);
      await readyAgent(8);
      await t.acd.agentEvent(8, 'take_break', { reason: 'training' });
      await t.acd.startOutbound({ interactionId: 50, queueId: 1, tier: 'gold', agentId: 7 });
      await t.acd.startOutbound({ interactionId: 51, queueId: 1, tier: 'bronze', agentId: 8 });
      expect(await t.acd.getAgent(7)).toMatchObject({ status: 'on_call', interactionId: 50 });
      expect(await t.acd.getCall(51)).toMatchObject({ state: 'connected', agentId: 8 });
      expect(await t.acd.checkInvariants()).toEqual([]);
      // Nothing else rings an agent on an outbound call.
      await call(1);
      expect(await t.acd.dispatch()).toEqual([]);
      expect(await t.acd.endCall(50)).toEqual({ agentId: 7, agentStatus: 'wrap_up' });
      expect(await t.acd.checkInvariants()).toEqual([]);
    });

    it('refuses an outbound call from an agent who is busy or signed out, changing nothing', async () => {
      await queue();
      await readyAgent(7);
      await call(1);
      await offerOne();
      const dial = (agentId: number, interactionId: number) =>
        t.acd.startOutbound({ interactionId, queueId: 1, tier: 'bronze', agentId });
      await expect(dial(7, 60)).rejects.toThrow(IllegalTransitionError);
      await t.acd.setAgentProfile({ id: 9, skills: [] });
      await expect(dial(9, 61)).rejects.toThrow(IllegalTransitionError);
      await expect(dial(99, 62)).rejects.toThrow(NotFoundError);
      await readyAgent(10);
      await expect(dial(10, 1)).rejects.toThrow(IllegalTransitionError);
      expect(await t.acd.getCall(60)).toBeNull();
      expect(await t.acd.getAgent(10)).toMatchObject({ status: 'available' });
      expect(await t.acd.checkInvariants()).toEqual([]);
    });

    it('refuses to offer a call to an agent who is not available, changing nothing', async () => {
      await queue();
      await readyAgent(7);
      await t.acd.agentEvent(7, 'take_break', { reason: 'lunch' });
      const transfer = (agentId: number, interactionId = 5) =>
        t.acd.offerToAgent({
          interactionId,
          queueId: 1,
          tier: 'gold',
          enqueuedAtMs: t.clock.now().getTime(),
          agentId,
          reason: 'transfer',
        });
      await expect(transfer(7)).rejects.toThrow(IllegalTransitionError);
      await expect(transfer(99)).rejects.toThrow(NotFoundError);
      expect(await t.acd.getCall(5)).toBeNull();
      await t.acd.agentEvent(7, 'go_available');
      await call(6);
      await expect(transfer(7, 6)).rejects.toThrow(IllegalTransitionError);
      expect(await t.acd.getAgent(7)).toMatchObject({ status: 'available' });
      expect(await t.acd.checkInvariants()).toEqual([]);
    });

    it('never connects an expired reservation, whether or not a sweep ran first', async () => {
      await queue({ ringTimeoutSeconds: 15 });
      await readyAgent(7);
      await readyAgent(8);
      await call(100);
      const first = await offerOne();
      t.clock.advance(15 * SECOND);

      const error = await t.acd.acceptReservation(first.id, 7).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ReservationExpiredError);
      expect(error).toMatchObject({
        machine: 'reservation',
        from: 'timed_out',
        event: 'accept',
        id: first.id,
      });
      expect(await t.acd.getCall(100)).toMatchObject({ state: 'queued' });
      expect(await t.acd.getAgent(7)).toMatchObject({ status: 'break', reason: 'rona' });
      expect(await t.acd.expireReservations()).toEqual([]);

      const second = await offerOne();
      expect(second.agentId).toBe(8);
      t.clock.advance(15 * SECOND);
      expect((await t.acd.expireReservations()).map((r) => r.id)).toEqual([second.id]);
      await expect(t.acd.acceptReservation(second.id, 8)).rejects.toThrow(ReservationExpiredError);
      await expect(t.acd.rejectReservation(second.id, 8)).rejects.toThrow(ReservationExpiredError);
      expect((await t.acd.snapshot()).agents.on_call).toEqual([]);
      expect(await t.acd.checkInvariants()).toEqual([]);
    });

    it('refuses an answer from another agent or for an unknown reservation, changing nothing', async () => {
      await queue();
      await readyAgent(7);
      await readyAgent(8);
      await call(100);
      const offer = await offerOne();
      await expect(t.acd.acceptReservation(offer.id, 8)).rejects.toThrow(ReservationNotYoursError);
      await expect(t.acd.rejectReservation(offer.id, 8)).rejects.toThrow(
        `Reservation ${offer.id} was not offered to agent 8`,
      );
      await expect(t.acd.acceptReservation(999, 7)).rejects.toThrow(NotFoundError);
      expect(await t.acd.getAgent(7)).toMatchObject({ status: 'reserved', reservationId: offer.id });
      expect(await t.acd.getAgent(8)).toMatchObject({ status: 'available' });
    });
  });

  describe('calls', () => {
    it('enqueues an interaction once, however often it is retried', async () => {
      await queue();
      expect(await call(100, 'gold')).toEqual({ created: true, state: 'queued' });
      expect(await call(100, 'platinum')).toEqual({ created: false, state: 'queued' });
      expect(await t.acd.getCall(100)).toMatchObject({ tier: 'gold' });
      expect(await waitingOrder()).toEqual([100]);

      await t.acd.abandon(100);
      expect(await call(100)).toEqual({ created: false, state: 'abandoned' });
      expect(await waitingOrder()).toEqual([]);
      await expect(call(101, 'gold', 42)).rejects.toThrow(new NotFoundError('CallQueue', 42));
    });

    it('abandons a waiting call', async () => {
      await queue();
      await call(100);
      expect(await t.acd.abandon(100)).toEqual({ cancelledReservationId: null });
      expect(await t.acd.getCall(100)).toMatchObject({ state: 'abandoned' });
      expect(await t.acd.position(100)).toBeNull();
      await expect(t.acd.abandon(100)).rejects.toThrow(IllegalTransitionError);
      expect(await t.acd.checkInvariants()).toEqual([]);
    });

    it('abandons a ringing call: the reservation is cancelled and the agent keeps their idle place', async () => {
      await queue();
      await readyAgent(7);
      await readyAgent(8);
      await call(100);
      const offer = await offerOne();
      expect(offer.agentId).toBe(7);

      expect(await t.acd.abandon(100)).toEqual({ cancelledReservationId: offer.id });
      expect(await t.acd.getAgent(7)).toMatchObject({
        status: 'available',
        reservationId: null,
        interactionId: null,
      });
      await expect(t.acd.acceptReservation(offer.id, 7)).rejects.toThrow(ReservationCancelledError);
      await call(101);
      expect((await offerOne()).agentId).toBe(7);
      expect(await t.acd.checkInvariants()).toEqual([]);
    });

    it('lets a waiting call leave for voicemail, but not a connected one abandon', async () => {
      await queue();
      await call(100);
      await t.acd.leaveQueue(100, 'voicemail');
      expect(await t.acd.getCall(100)).toMatchObject({ state: 'voicemail' });

      await readyAgent(7);
      await call(101);
      await t.acd.acceptReservation((await offerOne()).id, 7);
      await expect(t.acd.abandon(101)).rejects.toThrow(
        expect.objectContaining({ machine: 'call', from: 'connected', event: 'abandon' }) as Error,
      );
      await expect(t.acd.leaveQueue(101, 'callback')).rejects.toThrow(IllegalTransitionError);
      expect(await t.acd.checkInvariants()).toEqual([]);
    });
  });

  describe('after-call work', () => {
    const endCallUnder = async (
      acwPolicy: CallQueueSettings['acwPolicy'],
      acwSeconds: number | null = null,
    ) => {
      await queue({ acwPolicy, acwSeconds });
      await readyAgent(7);
      await call(100);
      await t.acd.acceptReservation((await offerOne()).id, 7);
      return t.acd.endCall(100);
    };

    it("makes the agent available at once under 'none'", async () => {
      expect(await endCallUnder('none')).toEqual({ agentId: 7, agentStatus: 'available' });
      expect(await t.acd.getCall(100)).toMatchObject({ state: 'ended' });
      await expect(t.acd.endCall(100)).rejects.toThrow(IllegalTransitionError);
    });

    it.each(['optional', 'mandatory'] as const)(
      "keeps the agent in wrap_up under '%s' until they end it",
      async (policy) => {
        expect(await endCallUnder(policy)).toEqual({ agentId: 7, agentStatus: 'wrap_up' });
        t.clock.advance(3600 * SECOND);
        expect(await t.acd.expireWrapUps()).toEqual([]);
        await call(101);
        expect(await t.acd.dispatch()).toEqual([]);
        expect(await t.acd.endWrapUp(7)).toBe('available');
        expect((await offerOne()).agentId).toBe(7);
      },
    );

    it("ends after-call work by itself after acwSeconds under 'timed'", async () => {
      expect(await endCallUnder('timed', 30)).toEqual({ agentId: 7, agentStatus: 'wrap_up' });
      const deadline = t.clock.now().getTime() + 30 * SECOND;
      expect(await t.acd.expireWrapUps(deadline - 1)).toEqual([]);
      expect(await t.acd.expireWrapUps(deadline)).toEqual([7]);
      expect(await t.acd.getAgent(7)).toMatchObject({ status: 'available' });
      await expect(t.acd.endWrapUp(7)).rejects.toThrow(IllegalTransitionError);
      expect(await t.acd.checkInvariants()).toEqual([]);
    });
  });

  describe('agent events', () => {
    it('changes nothing on an illegal transition', async () => {
      await queue();
      await readyAgent(7);
      await call(100);
      await t.acd.dispatch();
      const before = await t.acd.snapshot();

      const error = await t.acd.agentEvent(7, 'take_break', { reason: 'lunch' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IllegalTransitionError);
      expect(error).toMatchObject({ machine: 'agent', from: 'reserved', event: 'take_break', id: 7 });
      await expect(t.acd.agentEvent(7, 'logout')).rejects.toThrow(
        'agent 7: logout is not allowed from reserved',
      );
      await expect(t.acd.agentEvent(7, 'reserve' as 'login')).rejects.toThrow(RangeError);
      await expect(t.acd.agentEvent(8, 'login')).rejects.toThrow(new NotFoundError('Agent', 8));
      expect(await t.acd.snapshot()).toEqual(before);
    });

    it('keeps the break reason and clears it on return', async () => {
      await readyAgent(7);
      await expect(t.acd.agentEvent(7, 'take_break')).rejects.toThrow('take_break needs a reason');
      expect(await t.acd.agentEvent(7, 'take_break', { reason: 'lunch' })).toBe('break');
      expect(await t.acd.getAgent(7)).toMatchObject({ status: 'break', reason: 'lunch' });
      await t.acd.agentEvent(7, 'go_available');
      expect(await t.acd.getAgent(7)).toMatchObject({ status: 'available', reason: null });
      expect(await t.acd.agentEvent(7, 'logout')).toBe('offline');
    });
  });

  it(
    'stays consistent with 200 callers and 50 agents racing over four connections',
    { timeout: 90_000 },
    async () => {
      const strategies: RoutingStrategy[] = [
        'longest_idle',
        'least_occupied',
        'round_robin',
        'skills_best_match',
      ];
      const acwPolicies = ['none', 'timed', 'optional', 'mandatory'] as const;
      for (let id = 1; id <= 4; id++) {
        await queue({
          id,
          priority: id * 10,
          strategy: strategies[id - 1]!,
          requiredSkills: id === 3 ? [] : [{ skill: id === 1 ? 'billing' : 'support', minProficiency: 2 }],
          ringTimeoutSeconds: 1,
          acwPolicy: acwPolicies[id - 1]!,
          acwSeconds: id === 2 ? 2 : null,
        });
      }
      for (let id = 1; id <= 50; id++) {
        await t.acd.setAgentProfile({
          id,
          skills: [
            { skill: 'billing', proficiency: 1 + (id % 5) },
            { skill: 'support', proficiency: 1 + ((id * 3) % 5) },
          ],
        });
      }

      const connections = Array.from({ length: 4 }, () => new Redis(REDIS_URL));
      const acds = connections.map((connection) =>
        createAcd({ redis: connection, prefix: t.prefix, clock: t.clock }),
      );
      const anyAcd = () => acds[randomInt(acds.length)]!;
      const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      const CALLS = 200;
      const deadline = Date.now() + 60_000;

      const created = new Map<number, number>();
      const finished = new Map<number, ('ended' | 'abandoned')[]>();
      const accepted = new Map<number, number>();
      const offered: Reservation[] = [];
      const batchProblems: string[] = [];
      const violations: string[] = [];
      const ignored = new Set<number>();
      const tally = {
        accepted: 0,
        rejected: 0,
        ignored: 0,
        expiredOnAnswer: 0,
        cancelledOnAnswer: 0,
        invariantChecks: 0,
      };

      const running = () => finished.size < CALLS && Date.now() < deadline;
      const finish = (interactionId: number, how: 'ended' | 'abandoned') =>
        finished.set(interactionId, [...(finished.get(interactionId) ?? []), how]);
      const expected = (error: unknown, ...types: (abstract new (...args: never[]) => AcdError)[]) => {
        if (!types.some((type) => error instanceof type)) throw error;
      };

      const caller = async (interactionId: number) => {
        await pause(randomInt(50));
        const enqueue = () =>
          anyAcd().enqueue({ interactionId, queueId: 1 + randomInt(4), tier: TIERS[randomInt(4)]! });
        const results = await Promise.all(randomInt(5) === 0 ? [enqueue(), enqueue()] : [enqueue()]);
        created.set(interactionId, results.filter((r) => r.created).length);
        if (randomInt(10) === 0) {
          await anyAcd()
            .moveToQueue(interactionId, 1 + randomInt(4))
            .catch((e: unknown) => expected(e, IllegalTransitionError));
        }
        if (randomInt(10) < 3) {
          await pause(randomInt(150));
          try {
            await anyAcd().abandon(interactionId);
            finish(interactionId, 'abandoned');
          } catch (error) {
            expected(error, IllegalTransitionError);
            // Already connected: the caller hanging up ends the call, unless the agent just did.
            await anyAcd()
              .endCall(interactionId)
              .then(() => finish(interactionId, 'ended'))
              .catch((e: unknown) => expected(e, IllegalTransitionError));
          }
        }
      };

      const agent = async (agentId: number) => {
        await anyAcd().agentEvent(agentId, 'login');
        while (running()) {
          await pause(randomInt(6));
          const me = (await anyAcd().getAgent(agentId))!;
          if (me.status === 'break') {
            await anyAcd().agentEvent(agentId, 'go_available');
          } else if (me.status === 'reserved' && !ignored.has(me.reservationId!)) {
            const choice = randomInt(10);
            try {
              // Some answer late, racing the ring timeout.
              if (choice === 6) await pause(randomInt(100));
              if (choice < 7) {
                const reservation = await anyAcd().acceptReservation(me.reservationId!, agentId);
                accepted.set(reservation.interactionId, (accepted.get(reservation.interactionId) ?? 0) + 1);
                tally.accepted++;
              } else if (choice < 9) {
                await anyAcd().rejectReservation(me.reservationId!, agentId);
                tally.rejected++;
              } else {
                ignored.add(me.reservationId!);
                tally.ignored++;
              }
            } catch (error) {
              expected(error, ReservationExpiredError, ReservationCancelledError);
              if (error instanceof ReservationExpiredError) tally.expiredOnAnswer++;
              else tally.cancelledOnAnswer++;
            }
          } else if (me.status === 'on_call' && randomInt(3) === 0) {
            await anyAcd()
              .endCall(me.interactionId!)
              .then(() => finish(me.interactionId!, 'ended'))
              .catch((e: unknown) => expected(e, IllegalTransitionError));
          } else if (me.status === 'wrap_up' && randomInt(2) === 0) {
            await anyAcd()
              .endWrapUp(agentId)
              .catch((e: unknown) => expected(e, IllegalTransitionError));
          }
        }
      };

      const dispatcher = async () => {
        while (running()) {
          const made = await anyAcd().dispatch();
          offered.push(...made);
          const agents = new Set(made.map((r) => r.agentId));
          const calls = new Set(made.map((r) => r.interactionId));
          if (agents.size !== made.length || calls.size !== made.length)
            batchProblems.push(JSON.stringify(made));
          await pause(randomInt(4));
        }
      };

      const sweeper = async () => {
        while (running()) {
          t.clock.advance(250);
          await anyAcd().expireReservations();
          await anyAcd().expireWrapUps();
          await pause(3);
        }
      };

      const monitor = async () => {
        while (running()) {
          violations.push(...(await anyAcd().checkInvariants()));
          tally.invariantChecks++;
          await pause(10);
        }
      };

      try {
        await Promise.all([
          ...Array.from({ length: CALLS }, (_, i) => caller(1000 + i)),
          ...Array.from({ length: 50 }, (_, i) => agent(i + 1)),
          dispatcher(),
          dispatcher(),
          dispatcher(),
          sweeper(),
          monitor(),
        ]);
      } finally {
        await Promise.all(connections.map((connection) => connection.quit()));
      }

      expect(finished.size, 'every call finished before the deadline').toBe(CALLS);
      expect(violations).toEqual([]);
      expect(batchProblems).toEqual([]);
      expect(await t.acd.checkInvariants()).toEqual([]);
      for (let interactionId = 1000; interactionId < 1000 + CALLS; interactionId++) {
        expect(created.get(interactionId), `call ${interactionId} created once`).toBe(1);
        const outcomes = finished.get(interactionId)!;
        expect(outcomes, `call ${interactionId} finished once`).toHaveLength(1);
        expect((await t.acd.getCall(interactionId))?.state).toBe(outcomes[0]);
        expect(accepted.get(interactionId) ?? 0).toBe(outcomes[0] === 'ended' ? 1 : 0);
      }
      expect(new Set(offered.map((r) => r.id)).size).toBe(offered.length);
      const end = await t.acd.snapshot();
      expect(end.waiting).toEqual([]);
      expect(end.reservations).toEqual([]);
      expect([...end.agents.reserved, ...end.agents.on_call]).toEqual([]);
      // Every path was taken, not only the happy one.
      expect(tally.invariantChecks).toBeGreaterThan(0);
      expect(tally.rejected).toBeGreaterThan(0);
      expect(tally.ignored).toBeGreaterThan(0);
      expect([...finished.values()].flat()).toContain('abandoned');
    },
  );
});
