import type { FastifyBaseLogger } from 'fastify';
import type { Acd, CallQueueSettings, Tier } from '../../queues/index.js';
import type { AgentsService } from '../agents/index.js';
import type { Me } from '../auth/auth.schemas.js';
import type { CallQueue, WrapUpCode } from '../call-queues/call-queues.schemas.js';
import type { CallQueuesService } from '../call-queues/index.js';
import type { Clock } from '../clock.js';
import type { CustomersService } from '../customers/index.js';
import { conflict, forbidden } from '../http/errors.js';
import type { InteractionsService } from '../interactions/index.js';
import { IllegalInteractionTransition } from '../interactions/interaction.machine.js';
import type { AddJobOptions } from '../jobs/jobs.js';
import type { DeskState } from '../realtime/realtime.events.js';
import {
  TelephonyCommandError,
  conferenceNameOf,
  type CallReader,
  type CallTarget,
  type TelephonyCommands,
} from '../telephony/index.js';
import type { TelephonyProvider } from '../telephony/telephony.port.js';
import { createAgentLeg } from './agent-leg.js';
import { createAnswerEvidence } from './answer-evidence.js';
import type { CallSession, CallSessions } from './call-sessions.js';
import type { CallJobPayloads } from './calls.jobs.js';
import type { CrmEnricher } from './crm-enricher.js';
import { createDeskState } from './desk-state.js';

export interface CallsServiceDeps {
  acd: Acd;
  sessions: CallSessions;
  interactions: InteractionsService;
  customers: CustomersService;
  callQueues: CallQueuesService;
  agents: AgentsService;
  /** Null when no provider is configured: calls cannot be connected, everything else works. */
  telephony: TelephonyCommands | null;
  /** The provider's record of calls, read when callbacks are missing or out of order. Default none. */
  callReader?: CallReader | null;
  /** Sends an agent's desk state to their consoles, in every server process. */
  pushDesk: (agentId: number, state: DeskState) => void;
  clock: Clock;
  log: FastifyBaseLogger;
  /** Seconds an offer rings on the desk before it counts as not answered (RONA). Default 20. */
  ringTimeoutSeconds?: number;
  /** Break reasons agents may pick. Default: break, lunch, training, meeting. */
  breakReasons?: string[];
  /** Where delayed and background work goes (BullMQ). */
  jobs: {
    add<Name extends keyof CallJobPayloads>(
      name: Name,
      data: CallJobPayloads[Name],
      options?: AddJobOptions,
    ): Promise<void>;
  };
  /** The provider that places the calls agents dial themselves. Default 'twilio'. */
  outboundProvider?: TelephonyProvider;
  /**
   * Creates the follow-up a WrapUpCode asks for (server/follow-ups). Default none: such codes then
   * only classify the call.
   */
  followUps?: WrapUpFollowUps | null;
  /**
   * The post-call survey (server/surveys): whether an Interaction's caller stays for it when the
   * conversation ends. Default none: the call ends with the conversation.
   */
  surveys?: { offersSurvey(interactionId: number): boolean } | null;
  /** Tries to reach a customer for one callback, each through the queue again. Default 3. */
  callbackAttempts?: number;
  /** Seconds between callback tries. Default 600. */
  callbackRetrySeconds?: number;
  /** The external CRM lookup that enriches the screen pop. Default none. */
  crm?: CrmEnricher | null;
}

/** The port to the follow-ups domain the wrap-up uses. */
export interface WrapUpFollowUps {
  createFromWrapUp(
    agentId: number,
    ask: NonNullable<WrapUpCode['followUp']> & { title: string; code: string },
    call: { interactionId: number; customerId: number; queueId: number | null },
  ): number | null;
}

const DEFAULT_BREAK_REASONS = ['break', 'lunch', 'training', 'meeting'];

/**
 * What every capability of the call path shares: its dependencies with their defaults applied, and
 * the few helpers each of them uses (the time, the provider, the desk push, the caller's address).
 */
export function createCallContext(deps: CallsServiceDeps) {
  const { acd, sessions, interactions, customers, callQueues, agents, clock, log, jobs } = deps;
  const ringTimeoutSeconds = deps.ringTimeoutSeconds ?? 20;
  const breakReasons = deps.breakReasons ?? DEFAULT_BREAK_REASONS;
  const nowIso = () => clock.now().toISOString();
  const crm = deps.crm ?? null;
  const desk = createDeskState({
    acd,
    sessions,
    interactions,
    customers,
    callQueues,
    clock,
    breakReasons,
    crm,
  });

  /** Applies an interaction event, treating a late or repeated one as already done. */
  function applySafely(...args: Parameters<InteractionsService['apply']>): boolean {
    try {
      interactions.apply(...args);
      return true;
    } catch (error) {
      if (error instanceof IllegalInteractionTransition) {
        log.debug(
          { interactionId: args[0], event: args[1].type, state: error.from },
          'interaction event ignored',
        );
        return false;
      }
      throw error;
    }
  }

  const acdQueue = (queue: CallQueue): CallQueueSettings => ({
    id: queue.id,
    priority: queue.priority,
    tierBoost: queue.priorityRules.tierBoost ?? {},
    strategy: queue.strategy,
    requiredSkills: queue.skills.map(({ skill, minProficiency }) => ({ skill, minProficiency })),
    ringTimeoutSeconds,
    acwPolicy: queue.acwPolicy,
    acwSeconds: queue.acwSeconds,
  });

  async function push(agentId: number): Promise<void> {
    deps.pushDesk(agentId, await desk.deskState(agentId));
  }

  function target(session: CallSession): CallTarget {
    return {
      interactionId: session.interactionId,
      provider: session.provider,
      providerCallId: session.providerCallId,
      conferenceName: session.conferenceName ?? conferenceNameOf(session.interactionId),
    };
  }

  function telephony(): TelephonyCommands {
    if (!deps.telephony) throw conflict('No telephony provider is configured: calls cannot be controlled');
    return deps.telephony;
  }

  /** The agent's leg is a call of its own (Twilio), not a branch of the caller's (SIP through Kamailio). */
  const agentLegApart = (session: CallSession) =>
    !!session.agentLegId && session.agentLegId !== session.providerCallId;

  return {
    acd,
    sessions,
    interactions,
    customers,
    callQueues,
    agents,
    clock,
    log,
    jobs,
    /** The provider's commands, or null when none is configured; `telephony()` refuses instead. */
    phone: deps.telephony,
    ringTimeoutSeconds,
    breakReasons,
    followUps: deps.followUps ?? null,
    surveys: deps.surveys ?? null,
    crm,
    callbackAttempts: deps.callbackAttempts ?? 3,
    callbackRetrySeconds: deps.callbackRetrySeconds ?? 600,
    outboundProvider: deps.outboundProvider ?? 'twilio',
    evidence: createAnswerEvidence({ sessions, reader: deps.callReader ?? null, log }),
    agentLeg: createAgentLeg({ acd, sessions, interactions, log, nowIso, push }),
    deskState: desk.deskState,
    codesOf: desk.codesOf,
    nowIso,
    applySafely,
    acdQueue,
    push,
    target,
    telephony,
    agentLegApart,

    /** The Tier a customer's calls are served at; an unknown caller's are bronze. */
    tierOf: (customerId: number | null): Tier =>
      (customerId === null ? null : customers.tierOf(customerId)) ?? 'bronze',

    /** Closes an Interaction's after-call work with no code or notes: nobody is there to give them. */
    wrapUpSkipped: (interactionId: number, at: string) =>
      applySafely(interactionId, { type: 'wrap_up_submitted', wrapUpCodeId: null, notes: null }, at),

    /** Where the agent's audio goes: their phone when they chose it and have one, else their softphone. */
    audioAddressOf: (agentId: number) => {
      const profile = agents.get(agentId);
      return profile.audioTarget === 'phone' && profile.phoneNumber
        ? { phoneNumber: profile.phoneNumber }
        : profile.sipAddress
          ? { sipAddress: profile.sipAddress }
          : null;
    },

    syncAgent: async (agentId: number): Promise<void> => {
      await acd.setAgentProfile({ id: agentId, skills: agents.get(agentId).skills });
    },

    /** The Agent's current, connected call; refuses any other. */
    ownCall: async (agent: Me, interactionId: number): Promise<CallSession> => {
      const call = await acd.getCall(interactionId);
      if (!call || call.agentId !== agent.id || call.state !== 'connected') {
        throw forbidden(`Interaction ${interactionId} is not your current call`);
      }
      const session = await sessions.get(interactionId);
      if (!session) throw conflict(`Interaction ${interactionId} is no longer live`);
      return session;
    },

    /**
     * Ends the Agent's leg on its own, while it still rings: Twilio would otherwise let it answer into
     * an empty conference of its own. A SIP Agent's leg is a branch of the caller's INVITE, which
     * Kamailio cancels with it.
     */
    cancelAgentLeg: async (session: CallSession): Promise<void> => {
      const legId = session.agentLegId;
      if (!legId || !agentLegApart(session) || !deps.telephony) return;
      const leg = { ...target(session), providerCallId: legId };
      await deps.telephony.hangUp(leg).catch((error: unknown) => {
        log.warn({ err: error, interactionId: session.interactionId }, "could not cancel the agent's leg");
      });
    },

    /** Ends one leg of a call; one already gone is what we wanted. */
    endLeg: async (session: CallSession, legId: string): Promise<void> => {
      try {
        await telephony().hangUp({ ...target(session), providerCallId: legId });
      } catch (error) {
        if (!(error instanceof TelephonyCommandError && error.failure === 'not_found')) throw error;
      }
    },

    /** Ends a hold in the record, adding its length to the Interaction's; returns that length (0 without one). */
    endHold: async (session: CallSession): Promise<number> => {
      if (session.holdStartedAtMs === null) return 0;
      const heldSeconds = (clock.now().getTime() - session.holdStartedAtMs) / 1000;
      interactions.annotate(session.interactionId, { addHeldSeconds: heldSeconds });
      await sessions.update(session.interactionId, () => ({ holdStartedAtMs: null }));
      return heldSeconds;
    },
  };
}

export type CallContext = ReturnType<typeof createCallContext>;
