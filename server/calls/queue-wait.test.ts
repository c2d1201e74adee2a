import { describe, expect, it } from 'vitest';
import { AcdError, type AcdSnapshot, type WaitingCall } from '../../queues/index.js';
import type { CallQueue } from '../call-queues/call-queues.schemas.js';
import type { CallTarget } from '../telephony/index.js';
import { aCallQueue, inMemorySessions } from '../testing/call-path-fakes.js';
import { newSession, type CallSession } from './call-sessions.js';
import {
  alternativeOf,
  createQueueWait,
  mayOverflow,
  overflowDue,
  waitIsOver,
  type QueueWaitDeps,
} from './queue-wait.js';

const now = new Date('2026-03-02T10:00:00.000Z');
const sales = aCallQueue({ id: 1, name: 'Sales', overflowAfterSeconds: 60, overflowQueueId: 2 });
const support = aCallQueue({ id: 2, name: 'Support', overflowAfterSeconds: 60, overflowQueueId: 1 });
const byId = (...queues: CallQueue[]) => new Map(queues.map((queue) => [queue.id, queue]));
const waiting = (interactionId: number, queueId: number, waitSeconds: number): WaitingCall => ({
  interactionId,
  queueId,
  tier: 'bronze',
  position: 1,
  waitSeconds,
  priorityScore: waitSeconds,
});
const sessionOf = (interactionId: number, fields: Partial<CallSession> = {}) =>
  newSession({
    interactionId,
    provider: 'twilio',
    providerCallId: `CA${interactionId}`,
    callerNumber: null,
    ...fields,
  });

describe('routing decisions', () => {
  it('overflows a call once it waited its queue’s overflow time, to the overflow queue', () => {
    expect(overflowDue(waiting(9, 1, 59), byId(sales, support))).toBeNull();
    expect(overflowDue(waiting(9, 1, 60), byId(sales, support))).toEqual({ from: sales, to: support });
    expect(overflowDue(waiting(9, 1, 600), byId(aCallQueue({ id: 1, overflowAfterSeconds: 60 })))).toBeNull();
    expect(overflowDue(waiting(9, 1, 600), byId(sales))).toBeNull();
  });

  it('never overflows a callback, nor back into a queue the call came from', () => {
    expect(mayOverflow(null, support)).toBe(true);
    expect(mayOverflow(sessionOf(9, { overflowedFrom: [3] }), support)).toBe(true);
    expect(mayOverflow(sessionOf(9, { overflowedFrom: [2] }), support)).toBe(false);
    expect(mayOverflow(sessionOf(9, { dialOut: { phoneNumber: '+1', callback: null } }), support)).toBe(
      false,
    );
  });

  it('ends the wait at the queue’s maximum, or at once when the queue emptied', () => {
    const capped = aCallQueue({ id: 1, maxWaitSeconds: 120 });
    expect(waitIsOver(waiting(9, 1, 119), capped, false)).toBe(false);
    expect(waitIsOver(waiting(9, 1, 120), capped, false)).toBe(true);
    expect(waitIsOver(waiting(9, 1, 5), aCallQueue({ id: 1 }), false)).toBe(false);
    expect(waitIsOver(waiting(9, 1, 5), aCallQueue({ id: 1 }), true)).toBe(true);
  });

  it('offers a callback instead of the wait only where the queue’s max-wait action is a callback', () => {
    expect(alternativeOf(aCallQueue({ id: 1, maxWaitAction: 'callback' }))).toBe('callback');
    expect(alternativeOf(aCallQueue({ id: 1, maxWaitAction: 'voicemail' }))).toBe('voicemail');
    expect(alternativeOf(aCallQueue({ id: 1, maxWaitAction: 'hangup' }))).toBe('voicemail');
  });
});

/** The waiting rules over fakes of their ports, recording what they were asked to do. */
function harness({
  sessions = [] as CallSession[],
  staffedQueues = [] as number[],
  taken = [] as number[],
  withPhone = true,
} = {}) {
  const done: string[] = [];
  const notes: { interactionId: number; type: string; data: unknown }[] = [];
  const store = inMemorySessions(sessions);
  const refuseTaken = (interactionId: number) => {
    if (taken.includes(interactionId)) throw new AcdError(`${interactionId} was offered`);
  };
  const snapshot = (queueId?: number): Promise<AcdSnapshot> =>
    Promise.resolve({
      atMs: now.getTime(),
      waiting: [],
      reservations: [],
      agents: {
        offline: [],
        available: staffedQueues.includes(queueId ?? -1)
          ? [{ agentId: 1, reason: null, statusSinceMs: 0, nextReason: null }]
          : [],
        reserved: [],
        on_call: [],
        wrap_up: [],
        break: [],
      },
    });
  const deps: QueueWaitDeps = {
    acd: {
      snapshot,
      upsertQueue: (queue) => {
        done.push(`upsert ${queue.id}`);
        return Promise.resolve();
      },
      moveToQueue: (interactionId, queueId) => {
        refuseTaken(interactionId);
        done.push(`move ${interactionId} to ${queueId}`);
        return Promise.resolve();
      },
      abandon: (interactionId) => {
        refuseTaken(interactionId);
        done.push(`abandon ${interactionId}`);
        return Promise.resolve({ cancelledReservationId: null });
      },
      leaveQueue: (interactionId, exit) => {
        refuseTaken(interactionId);
        done.push(`leave ${interactionId} for ${exit}`);
        return Promise.resolve();
      },
    },
    sessions: store,
    interactions: {
      note: (interactionId, type, _at, _agentId, data) => void notes.push({ interactionId, type, data }),
    },
    phone: withPhone
      ? {
          hangUp: (target: CallTarget) => {
            done.push(`hang up ${target.providerCallId}`);
            return Promise.resolve();
          },
          offerAlternative: (target: CallTarget, alternative) => {
            done.push(`offer ${alternative} to ${target.providerCallId}`);
            return Promise.resolve();
          },
        }
      : null,
    log: { error: () => undefined },
    applySafely: (interactionId, event, _at, reason) => {
      done.push(`record ${interactionId} ${event.type}${reason ? `: ${reason}` : ''}`);
      return true;
    },
    acdQueue: (queue) => ({ id: queue.id }) as ReturnType<QueueWaitDeps['acdQueue']>,
    target: (session) => ({
      interactionId: session.interactionId,
      provider: session.provider,
      providerCallId: session.providerCallId,
      conferenceName: `c${session.interactionId}`,
    }),
  };
  return { wait: createQueueWait(deps), done, notes, sessions: store.all };
}

describe('overflow', () => {
  it('moves a call that waited too long and remembers where it came from', async () => {
    const { wait, done, sessions } = harness({ sessions: [sessionOf(9, { queueId: 1 })] });
    const moved = await wait.overflow([waiting(9, 1, 61), waiting(10, 1, 30)], byId(sales, support), now);
    expect([...moved]).toEqual([9]);
    expect(done).toEqual(['upsert 2', 'move 9 to 2', 'record 9 queued: overflow from Sales after 60 s']);
    expect(sessions.get(9)).toMatchObject({ queueId: 2, overflowedFrom: [1] });
  });

  it('does not move a call back into a queue it overflowed from, so rules that point at each other cannot loop', async () => {
    const { wait, done } = harness({ sessions: [sessionOf(9, { queueId: 2, overflowedFrom: [1] })] });
    expect((await wait.overflow([waiting(9, 2, 61)], byId(sales, support), now)).size).toBe(0);
    expect(done).toEqual([]);
  });

  it('leaves a call that was offered since the snapshot where it is', async () => {
    const { wait, done, sessions } = harness({ sessions: [sessionOf(9)], taken: [9] });
    expect((await wait.overflow([waiting(9, 1, 61)], byId(sales, support), now)).size).toBe(0);
    expect(done).toEqual(['upsert 2']);
    expect(sessions.get(9)?.overflowedFrom).toBeUndefined();
  });
});

describe('max wait', () => {
  const capped = (maxWaitAction: CallQueue['maxWaitAction']) =>
    aCallQueue({ id: 1, maxWaitSeconds: 120, maxWaitAction });

  it('hangs up on a caller past the maximum when the queue says hang up', async () => {
    const { wait, done, notes } = harness({ sessions: [sessionOf(9)] });
    await wait.maxWait([waiting(9, 1, 120)], byId(capped('hangup')), now);
    expect(done).toEqual(['abandon 9', 'hang up CA9']);
    expect(notes).toEqual([
      { interactionId: 9, type: 'max_wait_reached', data: { waitedSeconds: 120, action: 'hangup' } },
    ]);
  });

  it('takes a caller to voicemail, and the session remembers it for the recording', async () => {
    const { wait, done, sessions } = harness({ sessions: [sessionOf(9)] });
    await wait.maxWait([waiting(9, 1, 130), waiting(10, 1, 30)], byId(capped('voicemail')), now);
    expect(done).toEqual(['leave 9 for voicemail', 'offer voicemail to CA9']);
    expect(sessions.get(9)?.ivrOutcome).toBe('voicemail');
  });

  it('lets every caller of a queue that emptied go, when the queue says so, and nobody of a staffed one', async () => {
    const emptying = aCallQueue({ id: 1, leaveWhenEmpty: true, maxWaitAction: 'callback' });
    const staffed = aCallQueue({ id: 2, leaveWhenEmpty: true });
    const { wait, done, notes } = harness({ sessions: [sessionOf(9), sessionOf(10)], staffedQueues: [2] });
    await wait.maxWait([waiting(9, 1, 3), waiting(10, 2, 3)], byId(emptying, staffed), now);
    expect(done).toEqual(['leave 9 for callback', 'offer callback to CA9']);
    expect(notes.map((note) => note.type)).toEqual(['queue_empty']);
  });

  it('leaves callbacks waiting for their agent, and does nothing without a phone system', async () => {
    const callback = sessionOf(9, { dialOut: { phoneNumber: '+12125550100', callback: null } });
    const withCallback = harness({ sessions: [callback] });
    await withCallback.wait.maxWait([waiting(9, 1, 999)], byId(capped('hangup')), now);
    expect(withCallback.done).toEqual([]);
    const noPhone = harness({ sessions: [sessionOf(9)], withPhone: false });
    await noPhone.wait.maxWait([waiting(9, 1, 999)], byId(capped('hangup')), now);
    expect(noPhone.done).toEqual([]);
  });
});
