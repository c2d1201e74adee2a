import type { FastifyBaseLogger } from 'fastify';
import type { Acd, WaitingCall } from '../../queues/index.js';
import { AcdError, staffedCount } from '../../queues/index.js';
import type { CallQueue } from '../call-queues/call-queues.schemas.js';
import type { InteractionsService } from '../interactions/index.js';
import type { TelephonyCommands } from '../telephony/index.js';
import type { CallContext } from './call-context.js';
import type { CallSession, CallSessions } from './call-sessions.js';

/** What a caller gets instead of a wait that nobody will answer: the queue's max-wait alternative. */
export const alternativeOf = (queue: CallQueue): 'voicemail' | 'callback' =>
  queue.maxWaitAction === 'callback' ? 'callback' : 'voicemail';

/** The queue a waiting call is due to overflow to: it waited its queue's overflow time. */
export function overflowDue(
  call: WaitingCall,
  queues: ReadonlyMap<number, CallQueue>,
): { from: CallQueue; to: CallQueue } | null {
  const from = queues.get(call.queueId);
  const to = from?.overflowQueueId ? queues.get(from.overflowQueueId) : undefined;
  if (!from?.overflowAfterSeconds || !to || call.waitSeconds < from.overflowAfterSeconds) return null;
  return { from, to };
}

/**
 * A call due to overflow to `to` moves unless it is a callback (nobody is on the line to move: it
 * waits for its agent) or it was in `to` before (overflow rules that point at each other must not loop).
 */
export const mayOverflow = (session: CallSession | null, to: CallQueue): boolean =>
  !session?.dialOut && !(session?.overflowedFrom ?? []).includes(to.id);

/** Whether a waiting call leaves its queue by the max-wait action now: it waited too long, or the queue emptied. */
export const waitIsOver = (call: WaitingCall, queue: CallQueue, emptied: boolean): boolean =>
  emptied || (!!queue.maxWaitSeconds && call.waitSeconds >= queue.maxWaitSeconds);

/** The ports the waiting rules act through; the call context provides them. */
export type QueueWaitDeps = Pick<CallContext, 'applySafely' | 'acdQueue' | 'target'> & {
  acd: Pick<Acd, 'snapshot' | 'upsertQueue' | 'moveToQueue' | 'abandon' | 'leaveQueue'>;
  sessions: Pick<CallSessions, 'get' | 'update'>;
  interactions: Pick<InteractionsService, 'note'>;
  phone: Pick<TelephonyCommands, 'hangUp' | 'offerAlternative'> | null;
  log: Pick<FastifyBaseLogger, 'error'>;
};

/** Someone qualified for the queue is signed in (in any status but offline) to answer its calls. */
export async function staffed(acd: Pick<Acd, 'snapshot'>, queueId: number): Promise<boolean> {
  return staffedCount((await acd.snapshot(queueId)).agents) > 0;
}

/** What happens to callers while they wait: overflow to another queue, and leaving when the wait is over. */
export function createQueueWait({
  acd,
  sessions,
  interactions,
  phone,
  log,
  applySafely,
  acdQueue,
  target,
}: QueueWaitDeps) {
  return {
    /**
     * Moves calls that waited longer than their queue's overflow time to its overflow queue. Returns
     * the calls it moved: their wait is judged against their new queue on the next tick.
     */
    async overflow(
      waiting: readonly WaitingCall[],
      queues: ReadonlyMap<number, CallQueue>,
      now: Date,
    ): Promise<Set<number>> {
      const moved = new Set<number>();
      for (const call of waiting) {
        const due = overflowDue(call, queues);
        if (!due) continue;
        const { from, to } = due;
        const session = await sessions.get(call.interactionId);
        if (!mayOverflow(session, to)) continue;
        await acd.upsertQueue(acdQueue(to));
        try {
          await acd.moveToQueue(call.interactionId, to.id);
        } catch (error) {
          // Offered or gone since the snapshot: nothing to move.
          if (error instanceof AcdError) continue;
          throw error;
        }
        moved.add(call.interactionId);
        await sessions.update(call.interactionId, () => ({
          queueId: to.id,
          overflowedFrom: [...(session?.overflowedFrom ?? []), from.id],
        }));
        applySafely(
          call.interactionId,
          { type: 'queued', queueId: to.id },
          now.toISOString(),
          `overflow from ${from.name} after ${from.overflowAfterSeconds} s`,
        );
      }
      return moved;
    },

    /**
     * Takes callers out of the wait, per the queue's max-wait action: those who waited past the
     * queue's maximum, and all of a queue that empties when it has `leaveWhenEmpty`.
     */
    async maxWait(
      waiting: readonly WaitingCall[],
      queues: ReadonlyMap<number, CallQueue>,
      now: Date,
    ): Promise<void> {
      if (!phone) return;
      const emptied = new Set<number>();
      for (const queueId of new Set(waiting.map((call) => call.queueId))) {
        if (queues.get(queueId)?.leaveWhenEmpty && !(await staffed(acd, queueId))) emptied.add(queueId);
      }
      for (const call of waiting) {
        const queue = queues.get(call.queueId);
        const empty = emptied.has(call.queueId);
        if (!queue || !waitIsOver(call, queue, empty)) continue;
        const session = await sessions.get(call.interactionId);
        if (!session || session.dialOut) continue;
        try {
          if (queue.maxWaitAction === 'hangup') await acd.abandon(call.interactionId);
          else await acd.leaveQueue(call.interactionId, queue.maxWaitAction);
        } catch (error) {
          // Offered or gone since the snapshot: it is not waiting any more.
          if (error instanceof AcdError) continue;
          throw error;
        }
        interactions.note(
          call.interactionId,
          empty ? 'queue_empty' : 'max_wait_reached',
          now.toISOString(),
          null,
          { waitedSeconds: call.waitSeconds, action: queue.maxWaitAction },
        );
        try {
          if (queue.maxWaitAction === 'hangup') await phone.hangUp(target(session));
          else {
            if (queue.maxWaitAction === 'voicemail')
              await sessions.update(call.interactionId, () => ({ ivrOutcome: 'voicemail' }));
            await phone.offerAlternative(target(session), queue.maxWaitAction);
          }
        } catch (error) {
          log.error(
            { err: error, interactionId: call.interactionId },
            'could not take the caller out of the wait',
          );
        }
      }
    },
  };
}
