import { isTelephonyProvider } from '../../contracts/glossary.js';
import type { CallContext } from './call-context.js';
import { newSession, type CallSession } from './call-sessions.js';
import { CALL_JOBS, type CallbackJob } from './calls.jobs.js';

export interface CallbacksDeps {
  dispatch: () => Promise<void>;
  ivrFinished: (
    interactionId: number,
    outcome: CallSession['ivrOutcome'],
    ivrAnswers: Record<string, string>,
  ) => Promise<void>;
}

/** Calling customers back: asked for in the IVR or by a wrap-up code, queued when due, retried when unanswered. */
export function createCallbacks(ctx: CallContext, { dispatch, ivrFinished }: CallbacksDeps) {
  const { acd, sessions, interactions, customers, callQueues, clock, nowIso, applySafely } = ctx;

  /** A callback due at `dueAtMs`: a job puts it in its queue then. Adding the same try twice adds it once. */
  async function scheduleCallbackCall(job: CallbackJob, dueAtMs: number): Promise<void> {
    await ctx.jobs.add(CALL_JOBS.queueCallback, job, {
      delayMs: dueAtMs - clock.now().getTime(),
      jobId: `callback-${job.parentInteractionId}-${job.attempt}`,
    });
  }

  return {
    scheduleCallbackCall,

    /** Nobody answered a callback: try again later through the queue, up to the attempts allowed. */
    callbackUnanswered: async (
      interactionId: number,
      callback: CallbackJob,
      status: string,
    ): Promise<void> => {
      const retry = callback.attempt < ctx.callbackAttempts;
      interactions.note(
        interactionId,
        retry ? 'callback_retry_scheduled' : 'callback_given_up',
        nowIso(),
        null,
        {
          status,
          attempt: callback.attempt,
          ...(retry && { retryInSeconds: ctx.callbackRetrySeconds }),
        },
      );
      if (!retry) return;
      await scheduleCallbackCall(
        {
          ...callback,
          parentInteractionId: interactionId,
          attempt: callback.attempt + 1,
          enqueuedAtMs: null,
        },
        clock.now().getTime() + ctx.callbackRetrySeconds * 1000,
      );
    },

    /**
     * The caller chose to be called back instead of waiting: a callback follow-up on a known
     * customer's record, and a callback through `queueName` (default: the queue they waited in) at
     * the place they had, dialled when an agent frees up. Without a number to call, only the note.
     */
    callbackRequested: async (
      interactionId: number,
      ivrAnswers: Record<string, string>,
      queueName: string | null,
    ): Promise<void> => {
      const interaction = interactions.facts(interactionId);
      const followUpId =
        interaction.customerId === null
          ? null
          : customers.scheduleCallback({
              customerId: interaction.customerId,
              interactionId,
              queueId: interaction.queueId,
              ownerAgentId: null,
              dueAt: nowIso(),
              note: `Callback requested in the IVR from ${interaction.callerNumber ?? 'an unknown number'}`,
              sourceKey: `callback:ivr:${interactionId}`,
            }).id;
      interactions.note(interactionId, 'callback_requested', nowIso(), null, {
        callerNumber: interaction.callerNumber,
      });
      await ivrFinished(interactionId, 'callback', ivrAnswers);
      const phoneNumber = interaction.callerNumber ? customers.normalize(interaction.callerNumber) : null;
      const queue =
        queueName !== null
          ? callQueues.findByName(queueName)
          : interaction.queueId !== null
            ? callQueues.get(interaction.queueId)
            : undefined;
      if (!phoneNumber || !queue) {
        interactions.note(interactionId, 'callback_impossible', nowIso(), null, {
          reason: phoneNumber ? `no call queue "${queueName ?? ''}"` : 'no number to call',
        });
        return;
      }
      const waited = await acd.getCall(interactionId);
      const now = clock.now().getTime();
      await scheduleCallbackCall(
        {
          parentInteractionId: interactionId,
          phoneNumber,
          customerId: interaction.customerId,
          queueId: queue.id,
          followUpId,
          attempt: 1,
          enqueuedAtMs: waited?.enqueuedAtMs ?? now,
        },
        now,
      );
    },

    /**
     * A callback is due: it joins its CallQueue at the caller's old place (or now) as a new outbound
     * Interaction, and the ACD offers it to the next free agent. BullMQ may run a job twice; the
     * second run finds the Interaction and the ACD call already there.
     */
    queueCallback: async (job: CallbackJob): Promise<void> => {
      const parent = interactions.facts(job.parentInteractionId);
      // Seeded demo history has no line to call back on.
      if (!isTelephonyProvider(parent.provider)) return;
      // Cancelled in a worklist before it fell due: nobody wants this call any more.
      if (job.followUpId !== null && customers.followUpCancelled(job.followUpId)) {
        interactions.note(job.parentInteractionId, 'callback_cancelled', nowIso(), null, {
          followUpId: job.followUpId,
        });
        return;
      }
      let id = interactions.continuationOf(job.parentInteractionId, 'callback');
      if (id === null) {
        id = interactions.recordContinued({
          parentId: job.parentInteractionId,
          origin: 'callback',
          direction: 'outbound',
          provider: parent.provider,
          providerCallId: null,
          callerNumber: job.phoneNumber,
          customerId: job.customerId,
          arrivedAt: nowIso(),
        });
        await sessions.put(
          newSession({
            interactionId: id,
            provider: parent.provider,
            providerCallId: '',
            callerNumber: job.phoneNumber,
            queueId: job.queueId,
            dialOut: { phoneNumber: job.phoneNumber, callback: job },
          }),
        );
        applySafely(id, { type: 'ivr_left' }, nowIso());
        applySafely(id, { type: 'queued', queueId: job.queueId }, nowIso(), `callback, try ${job.attempt}`);
        interactions.note(job.parentInteractionId, 'callback_queued', nowIso(), null, { interactionId: id });
      }
      const queue = callQueues.get(job.queueId);
      const tier = ctx.tierOf(job.customerId);
      await acd.upsertQueue(ctx.acdQueue(queue));
      await acd.enqueue({
        interactionId: id,
        queueId: queue.id,
        tier,
        enqueuedAtMs: job.enqueuedAtMs ?? clock.now().getTime(),
      });
      await dispatch();
    },
  };
}

export type Callbacks = ReturnType<typeof createCallbacks>;
