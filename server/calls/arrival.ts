import type { HandoffContext, HandoffSource } from '../../contracts/handoff.js';
import { RequestError } from '../http/errors.js';
import type { TelephonyProvider } from '../telephony/telephony.port.js';
import type { CallContext } from './call-context.js';
import { newSession, type CallSession } from './call-sessions.js';
import { crmRequestOf } from './crm-enricher.js';

export interface Arrival {
  provider: TelephonyProvider;
  providerCallId: string;
  from: string;
  to: string;
}

/** A call reaching us, who it is, and what the IVR made of it. */
export function createArrival(ctx: CallContext) {
  const { sessions, interactions, customers, nowIso, crm, log } = ctx;

  return {
    /** A call reached us. Idempotent: a retried arrival returns the same interaction. */
    arrive: async (
      call: Arrival,
    ): Promise<{ interactionId: number; created: boolean; customerId: number | null }> => {
      const customerId = customers.identifyByNumber(call.from);
      const { id, created } = interactions.recordArrival({
        direction: 'inbound',
        provider: call.provider,
        providerCallId: call.providerCallId,
        callerNumber: call.from,
        customerId,
        arrivedAt: nowIso(),
      });
      if (created) {
        await sessions.put(
          newSession({
            interactionId: id,
            provider: call.provider,
            providerCallId: call.providerCallId,
            callerNumber: call.from,
          }),
        );
        // As early as the caller is known: by the time the call is offered the answer is usually in.
        crm?.start(crmRequestOf(id, { callerNumber: call.from, customerId }, customers));
      }
      return { interactionId: id, created, customerId };
    },

    /**
     * A bot handed the caller over: its context is kept on the Interaction for the screen pop, or,
     * refused, only the reason is noted on the timeline and logged (never the context itself).
     */
    handedOff: (
      interactionId: number,
      source: HandoffSource,
      handoff: { context: HandoffContext } | { refused: string },
    ): void => {
      if ('refused' in handoff) {
        log.warn({ interactionId, source, reason: handoff.refused }, 'bot handoff context ignored');
        interactions.note(interactionId, 'bot_handoff_ignored', nowIso(), null, {
          source,
          reason: handoff.refused,
        });
        return;
      }
      const { context } = handoff;
      interactions.annotate(interactionId, { handoff: { source, context } });
      interactions.note(interactionId, 'bot_handoff', nowIso(), null, {
        source,
        ...(context.bot !== undefined && { bot: context.bot }),
        ...(context.intent !== undefined && { intent: context.intent }),
        ...(context.summary !== undefined && { summary: context.summary }),
      });
    },

    session: (interactionId: number) => sessions.get(interactionId),
    saveSession: (session: CallSession) => sessions.put(session),

    /** Looks the caller up for the IVR, by caller ID or by digits they keyed in, and records who it is. */
    identify: (
      interactionId: number,
      effect: { kind: 'identify_by_number'; number: string } | { kind: 'identify_by_digits'; digits: string },
    ): number | null => {
      const customerId =
        effect.kind === 'identify_by_number'
          ? customers.identifyByNumber(effect.number)
          : customers.identifyByDigits(effect.digits);
      if (customerId !== null) interactions.annotate(interactionId, { customerId });
      return customerId;
    },

    /** Records the IVR's walk so far on the Interaction, for drop-off per IVR node. */
    ivrProgress: (
      interactionId: number,
      progress: { flowId: string; path: readonly string[]; end: string | null },
    ): void => interactions.annotate(interactionId, { ivr: progress }),

    interactionOf: (provider: TelephonyProvider, providerCallId: string) =>
      interactions.findByProviderCall(provider, providerCallId),

    /** See `InteractionsRepository.ownerOfProviderCall`. */
    ownerOfCall: (provider: TelephonyProvider, providerCallId: string) =>
      interactions.ownerOfProviderCall(provider, providerCallId),

    /**
     * A transferred caller's side called in again to reach the Interaction the transfer started (a
     * SIP REFER followed): that call becomes the Interaction's own. Once only, and only while the
     * transfer is under way; false otherwise, and nothing changes.
     */
    transferredCallArrived: (
      interactionId: number,
      provider: TelephonyProvider,
      providerCallId: string,
    ): boolean => {
      let interaction;
      try {
        interaction = interactions.facts(interactionId);
      } catch (error) {
        if (error instanceof RequestError) return false;
        throw error;
      }
      if (
        interaction.origin !== 'transfer' ||
        interaction.provider !== provider ||
        interaction.endedAt !== null ||
        interaction.providerCallId !== null
      )
        return false;
      return interactions.setProviderCall(interactionId, providerCallId);
    },

    /** The IVR ended the call itself (voicemail, callback request, transfer out). */
    ivrFinished: async (
      interactionId: number,
      outcome: CallSession['ivrOutcome'],
      ivrAnswers: Record<string, string>,
    ): Promise<void> => {
      interactions.annotate(interactionId, { ivrAnswers });
      await sessions.update(interactionId, () => ({ ivrOutcome: outcome }));
    },

    /** A recording finished; a voicemail also becomes a task for the customer's record. */
    recordingReady: async (interactionId: number, recordingRef: string): Promise<void> => {
      interactions.annotate(interactionId, { recordingRef });
      interactions.note(interactionId, 'recording_ready', nowIso(), null, { recordingRef });
      const session = await sessions.get(interactionId);
      const interaction = interactions.facts(interactionId);
      if (session?.ivrOutcome === 'voicemail' && interaction.customerId !== null) {
        customers.scheduleCallback({
          customerId: interaction.customerId,
          interactionId,
          queueId: interaction.queueId,
          ownerAgentId: null,
          dueAt: nowIso(),
          note: 'Voicemail left: listen and call back',
          // The provider may report the recording twice: one follow-up per voicemail.
          sourceKey: `callback:voicemail:${interactionId}`,
        });
      }
    },
  };
}
