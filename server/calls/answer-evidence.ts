import type { FastifyBaseLogger } from 'fastify';
import {
  TelephonyCommandError,
  type CallReader,
  type CallTarget,
  type LegReport,
} from '../telephony/index.js';
import type { CallSession, CallSessions, HeldEnd } from './call-sessions.js';

/**
 * Whether the Agent answered must not rest on one callback: the provider reorders and loses them.
 * Four things say it, and whichever comes first decides: the Agent leg's answer, the Agent leg
 * joining the bridge, the Agent leg's end status (`completed` is the end of an answered leg only),
 * and the provider's record of the leg, read when the caller's end comes before any of them.
 */
export type AnswerVerdict = { answered: true; at: Date | null } | { answered: false };

/**
 * Calls whose Agent is reached on a leg of its own (Twilio dials the Agent into the bridge). On a
 * SIP proxy the Agent's leg is the caller's dialog and its answer is that dialog's; a call we place
 * starts its conversation at the customer's answer, not the Agent's.
 */
export const answerIsOpen = (session: CallSession): boolean =>
  session.agentLegId !== null && session.agentLegId !== session.providerCallId && !session.dialOut;

/**
 * Twilio answers the Agent's leg even after the caller left the bridge, so an answer makes a
 * conversation only if it came no later than the caller's end: only then were both in the bridge.
 * Twilio's times are whole seconds, so the same second counts as together; an unknown time counts.
 */
export const answeredInTime = (answeredAt: Date | string | null, callerEndedAt: Date): boolean =>
  answeredAt === null || new Date(answeredAt).getTime() <= callerEndedAt.getTime();

export interface AnswerEvidenceDeps {
  sessions: CallSessions;
  /** The provider's record of calls; null when no provider can be read. */
  reader: CallReader | null;
  log: FastifyBaseLogger;
}

const UNREADABLE = Symbol('unreadable');

export function createAnswerEvidence({ sessions, reader, log }: AnswerEvidenceDeps) {
  /** The provider's record of the Agent leg; null when there is none to ask for. */
  async function readAgentLeg(
    session: CallSession,
    target: CallTarget,
  ): Promise<LegReport | null | typeof UNREADABLE> {
    // Nothing to ask: the answer callbacks are all there is.
    if (!reader || !session.agentLegId) return null;
    try {
      return await reader.leg(target, session.agentLegId);
    } catch (error) {
      if (!(error instanceof TelephonyCommandError)) throw error;
      log.warn(
        { interactionId: session.interactionId, failure: error.failure },
        'could not read the agent leg',
      );
      return UNREADABLE;
    }
  }

  return {
    /**
     * What is known of the Agent leg's answer: from its end status when that came, else from the
     * provider's record. Null when the provider could not be read: reconciliation asks again.
     */
    async verdict(session: CallSession, target: CallTarget): Promise<AnswerVerdict | null> {
      const ended = session.agentLegEnd;
      if (ended && ended.legId === session.agentLegId) {
        if (ended.status !== 'completed') return { answered: false };
        // Its end says it answered, not when: the record says when, which decides whether it met
        // the caller. Without it the end alone decides.
        const leg = await readAgentLeg(session, target);
        return { answered: true, at: leg && leg !== UNREADABLE ? leg.answeredAt : null };
      }
      const leg = await readAgentLeg(session, target);
      if (leg === UNREADABLE) return null;
      // Still ringing with the caller gone, it can only end unanswered.
      return leg?.answered ? { answered: true, at: leg.answeredAt } : { answered: false };
    },

    /**
     * The caller's leg by the provider's record, when it has ended: its end callback may be lost,
     * and then nothing else would ever end the call. Null while it is live, or nobody can tell.
     */
    async callerGone(target: CallTarget): Promise<{ at: Date | null; status: string } | null> {
      if (!reader || !target.providerCallId) return null;
      try {
        const leg = await reader.leg(target, target.providerCallId);
        if (leg && leg.status !== 'ended') return null;
        return { at: leg?.endedAt ?? null, status: leg?.endStatus ?? 'completed' };
      } catch (error) {
        if (!(error instanceof TelephonyCommandError)) throw error;
        // A provider that cannot be read (SIP) leaves it to its own reconciliation, as does an
        // outage to the next pass.
        if (error.failure !== 'unsupported')
          log.warn(
            { interactionId: target.interactionId, failure: error.failure },
            'could not read the caller leg',
          );
        return null;
      }
    },

    /** Keeps the caller's end until the Agent's answer is known. */
    async hold(interactionId: number, end: HeldEnd): Promise<void> {
      await sessions.update(interactionId, (current) => ({ heldEnd: current.heldEnd ?? end }));
    },

    held: (session: CallSession | null): HeldEnd | null => session?.heldEnd ?? null,

    /** The Agent leg's end status is evidence of its answer for a caller's end that comes later. */
    async agentLegEnded(interactionId: number, status: string): Promise<void> {
      await sessions.update(interactionId, (current) => ({
        agentLegEnd: { legId: current.agentLegId, status },
      }));
    },
  };
}
