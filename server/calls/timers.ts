import type { CallContext } from './call-context.js';
import { createQueueWait } from './queue-wait.js';

export interface TimersDeps {
  dispatch: () => Promise<void>;
}

/** The call path's clock: what happens because time passed rather than because someone acted. */
export function createTimers(ctx: CallContext, { dispatch }: TimersDeps) {
  const { acd, interactions, callQueues, applySafely, push } = ctx;
  const wait = createQueueWait(ctx);

  return {
    /**
     * Timers: offers that rang out, timed after-call work that ran out, then new offers. Every
     * server process runs it about once a second; the ACD's scripts make that safe.
     */
    tick: async (): Promise<void> => {
      const now = ctx.clock.now();
      for (const reservation of await acd.expireReservations(now.getTime())) {
        applySafely(
          reservation.interactionId,
          { type: 'offer_declined', agentId: reservation.agentId, reason: 'timed_out' },
          now.toISOString(),
        );
        await push(reservation.agentId);
      }
      // One read of the waiting calls and the queues serves both rules.
      const { waiting } = await acd.snapshot();
      const queues = new Map(callQueues.list().map((queue) => [queue.id, queue]));
      const overflowed = await wait.overflow(waiting, queues, now);
      await wait.maxWait(
        waiting.filter((call) => !overflowed.has(call.interactionId)),
        queues,
        now,
      );
      for (const agentId of await acd.expireWrapUps(now.getTime())) {
        const interactionId = interactions.inWrapUpFor(agentId);
        if (interactionId !== null) {
          ctx.wrapUpSkipped(interactionId, now.toISOString());
        }
        await push(agentId);
      }
      await dispatch();
    },
  };
}
