import type { Reservation } from '../../queues/index.js';
import type { Me } from '../auth/auth.schemas.js';
import { conflict, invalidPhone, phoneNotAnswered } from '../http/errors.js';
import type { ConsultDestination, TransferDestination } from '../realtime/realtime.events.js';
import type { CallContext } from './call-context.js';
import type { CallSession } from './call-sessions.js';
import type { TransferTargets } from './calls.schemas.js';
import {
  advanceTransfer,
  isConsulting,
  isHandedOver,
  placeTransfer,
  transferAllows,
  transferStateOf,
  type TransferLeg,
} from './transfer.machine.js';
import { createTransferParts } from './transfer-parts.js';

export interface TransfersDeps {
  dispatch: () => Promise<void>;
  offer: (reservations: Reservation[]) => Promise<void>;
  conversationStarted: (interactionId: number, at: Date) => Promise<boolean>;
  keepCallerForSurvey: (session: CallSession) => Promise<boolean>;
}

/** Blind and warm transfers and consultations; their lifecycle is transfer.machine.ts. */
export function createTransfers(
  ctx: CallContext,
  { dispatch, offer, conversationStarted, keepCallerForSurvey }: TransfersDeps,
) {
  const { acd, sessions, interactions, customers, callQueues, agents, clock, nowIso, applySafely, push } =
    ctx;
  const { target, telephony, ownCall } = ctx;
  const parts = createTransferParts(ctx, { dispatch });

  /** Records a consultation under way: the caller holds, the desk shows whom the agent talks to. */
  async function consultPlaced(agent: Me, session: CallSession, leg: TransferLeg): Promise<void> {
    await sessions.update(session.interactionId, (current) => ({
      consult: placeTransfer(current.consult, 'consult_placed', leg),
      holdStartedAtMs: current.holdStartedAtMs ?? clock.now().getTime(),
    }));
    interactions.note(session.interactionId, 'consult_started', nowIso(), agent.id, {
      to: leg.label,
      ...(leg.childId !== null && { interactionId: leg.childId }),
    });
    await push(agent.id);
  }

  /**
   * The agent handed the caller on (blind or warm): their part ends as transferred and they leave
   * for wrap-up; the next agent's offer, if any, rings now.
   */
  async function handedOver(
    agent: Me,
    session: CallSession,
    detail: Record<string, unknown>,
    reservations: Reservation[],
  ): Promise<void> {
    const { interactionId } = session;
    await ctx.endHold(session);
    interactions.note(interactionId, 'transferred', nowIso(), agent.id, detail);
    const { agentStatus } = await acd.endCall(interactionId);
    applySafely(interactionId, { type: 'ended', outcome: 'transferred' }, nowIso());
    if (agentStatus !== 'wrap_up') {
      ctx.wrapUpSkipped(interactionId, nowIso());
    }
    await push(agent.id);
    await offer(reservations);
    await dispatch();
  }

  /** The consultation under way on `session`, or a refusal. */
  function consultOf(session: CallSession) {
    const consult = session.consult;
    if (!consult || !isConsulting(transferStateOf(consult))) throw conflict('No consultation is under way');
    return consult;
  }

  function normalized(number: string): string {
    const phoneNumber = customers.normalize(number);
    if (!phoneNumber) throw invalidPhone(number);
    return phoneNumber;
  }

  return {
    /**
     * Blind transfer. To an outside number, the caller is bridged to it and this interaction ends as
     * transferred. To a CallQueue or an agent, the caller goes on in a new Interaction on the same
     * call (each agent wraps up their own part, as in the customer's history): it waits in its own
     * bridge at the caller's original place, ringing the named agent first when there is one. The
     * agent leaves for wrap-up at once either way.
     */
    transfer: async (agent: Me, interactionId: number, to: TransferDestination): Promise<void> => {
      const session = await ownCall(agent, interactionId);
      if (!interactions.facts(interactionId).answeredAt) throw phoneNotAnswered();
      if (to.kind === 'number') {
        const phoneNumber = normalized(to.number);
        const leg = await telephony().transfer({
          ...target(session),
          to: { kind: 'number', phoneNumber },
          mode: 'blind',
        });
        // Nobody of ours stays on the call: when the number hangs up, the caller must be let go.
        if (leg)
          await sessions.update(interactionId, (current) => ({
            consult: placeTransfer(current.consult, 'blind_placed', {
              label: phoneNumber,
              legId: leg.providerCallId,
              childId: null,
            }),
          }));
        await handedOver(agent, session, { to: phoneNumber, mode: 'blind' }, []);
        return;
      }
      const next = await parts.continueElsewhere(agent, session, to);
      await handedOver(
        agent,
        session,
        { ...next.detail, mode: 'blind', interactionId: next.interactionId },
        next.reservations,
      );
    },

    /**
     * Warm transfer, first step: the caller holds while a number, or an available agent's phone, is
     * rung into the call and the agent talks to them. Then the agent completes (hands the caller
     * over and leaves) or cancels. A consulted agent's part is a new Interaction, connected to them
     * at once so nothing else rings them.
     */
    consult: async (agent: Me, interactionId: number, to: ConsultDestination): Promise<void> => {
      const session = await ownCall(agent, interactionId);
      if (!interactions.facts(interactionId).answeredAt) throw phoneNotAnswered();
      if (isConsulting(transferStateOf(session.consult)))
        throw conflict('A consultation is already under way');
      const phone = telephony();
      if (to.kind === 'number') {
        const phoneNumber = normalized(to.number);
        const leg = await phone.transfer({
          ...target(session),
          to: { kind: 'number', phoneNumber },
          mode: 'warm',
        });
        if (!leg) throw conflict('The consultation could not be placed');
        await consultPlaced(agent, session, { label: phoneNumber, legId: leg.providerCallId, childId: null });
        return;
      }
      const childId = await parts.consultedAgentPart(agent, session, to.agentId);
      try {
        const address = ctx.audioAddressOf(to.agentId)!;
        const leg = await phone.transfer({
          ...target(session),
          to: { kind: 'agent', agentId: to.agentId, agent: address, interactionId: childId },
          mode: 'warm',
        });
        if (!leg) throw conflict('The consultation could not be placed');
        await consultPlaced(agent, session, {
          label: agents.get(to.agentId).displayName,
          legId: leg.providerCallId,
          childId,
        });
      } catch (error) {
        await parts.endConsultedPart(childId);
        throw error;
      }
    },

    /** Warm transfer, last step: the caller is back off hold with whom the agent consulted; the agent leaves. */
    completeConsult: async (agent: Me, interactionId: number): Promise<void> => {
      const session = await ownCall(agent, interactionId);
      const consult = consultOf(session);
      const phone = telephony();
      await phone.resume(target(session));
      if (session.agentLegId) await phone.hangUp({ ...target(session), providerCallId: session.agentLegId });
      await sessions.update(interactionId, () => ({ consult: advanceTransfer(consult, 'completed') }));
      if (consult.childId !== null) {
        await sessions.update(consult.childId, () => ({ consultOf: null }));
        const childAgent = interactions.facts(consult.childId).agentId;
        if (childAgent !== null) await push(childAgent);
      }
      await handedOver(
        agent,
        session,
        {
          to: consult.label,
          mode: 'warm',
          ...(consult.childId !== null && { interactionId: consult.childId }),
        },
        [],
      );
    },

    /** The agent drops whom they consulted and is back with the caller. */
    cancelConsult: async (agent: Me, interactionId: number): Promise<void> => {
      const session = await ownCall(agent, interactionId);
      const consult = consultOf(session);
      await sessions.update(interactionId, () => ({ consult: advanceTransfer(consult, 'cancelled') }));
      await ctx.endLeg(session, consult.legId);
      if (consult.childId !== null) await parts.endConsultedPart(consult.childId);
      await telephony().resume(target(session));
      await ctx.endHold(session);
      interactions.note(interactionId, 'consult_cancelled', nowIso(), agent.id, { to: consult.label });
      await push(agent.id);
    },

    /** The consulted (or blind-transfer) number or agent answered; a repeated answer is ignored. */
    transferLegAnswered: async (interactionId: number, at: Date = clock.now()): Promise<void> => {
      const session = await sessions.get(interactionId);
      const consult = session?.consult;
      if (!consult || !transferAllows(transferStateOf(consult), 'answered')) return;
      await sessions.update(interactionId, (current) => ({
        consult: advanceTransfer(current.consult, 'answered'),
      }));
      if (consult.childId !== null) await conversationStarted(consult.childId, at);
      const agentId = interactions.facts(interactionId).agentId;
      if (agentId !== null && isConsulting(transferStateOf(consult))) await push(agentId);
    },

    /**
     * The consulted or transferred-to leg ended. Once the agent has left, the caller is with nobody
     * of ours, so the call ends for them, or, when they were handed to an agent of ours whose
     * CallQueue asks the survey, they stay for it on that agent's part; during a consultation the
     * agent is told and the caller still holds for them.
     */
    transferLegEnded: async (interactionId: number, status: string): Promise<void> => {
      const session = await sessions.get(interactionId);
      const consult = session?.consult;
      if (!session || !consult) return;
      if (isHandedOver(transferStateOf(consult))) {
        const part = consult.childId === null ? null : await sessions.get(consult.childId);
        if (part) {
          // That part's conversation ended first (its desk hung up into the survey): the caller is
          // in the survey now, and this leg ended because they left the bridge.
          if ((await acd.getCall(part.interactionId))?.state !== 'connected') return;
          if (await keepCallerForSurvey(part)) return;
        }
        await ctx.endLeg(session, session.providerCallId);
        return;
      }
      await sessions.update(interactionId, () => ({ consult: advanceTransfer(consult, 'leg_ended') }));
      if (consult.childId !== null) await parts.endConsultedPart(consult.childId);
      const agentId = interactions.facts(interactionId).agentId;
      interactions.note(interactionId, 'consult_ended', nowIso(), agentId, { to: consult.label, status });
      if (agentId !== null) await push(agentId);
    },

    /** The call queues and the other active agents, for the desk's transfer form. */
    transferTargets: async (agent: Me): Promise<TransferTargets> => {
      const { agents: byStatus } = await acd.snapshot();
      const available = new Set(byStatus.available.map((a) => a.agentId));
      return {
        queues: callQueues.list().map(({ id, name }) => ({ id, name })),
        agents: agents
          .list()
          .filter((a) => a.id !== agent.id && a.active)
          .map(({ id, displayName }) => ({ id, displayName, available: available.has(id) })),
      };
    },
  };
}

export type Transfers = ReturnType<typeof createTransfers>;
