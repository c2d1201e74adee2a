import { AcdError, type Reservation } from '../../queues/index.js';
import type { Me } from '../auth/auth.schemas.js';
import { badRequest, conflict } from '../http/errors.js';
import type { TransferDestination } from '../realtime/realtime.events.js';
import { conferenceNameOf, type PlacedLeg } from '../telephony/index.js';
import type { CallContext } from './call-context.js';
import type { CallSession } from './call-sessions.js';

export interface TransferPartsDeps {
  dispatch: () => Promise<void>;
}

/**
 * The next agent's part of a transferred call: a new Interaction on the same call, which the next
 * agent answers and wraps up as their own, as in the customer's history.
 */
export function createTransferParts(ctx: CallContext, { dispatch }: TransferPartsDeps) {
  const { acd, sessions, interactions, callQueues, agents, nowIso, applySafely, push, target } = ctx;

  /** A new Interaction on the same call, continuing `session`'s for the next agent (a transfer). */
  function startTransferPart(session: CallSession): number {
    const interaction = interactions.facts(session.interactionId);
    return interactions.recordContinued({
      parentId: session.interactionId,
      origin: 'transfer',
      direction: interaction.direction,
      provider: session.provider,
      providerCallId: null,
      callerNumber: interaction.callerNumber,
      customerId: interaction.customerId,
      arrivedAt: nowIso(),
    });
  }

  /** The session of a transfer part: the caller's call, with nothing yet done on the new Interaction. */
  const partSession = (session: CallSession, childId: number, queueId: number): CallSession => ({
    ...session,
    interactionId: childId,
    lastTwiml: null,
    ivrOutcome: null,
    queueId,
    agentLegId: null,
    holdStartedAtMs: null,
  });

  return {
    /**
     * The caller of `session` goes on in a new Interaction that waits in a CallQueue (the named
     * agent's current queue when the transfer names an agent). The phone move comes first: if the
     * provider refuses, nothing else has changed and the caller is still with the agent.
     */
    continueElsewhere: async (
      agent: Me,
      session: CallSession,
      to: Exclude<TransferDestination, { kind: 'number' }>,
    ): Promise<{ interactionId: number; reservations: Reservation[]; detail: Record<string, unknown> }> => {
      const current = await acd.getCall(session.interactionId);
      if (!current) throw conflict(`Interaction ${session.interactionId} is no longer live`);
      const queue = callQueues.get(to.kind === 'queue' ? to.queueId : current.queueId);
      if (to.kind === 'agent') {
        if (to.agentId === agent.id) throw badRequest('You cannot transfer a call to yourself');
        agents.get(to.agentId);
        if ((await acd.getAgent(to.agentId))?.status !== 'available')
          throw conflict(`Agent ${to.agentId} is not available`);
      }
      const childId = startTransferPart(session);
      let moved: PlacedLeg | null;
      try {
        moved = await ctx.telephony().transfer({
          ...target(session),
          to: {
            kind: 'queue',
            callQueueId: queue.id,
            interactionId: childId,
            conferenceName: conferenceNameOf(childId),
            // The survey is the destination queue's: its Agent is the one the caller rates.
            survey: queue.surveyEnabled,
          },
          mode: 'blind',
        });
      } catch (error) {
        applySafely(childId, { type: 'ended', outcome: 'failed' }, nowIso());
        // The caller's new call may have reached the child (and ended it) before the transfer gave up:
        // the caller is still this Agent's, on their first call, whose end must end this part.
        interactions.forgetProviderCall(childId);
        throw error;
      }
      await sessions.put({
        ...partSession(session, childId, queue.id),
        // A SIP caller reaches the new Interaction on a new dialog; a Twilio call stays the same call.
        providerCallId: moved?.providerCallId ?? session.providerCallId,
        overflowedFrom: [],
      });
      const from = `transfer from ${agent.displayName}`;
      applySafely(childId, { type: 'ivr_left' }, nowIso());
      applySafely(childId, { type: 'queued', queueId: queue.id }, nowIso(), from);
      await acd.upsertQueue(ctx.acdQueue(queue));
      // The caller keeps the place they first queued at: a transfer is not their fault.
      const placed = {
        interactionId: childId,
        queueId: queue.id,
        tier: current.tier,
        enqueuedAtMs: current.enqueuedAtMs,
      };
      const reservations: Reservation[] = [];
      if (to.kind === 'agent') {
        try {
          reservations.push(await acd.offerToAgent({ ...placed, agentId: to.agentId, reason: from }));
        } catch (error) {
          // Taken by another call since the check: the caller waits in the queue instead.
          if (!(error instanceof AcdError)) throw error;
          interactions.note(childId, 'transfer_agent_unavailable', nowIso(), agent.id, {
            agentId: to.agentId,
          });
        }
      }
      if (reservations.length === 0) await acd.enqueue(placed);
      // The caller hung up while they were being moved: the new call has nobody on it.
      if (interactions.facts(childId).endedAt) await acd.abandon(childId);
      return {
        interactionId: childId,
        reservations,
        detail: to.kind === 'agent' ? { toAgentId: to.agentId, queueId: queue.id } : { queueId: queue.id },
      };
    },

    /**
     * The consulted agent's part of the call: a new Interaction on the same call and bridge, connected
     * to them at once. They must be available now.
     */
    consultedAgentPart: async (agent: Me, session: CallSession, agentId: number): Promise<number> => {
      if (agentId === agent.id) throw badRequest('You cannot consult yourself');
      agents.get(agentId);
      if (!ctx.audioAddressOf(agentId)) throw conflict(`Agent ${agentId} has no phone or softphone to ring`);
      await ctx.syncAgent(agentId);
      if ((await acd.getAgent(agentId))?.status !== 'available')
        throw conflict(`Agent ${agentId} is not available`);
      const current = (await acd.getCall(session.interactionId))!;
      const childId = startTransferPart(session);
      applySafely(childId, { type: 'ivr_left' }, nowIso());
      applySafely(
        childId,
        { type: 'queued', queueId: current.queueId },
        nowIso(),
        `consult from ${agent.displayName}`,
      );
      applySafely(childId, { type: 'offered', agentId }, nowIso());
      try {
        await acd.startOutbound({
          interactionId: childId,
          queueId: current.queueId,
          tier: current.tier,
          agentId,
        });
      } catch (error) {
        applySafely(childId, { type: 'ended', outcome: 'failed' }, nowIso());
        if (error instanceof AcdError) throw conflict(`Agent ${agentId} is not available`);
        throw error;
      }
      await sessions.put({
        ...partSession(session, childId, current.queueId),
        consult: null,
        conferenceName: target(session).conferenceName,
        consultOf: session.interactionId,
      });
      await push(agentId);
      return childId;
    },

    /** A consultation ended without a hand-over: the consulted agent's part ends and they are free again. */
    endConsultedPart: async (childId: number): Promise<void> => {
      if ((await acd.getCall(childId))?.state !== 'connected') return;
      const { agentId, agentStatus } = await acd.endCall(childId);
      applySafely(
        childId,
        { type: 'ended', outcome: interactions.facts(childId).answeredAt ? null : 'failed' },
        nowIso(),
      );
      ctx.wrapUpSkipped(childId, nowIso());
      if (agentStatus === 'wrap_up') await acd.endWrapUp(agentId);
      await push(agentId);
      await dispatch();
    },
  };
}

export type TransferParts = ReturnType<typeof createTransferParts>;
