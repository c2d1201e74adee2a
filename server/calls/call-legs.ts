import { RECORDING_EVENTS } from '../recordings/recording-events.js';
import { TelephonyCommandError } from '../telephony/index.js';
import { answeredInTime, answerIsOpen } from './answer-evidence.js';
import type { CallContext } from './call-context.js';
import type { CallSession } from './call-sessions.js';
import type { CallbackJob } from './calls.jobs.js';
import { transferStateOf } from './transfer.machine.js';

export interface CallLegsDeps {
  dispatch: () => Promise<void>;
  callbackUnanswered: (interactionId: number, callback: CallbackJob, status: string) => Promise<void>;
}

type DialOutSession = CallSession & { dialOut: NonNullable<CallSession['dialOut']> };

/**
 * What the provider says about a call's legs: the Agent's or the customer's answer starts the
 * conversation, the caller's end ends the call wherever it was, the Agent's leg failing sends the
 * caller back to their queue.
 */
export function createCallLegs(ctx: CallContext, { dispatch, callbackUnanswered }: CallLegsDeps) {
  const { acd, sessions, interactions, customers, clock, log, evidence, agentLeg } = ctx;
  const { nowIso, applySafely, push, target, telephony } = ctx;

  /** Queues that record every call start the recording when the conversation starts. */
  async function recordIfPolicy(interactionId: number, queueId: number): Promise<void> {
    if (!ctx.phone || ctx.callQueues.get(queueId).recordingPolicy !== 'all') return;
    const session = await sessions.get(interactionId);
    if (!session) return;
    try {
      const { recordingRef } = await ctx.phone.startRecording(target(session));
      await sessions.update(interactionId, () => ({ recording: 'recording' }));
      interactions.note(interactionId, RECORDING_EVENTS.start, nowIso(), null, { recordingRef });
    } catch (error) {
      // The call goes on without a recording; the timeline says so for whoever audits it. A caller
      // who hung up as the agent answered is the usual reason, so only other failures are errors.
      if (!(error instanceof TelephonyCommandError)) throw error;
      log.warn(
        { interactionId, failure: error.failure, reason: error.message },
        'could not start the recording',
      );
      interactions.note(interactionId, 'recording_failed', nowIso(), null, { failure: error.failure });
    }
  }

  /** The customer and the agent are talking: the interaction is answered. */
  async function conversationStarted(interactionId: number, at: Date): Promise<boolean> {
    const acdCall = await acd.getCall(interactionId);
    if (!acdCall || acdCall.agentId === null) return false;
    if (acdCall.state !== 'connected') {
      interactions.reconcileLateAnswer(interactionId, at.toISOString(), acdCall.agentId);
      return false;
    }
    if (!applySafely(interactionId, { type: 'answered', agentId: acdCall.agentId }, at.toISOString()))
      return false;
    await recordIfPolicy(interactionId, acdCall.queueId);
    await push(acdCall.agentId);
    // The caller's end came first and waited for this answer: the call ends now, at its own time.
    const held = evidence.held(await sessions.get(interactionId));
    if (held) await callerEnded(interactionId, held.status, new Date(held.at));
    return true;
  }

  /** The agent of a call we place is on the line: now ring the customer into their bridge. */
  async function dialCustomer(session: DialOutSession): Promise<void> {
    const { interactionId, dialOut } = session;
    const agentId = interactions.facts(interactionId).agentId;
    try {
      const leg = await telephony().dialCustomer({
        ...target(session),
        phoneNumber: dialOut.phoneNumber,
        ringTimeoutSeconds: ctx.ringTimeoutSeconds * 2,
      });
      await sessions.update(interactionId, () => ({ providerCallId: leg.providerCallId }));
      interactions.setProviderCall(interactionId, leg.providerCallId);
      interactions.note(interactionId, 'customer_dialled', nowIso(), agentId, {
        phoneNumber: dialOut.phoneNumber,
        ...(dialOut.callback && { attempt: dialOut.callback.attempt }),
      });
    } catch (error) {
      if (!(error instanceof TelephonyCommandError)) throw error;
      log.warn({ interactionId, failure: error.failure }, 'could not dial the customer');
      interactions.note(interactionId, 'customer_dial_failed', nowIso(), agentId, { failure: error.failure });
      if (session.agentLegId)
        await telephony()
          .hangUp({ ...target(session), providerCallId: session.agentLegId })
          .catch(() => undefined);
      await callerEnded(interactionId, 'failed');
    }
  }

  /** The caller's leg ended (for a callback, the customer's; `status` says how): the end of the call, wherever it was. */
  async function callerEnded(interactionId: number, status = 'completed', at = clock.now()): Promise<void> {
    const acdCall = await acd.getCall(interactionId);
    const session = await sessions.get(interactionId);
    const endedAt = at.toISOString();
    if (acdCall && (acdCall.state === 'queued' || acdCall.state === 'reserved')) {
      const { cancelledReservationId } = await acd.abandon(interactionId);
      applySafely(interactionId, { type: 'ended', outcome: 'abandoned' }, endedAt);
      if (cancelledReservationId !== null && acdCall.agentId !== null) await push(acdCall.agentId);
      await dispatch();
      return;
    }
    if (acdCall && acdCall.state === 'connected') {
      const answeredAt = interactions.facts(interactionId).answeredAt;
      if (session && answerIsOpen(session) && !answeredAt) {
        const verdict = await evidence.verdict(session, target(session));
        if (!verdict) return evidence.hold(interactionId, { at: endedAt, status });
        if (verdict.answered && answeredInTime(verdict.at, at)) {
          await evidence.hold(interactionId, { at: endedAt, status });
          // Answering ends the held call (see conversationStarted).
          if (await conversationStarted(interactionId, verdict.at ?? at)) return;
        }
      } else if (session && answerIsOpen(session) && !answeredInTime(answeredAt, at)) {
        interactions.withdrawAnswer(interactionId, endedAt, acdCall.agentId);
      }
      if (session?.holdStartedAtMs) {
        interactions.annotate(interactionId, {
          addHeldSeconds: (at.getTime() - session.holdStartedAtMs) / 1000,
        });
      }
      const { agentId, agentStatus } = await acd.endCall(interactionId);
      const interaction = interactions.facts(interactionId);
      if (!interaction.answeredAt && session) await ctx.cancelAgentLeg(session);
      // Never answered: the caller gave up ringing the agent's phone, or the customer we called
      // never picked up.
      const unanswered = session?.dialOut ? 'failed' : 'abandoned';
      applySafely(
        interactionId,
        { type: 'ended', outcome: interaction.answeredAt ? null : unanswered },
        endedAt,
      );
      // Not in wrap-up: available, or on the break they planned for after this call.
      if (agentStatus !== 'wrap_up' || !interaction.answeredAt) {
        ctx.wrapUpSkipped(interactionId, endedAt);
        if (agentStatus === 'wrap_up') await acd.endWrapUp(agentId);
      }
      if (session?.dialOut?.callback && !interaction.answeredAt)
        await callbackUnanswered(interactionId, session.dialOut.callback, status);
      await push(agentId);
      await dispatch();
      return;
    }
    const outcome = session?.ivrOutcome ?? null;
    applySafely(interactionId, { type: 'ended', outcome: outcome === null ? 'abandoned' : outcome }, endedAt);
  }

  /**
   * The Agent's side ended the conversation of `session` with the caller still on the line. When its
   * CallQueue asks the post-call survey, the caller stays for it: the provider takes them out of the
   * bridge (every Agent leg there ends) into the first question, and the conversation ends here at
   * once, as the survey's start would end it, so no leg's end can take it for a live call. False
   * when the caller does not stay (no survey, the provider cannot play it, the caller is gone).
   */
  async function keepCallerForSurvey(session: CallSession): Promise<boolean> {
    const { interactionId } = session;
    if (!ctx.surveys?.offersSurvey(interactionId) || !interactions.facts(interactionId).answeredAt)
      return false;
    try {
      await telephony().startSurvey(target(session));
    } catch (error) {
      if (!(error instanceof TelephonyCommandError)) throw error;
      log.warn({ interactionId, failure: error.failure }, 'could not start the post-call survey');
      return false;
    }
    await callerEnded(interactionId, 'completed');
    return true;
  }

  /** The caller is with nobody of ours any more: they stay for the survey, or their leg ends. */
  async function releaseCaller(session: CallSession): Promise<void> {
    if (!(await keepCallerForSurvey(session))) await ctx.endLeg(session, session.providerCallId);
  }

  /** Back to the queue after the agent's phone failed; true when it went back. */
  async function agentLegFailed(interactionId: number, failure: string): Promise<boolean> {
    if (!(await agentLeg.failedAfterAccept(interactionId, failure))) return false;
    await dispatch();
    return true;
  }

  /** The customer we dialled answered: the conversation starts, and the follow-up it worked on is done. */
  async function customerAnswered(interactionId: number, at: Date = clock.now()): Promise<void> {
    const session = await sessions.get(interactionId);
    if (!(await conversationStarted(interactionId, at))) return;
    const followUpId = session?.dialOut?.followUpId ?? session?.dialOut?.callback?.followUpId;
    const agentId = interactions.facts(interactionId).agentId;
    if (followUpId != null && agentId !== null) customers.completeFollowUp(followUpId, agentId);
  }

  return {
    conversationStarted,
    callerEnded,
    customerAnswered,
    keepCallerForSurvey,
    releaseCaller,
    /** The caller back to their queue after the Agent's phone failed, and the next offer; true when it went back. */
    returnToQueue: agentLegFailed,

    /**
     * The agent's leg ended. After a conversation the caller's end follows and does the work. If the
     * agent's phone refused or never answered while the caller still waits, the caller goes back to
     * their place in the queue (see agent-leg.ts); a call with no queue to go back to is ended for
     * them. So too when the agent hangs up their phone after a consultation, which took away their
     * leg's power to end the call: then the caller stays for the survey when their queue asks it.
     */
    agentLegEnded: async (interactionId: number, status: string): Promise<void> => {
      await evidence.agentLegEnded(interactionId, status);
      const held = evidence.held(await sessions.get(interactionId));
      if (held && (await acd.getCall(interactionId))?.state === 'connected') {
        // The caller's end waited for this: how the Agent's leg ended says whether it was answered.
        await callerEnded(interactionId, held.status, new Date(held.at));
        return;
      }
      if (status === 'completed') {
        const session = await sessions.get(interactionId);
        if (
          session &&
          transferStateOf(session.consult) !== 'idle' &&
          (await acd.getCall(interactionId))?.state === 'connected'
        )
          await releaseCaller(session);
        return;
      }
      if (await agentLegFailed(interactionId, status)) return;
      const interaction = interactions.facts(interactionId);
      const acdCall = await acd.getCall(interactionId);
      const session = await sessions.get(interactionId);
      if (
        interaction.answeredAt ||
        interaction.endedAt ||
        acdCall?.state !== 'connected' ||
        !session ||
        !ctx.phone
      )
        return;
      interactions.note(interactionId, 'agent_leg_failed', nowIso(), interaction.agentId, { status });
      // A call we place whose customer is not dialled yet has no other leg to end.
      if (session.dialOut && session.providerCallId === '') await callerEnded(interactionId, status);
      else await ctx.phone.hangUp(target(session));
    },

    /**
     * The agent's phone or softphone answered: the conversation starts, or, for a callback, the
     * customer is dialled now. Providers may tell us after the caller's hang-up (callbacks are not
     * ordered); then the closed call is corrected to answered.
     */
    agentLegAnswered: async (
      interactionId: number,
      at: Date = clock.now(),
      legId?: string,
    ): Promise<void> => {
      const session = await sessions.get(interactionId);
      if (legId && session?.droppedAgentLegs?.includes(legId)) {
        // Given up while it rang, it answered anyway: it must not bridge an agent now on a break.
        await ctx.cancelAgentLeg({ ...session, agentLegId: legId });
        return;
      }
      if (session?.dialOut) {
        const acdCall = await acd.getCall(interactionId);
        if (acdCall?.state === 'connected' && session.providerCallId === '')
          await dialCustomer({ ...session, dialOut: session.dialOut });
        return;
      }
      await conversationStarted(interactionId, at);
    },

    /**
     * A leg joined the call's bridge (Twilio's conference `participant-join`). The Agent's leg
     * joining is their answer as surely as that leg's own callback, whichever arrives first. Not for
     * a call we place: its Agent's answer dials the customer, which only one callback may do.
     */
    legJoined: async (interactionId: number, legId: string, at: Date = clock.now()): Promise<void> => {
      const session = await sessions.get(interactionId);
      if (!session) return;
      if (session.dialOut) {
        if (legId === session.providerCallId) await customerAnswered(interactionId, at);
        return;
      }
      if (legId === session.agentLegId) await conversationStarted(interactionId, at);
    },
  };
}

export type CallLegs = ReturnType<typeof createCallLegs>;
