import { IllegalTransitionError, NotFoundError } from '../../queues/index.js';
import type { Me } from '../auth/auth.schemas.js';
import { acdStep } from '../http/acd-conflict.js';
import { conflict, phoneNotAnswered, unknownBreakReason } from '../http/errors.js';
import type { OfferDeclinedReason } from '../interactions/interaction.machine.js';
import type { SetStatusPayload } from '../realtime/realtime.events.js';
import { TelephonyCommandError } from '../telephony/index.js';
import type { CallContext } from './call-context.js';
import type { CallSession } from './call-sessions.js';
import { isConsulting, transferStateOf } from './transfer.machine.js';

export interface DeskCommandsDeps {
  dispatch: () => Promise<void>;
  accept: (agentId: number, reservationId: number) => Promise<void>;
  decline: (agentId: number, reservationId: number, reason: OfferDeclinedReason) => Promise<void>;
  callerEnded: (interactionId: number, status?: string, at?: Date) => Promise<void>;
  keepCallerForSurvey: (session: CallSession) => Promise<boolean>;
  returnToQueue: (interactionId: number, failure: string) => Promise<boolean>;
  transferLegEnded: (interactionId: number, status: string) => Promise<void>;
}

/** What agents do from their desk: their status, offers, and the call in hand (hold, mute, hang up). */
export function createDeskCommands(ctx: CallContext, deps: DeskCommandsDeps) {
  const { acd, sessions, interactions, clock, evidence, nowIso, push, target, telephony, ownCall } = ctx;

  /** Records a hold starting or ending on a live call; one already in that state is left as it is. */
  async function holdChanged(interactionId: number, onHold: boolean, agentId: number): Promise<void> {
    const session = await sessions.get(interactionId);
    if (!session || onHold === (session.holdStartedAtMs !== null)) return;
    if (onHold) {
      await sessions.update(interactionId, () => ({ holdStartedAtMs: clock.now().getTime() }));
      interactions.note(interactionId, 'held', nowIso(), agentId);
    } else {
      const heldSeconds = await ctx.endHold(session);
      interactions.note(interactionId, 'resumed', nowIso(), agentId, {
        heldSeconds: Math.round(heldSeconds),
      });
    }
    await push(agentId);
  }

  return {
    setStatus: async (agent: Me, request: SetStatusPayload): Promise<void> => {
      await ctx.syncAgent(agent.id);
      await acdStep(async () => {
        const current = (await acd.getAgent(agent.id))?.status ?? 'offline';
        if (request.status === 'offline') {
          if (current !== 'offline') await acd.agentEvent(agent.id, 'logout');
          return;
        }
        if (current === 'offline') await acd.agentEvent(agent.id, 'login');
        if (request.status === 'available') await acd.agentEvent(agent.id, 'go_available');
        else {
          const reason = request.reason ?? 'break';
          if (!ctx.breakReasons.includes(reason)) throw unknownBreakReason(reason);
          await acd.agentEvent(agent.id, 'take_break', { reason });
        }
      });
      await push(agent.id);
      if (request.status === 'available') await deps.dispatch();
    },

    /**
     * Plans the break `agentId` takes when their offer, call or wrap-up ends (null: available, as
     * without a plan); the agent's own desk and a supervisor both come here.
     */
    planNext: async (agentId: number, reason: string | null): Promise<void> => {
      if (reason !== null && !ctx.breakReasons.includes(reason)) throw unknownBreakReason(reason);
      try {
        await acd.planNext(agentId, reason);
      } catch (error) {
        // An agent the ACD does not know yet has never signed in: offline, like any other refusal here.
        if (error instanceof IllegalTransitionError || error instanceof NotFoundError)
          throw conflict('A next status can be planned only while ringing, on a call or in wrap-up', {
            code: 'next_status_not_now',
          });
        throw error;
      }
      await push(agentId);
    },

    accept: (agent: Me, reservationId: number) => deps.accept(agent.id, reservationId),

    reject: (agent: Me, reservationId: number) => deps.decline(agent.id, reservationId, 'rejected'),

    hold: async (agent: Me, interactionId: number): Promise<void> => {
      const session = await ownCall(agent, interactionId);
      if (!interactions.facts(interactionId).answeredAt) throw phoneNotAnswered();
      if (session.holdStartedAtMs !== null) throw conflict('The caller is already on hold');
      await telephony().hold(target(session));
      await holdChanged(interactionId, true, agent.id);
    },

    resume: async (agent: Me, interactionId: number): Promise<void> => {
      const session = await ownCall(agent, interactionId);
      if (session.holdStartedAtMs === null) throw conflict('The caller is not on hold');
      await telephony().resume(target(session));
      await holdChanged(interactionId, false, agent.id);
    },

    /**
     * The provider saw the call go on or off hold, whoever asked for it: the desk's Hold button
     * (then the provider may tell us before the command returns) or the Agent's phone itself.
     * Idempotent: a hold already recorded is not recorded twice.
     */
    providerHoldChanged: async (interactionId: number, onHold: boolean): Promise<void> => {
      const acdCall = await acd.getCall(interactionId);
      if (acdCall?.state !== 'connected' || acdCall.agentId === null) return;
      await holdChanged(interactionId, onHold, acdCall.agentId);
    },

    /** The agent mutes or unmutes themselves on the call (the caller stops or starts hearing them). */
    mute: async (agent: Me, interactionId: number, muted: boolean): Promise<void> => {
      const session = await ownCall(agent, interactionId);
      if (!session.agentLegId) throw conflict('Your phone is not on the call yet');
      await telephony().muteAgent({ ...target(session), agentLegId: session.agentLegId }, muted);
      await sessions.update(interactionId, () => ({ agentMuted: muted }));
      interactions.note(interactionId, muted ? 'agent_muted' : 'agent_unmuted', nowIso(), agent.id);
      await push(agent.id);
    },

    /**
     * Ends the call for everyone, or, when the CallQueue asks the post-call survey, for the Agent
     * only: the caller stays for the questions, as when the Agent hangs up their phone. Without the
     * survey the provider's end event then moves the agent to wrap-up.
     */
    hangUp: async (agent: Me, interactionId: number): Promise<void> => {
      const session = await ownCall(agent, interactionId);
      interactions.note(interactionId, 'agent_hung_up', nowIso(), agent.id);
      const consulting = session.consultOf ? (await sessions.get(session.consultOf))?.consult : null;
      if (consulting && isConsulting(transferStateOf(consulting))) {
        // Consulted, not yet handed the caller: only this agent leaves the call.
        await ctx.endLeg(session, consulting.legId);
        await deps.transferLegEnded(session.consultOf!, 'completed');
        return;
      }
      if (ctx.agentLegApart(session) && (await ctx.agentLeg.undoable(interactionId))) {
        // Still ringing: the agent gives the call up, not the caller, who waits on at their place.
        await ctx.cancelAgentLeg(session);
        if (await deps.returnToQueue(interactionId, 'desk')) return;
      }
      if (session.dialOut && session.providerCallId === '') {
        // The customer is not dialled yet: the agent's own leg is the whole call.
        if (session.agentLegId)
          await telephony().hangUp({ ...target(session), providerCallId: session.agentLegId });
        await deps.callerEnded(interactionId, 'canceled');
        return;
      }
      if (await deps.keepCallerForSurvey(session)) return;
      let notFound: TelephonyCommandError | null = null;
      try {
        await telephony().hangUp(target(session));
      } catch (error) {
        if (!(error instanceof TelephonyCommandError && error.failure === 'not_found')) throw error;
        notFound = error;
      }
      // A caller who is already gone sends no end to wait for (it was lost): the call ends here.
      const gone = await evidence.callerGone(target(session));
      if (gone) await deps.callerEnded(interactionId, gone.status, gone.at ?? clock.now());
      else if (notFound) throw notFound;
    },
  };
}
