import {
  AGENT_STATUSES,
  RONA_REASON,
  qualifies,
  type Acd,
  type AgentStatus,
  type AgentSummary,
} from '../../queues/index.js';
import type { AgentsService } from '../agents/index.js';
import type { AuditLog } from '../audit/index.js';
import type { Me } from '../auth/auth.schemas.js';
import type { CallQueuesService } from '../call-queues/index.js';
import type { CallsService } from '../calls/index.js';
import type { Clock } from '../clock.js';
import { acdStep } from '../http/acd-conflict.js';
import { badRequest, conflict, notFound, unknownBreakReason } from '../http/errors.js';
import type { InteractionsService } from '../interactions/index.js';
import {
  TelephonyCommandError,
  conferenceNameOf,
  type SupervisorCommands,
  type SupervisorMode,
} from '../telephony/index.js';
import { createNextStatusIntervention } from './next-status.js';
import type { SupervisorLegs } from './supervisor-legs.js';
import type { createAgentTimes } from './agent-time.js';
import { startOfLocalDay } from './local-day.js';
import type { LiveCallRow, SupervisionRepository } from './supervision.repository.js';
import { defaultThresholds } from './alerts.js';
import type {
  AgentLive,
  AgentStatusBody,
  AgentsLive,
  AlertThresholds,
  AlertThresholdsPatch,
  QueueLive,
  QueuesLive,
} from './supervision.schemas.js';

export interface SupervisionServiceDeps {
  acd: Acd;
  repository: SupervisionRepository;
  agentTimes: ReturnType<typeof createAgentTimes>;
  callQueues: CallQueuesService;
  agents: AgentsService;
  interactions: InteractionsService;
  /** The call path, for what an intervention changes besides the ACD: desks, offers, call sessions. */
  calls: Pick<
    CallsService,
    'push' | 'dispatch' | 'signedOut' | 'deskState' | 'session' | 'saveSession' | 'ensureRouted' | 'planNext'
  >;
  audit: AuditLog;
  /** Monitor, whisper and barge; null when no provider that offers them is configured. */
  supervisorTelephony: SupervisorCommands | null;
  supervisorLegs: SupervisorLegs;
  clock: Clock;
  /** Abandons after a wait shorter than this many seconds are short: apart, and outside the service level. */
  shortAbandonSeconds: number;
  /** IANA time zone of agents' "today" (calls handled, occupancy). Queues use their own. */
  timeZone: string;
}

type Counts = Record<AgentStatus, number>;
const noAgents = (): Counts => Object.fromEntries(AGENT_STATUSES.map((s) => [s, 0])) as Counts;
const iso = (ms: number) => new Date(ms).toISOString();
const LIVE_CALL_HORIZON_MS = 86_400_000;

/**
 * The supervisor's live view and interventions. Waiting calls and agent statuses come from the ACD
 * in Redis; today's figures from the interactions in SQLite; both are read once per computation,
 * whoever watches. Every intervention is checked, applied through the ACD and the call path, and
 * written to the audit log.
 */
export function createSupervisionService(deps: SupervisionServiceDeps) {
  const { acd, repository, callQueues, agents, interactions, calls, audit, clock } = deps;

  async function queuesLive(): Promise<QueuesLive> {
    const now = clock.now();
    const queues = callQueues.list();
    const { waiting, agents: acdAgents } = await acd.snapshot();
    const skillsOf = new Map(agents.list().map((agent) => [agent.id, agent.skills]));
    const live = new Map(
      repository.liveCalls(new Date(now.getTime() - LIVE_CALL_HORIZON_MS)).map((c) => [c.id, c]),
    );
    const callbacks = repository.callbacksPendingByQueue();
    return {
      at: now.toISOString(),
      queues: queues.map((queue): QueueLive => {
        const { today, byTier: todayByTier } = repository.queueToday(
          queue.id,
          startOfLocalDay(now, queue.timeZone),
          queue,
          deps.shortAbandonSeconds,
        );
        const agentsByStatus = noAgents();
        for (const status of AGENT_STATUSES) {
          agentsByStatus[status] = acdAgents[status].filter((a) =>
            qualifies(skillsOf.get(a.agentId) ?? [], queue.skills),
          ).length;
        }
        return {
          queueId: queue.id,
          name: queue.name,
          timeZone: queue.timeZone,
          slTargetSeconds: queue.slTargetSeconds,
          slTargetPercent: queue.slTargetPercent,
          tierTargets: queue.tierTargets,
          waiting: waiting
            .filter((call) => call.queueId === queue.id)
            .map((call) => {
              const row = live.get(call.interactionId);
              return {
                interactionId: call.interactionId,
                position: call.position,
                tier: call.tier,
                customerName: row?.customer_name ?? null,
                callerNumber: row?.caller_number ?? null,
                waitingSince: row?.queued_at ?? iso(now.getTime() - call.waitSeconds * 1000),
              };
            }),
          agents: agentsByStatus,
          today,
          todayByTier,
          callbacksPending: callbacks.get(queue.id) ?? 0,
        };
      }),
    };
  }

  async function agentsLive(): Promise<AgentsLive> {
    const now = clock.now();
    const dayStart = startOfLocalDay(now, deps.timeZone);
    const queues = callQueues.list();
    const snapshot = await acd.snapshot();
    const statuses = new Map<number, AgentSummary & { status: AgentStatus }>();
    for (const status of AGENT_STATUSES) {
      for (const agent of snapshot.agents[status]) statuses.set(agent.agentId, { ...agent, status });
    }
    const times = await deps.agentTimes.record(
      dayStart,
      [...statuses].map(([agentId, s]) => ({ agentId, status: s.status, statusSinceMs: s.statusSinceMs })),
    );
    const callOf = new Map<number, LiveCallRow>();
    for (const call of repository.liveCalls(new Date(now.getTime() - LIVE_CALL_HORIZON_MS))) {
      if (call.agent_id !== null && call.state !== 'queued') callOf.set(call.agent_id, call);
    }
    const handled = repository.handledTodayByAgent(dayStart);
    const ringing = new Map(snapshot.reservations.map((r) => [r.agentId, r.id]));
    return {
      at: now.toISOString(),
      since: dayStart.toISOString(),
      agents: agents
        .list()
        .filter((agent) => agent.active)
        .map((agent): AgentLive => {
          const acdAgent = statuses.get(agent.id);
          const status = acdAgent?.status ?? 'offline';
          // Only the statuses that involve a call show one; a finished call waits for no one.
          const call = ['reserved', 'on_call', 'wrap_up'].includes(status) ? callOf.get(agent.id) : undefined;
          return {
            agentId: agent.id,
            displayName: agent.displayName,
            username: agent.username,
            skills: agent.skills.map((s) => s.skill),
            queueIds: queues
              .filter((queue) => qualifies(agent.skills, queue.skills))
              .map((queue) => queue.id),
            status,
            reason: acdAgent?.reason ?? null,
            nextReason: acdAgent?.nextReason ?? null,
            statusSince: iso(acdAgent?.statusSinceMs ?? dayStart.getTime()),
            call: call
              ? {
                  interactionId: call.id,
                  customerName: call.customer_name,
                  callerNumber: call.caller_number,
                  queueId: call.queue_id,
                  queueName: call.queue_name,
                  since: call.answered_at ?? call.offered_at ?? call.queued_at ?? now.toISOString(),
                }
              : null,
            reservationId: ringing.get(agent.id) ?? null,
            handledToday: handled.get(agent.id) ?? 0,
            busyMs: times.get(agent.id)?.busyMs ?? 0,
            staffedMs: times.get(agent.id)?.staffedMs ?? 0,
          };
        }),
    };
  }

  async function waitingCall(interactionId: number) {
    const call = await acd.getCall(interactionId);
    if (!call) throw notFound('Call', interactionId);
    if (call.state !== 'queued') throw conflict(`Call ${interactionId} is not waiting (it is ${call.state})`);
    return call;
  }

  return {
    queuesLive,
    agentsLive,
    ...createNextStatusIntervention({ agents, calls, audit }),

    /** Every queue's alert thresholds: as set, or the defaults. */
    alertThresholds(): (AlertThresholds & { queueId: number })[] {
      const configured = repository.alertThresholds();
      return callQueues.list().map((queue) => ({
        queueId: queue.id,
        ...(configured.get(queue.id) ?? defaultThresholds(queue)),
      }));
    },

    updateAlertThresholds(
      actor: Me,
      queueId: number,
      patch: AlertThresholdsPatch,
      ip: string,
    ): AlertThresholds & { queueId: number } {
      const queue = callQueues.get(queueId);
      const before = repository.alertThresholds().get(queueId) ?? defaultThresholds(queue);
      const after = { ...before, ...patch };
      repository.saveAlertThresholds(queueId, after);
      audit.record({
        actorAgentId: actor.id,
        action: 'supervision.alert_thresholds',
        entityType: 'call_queue',
        entityId: queueId,
        ip,
        details: { before, after },
      });
      return { queueId, ...after };
    },

    /**
     * Sets an agent's status for them. Offline logs them out of routing (a ringing offer goes back to
     * its queue); available ends after-call work left open, closing the wrap-up without a code.
     */
    async setAgentStatus(actor: Me, agentId: number, body: AgentStatusBody, ip: string): Promise<void> {
      const agent = agents.get(agentId);
      const before = (await acd.getAgent(agentId))?.status ?? 'offline';
      if (before === 'on_call') throw conflict(`${agent.displayName} is on a call; the call must end first`);
      if (body.status === 'break') {
        const reason = body.reason ?? 'break';
        if (!(await calls.deskState(agentId)).breakReasons.includes(reason)) throw unknownBreakReason(reason);
      } else if (body.reason !== undefined) {
        throw badRequest('A reason goes only with a break');
      }
      await acdStep(async () => {
        if (body.status === 'offline') {
          if (before === 'wrap_up')
            throw conflict(`${agent.displayName} is wrapping up a call; make them available first`);
          if (before !== 'offline') await calls.signedOut(agentId);
          return;
        }
        if (before === 'wrap_up') {
          const interactionId = interactions.inWrapUpFor(agentId);
          if (interactionId !== null) {
            interactions.apply(
              interactionId,
              { type: 'wrap_up_submitted', wrapUpCodeId: null, notes: null },
              clock.now().toISOString(),
              `ended by supervisor ${actor.displayName}`,
            );
          }
          await acd.endWrapUp(agentId);
        }
        if (before === 'reserved') await calls.signedOut(agentId);
        const current = (await acd.getAgent(agentId))?.status ?? 'offline';
        if (current === 'offline') {
          await acd.setAgentProfile({ id: agentId, skills: agent.skills });
          await acd.agentEvent(agentId, 'login');
        }
        if (body.status === 'available') {
          if (current !== 'available') await acd.agentEvent(agentId, 'go_available');
        } else await acd.agentEvent(agentId, 'take_break', { reason: body.reason ?? 'break' });
      });
      audit.record({
        actorAgentId: actor.id,
        action: 'supervision.agent_status',
        entityType: 'agent',
        entityId: agentId,
        ip,
        details: { from: before, to: body.status, ...(body.reason && { reason: body.reason }) },
      });
      await calls.push(agentId);
      await calls.dispatch();
    },

    /** Moves a waiting call to another queue, keeping its place in time; the timeline says who did it. */
    async moveCall(actor: Me, interactionId: number, queueId: number, ip: string): Promise<void> {
      const call = await waitingCall(interactionId);
      const target = callQueues.get(queueId);
      if (call.queueId === queueId) throw conflict(`Call ${interactionId} already waits in ${target.name}`);
      await calls.ensureRouted(queueId);
      await acdStep(() => acd.moveToQueue(interactionId, queueId));
      interactions.apply(
        interactionId,
        { type: 'queued', queueId },
        clock.now().toISOString(),
        `moved by supervisor ${actor.displayName}`,
      );
      const session = await calls.session(interactionId);
      if (session) await calls.saveSession({ ...session, queueId });
      audit.record({
        actorAgentId: actor.id,
        action: 'supervision.call_moved',
        entityType: 'interaction',
        entityId: interactionId,
        ip,
        details: { fromQueueId: call.queueId, toQueueId: queueId },
      });
      await calls.dispatch();
    },

    /** Gives a waiting call more head start, so it is offered sooner. */
    async raisePriority(actor: Me, interactionId: number, seconds: number, ip: string): Promise<void> {
      await waitingCall(interactionId);
      await acdStep(() => acd.raisePriority(interactionId, seconds));
      interactions.note(interactionId, 'priority_raised', clock.now().toISOString(), actor.id, { seconds });
      audit.record({
        actorAgentId: actor.id,
        action: 'supervision.priority_raised',
        entityType: 'interaction',
        entityId: interactionId,
        ip,
        details: { seconds },
      });
      await calls.dispatch();
    },

    /**
     * Joins the supervisor to a connected call (their own phone or softphone rings) to monitor,
     * whisper to the agent or barge in; a second request changes how they take part.
     */
    async supervise(actor: Me, interactionId: number, mode: SupervisorMode, ip: string): Promise<void> {
      const telephony = deps.supervisorTelephony;
      if (!telephony) throw conflict('No telephony provider with monitor, whisper and barge is configured');
      const call = await acd.getCall(interactionId);
      if (!call) throw notFound('Call', interactionId);
      const session = await calls.session(interactionId);
      if (call.state !== 'connected' || !session?.agentLegId)
        throw conflict(`Call ${interactionId} is not connected to an agent`);
      const profile = agents.get(actor.id);
      const supervisor =
        profile.audioTarget === 'phone' && profile.phoneNumber
          ? { phoneNumber: profile.phoneNumber }
          : profile.sipAddress
            ? { sipAddress: profile.sipAddress }
            : null;
      if (!supervisor) throw conflict('Set a SIP address or phone number on your profile first');
      const target = {
        interactionId,
        provider: session.provider,
        providerCallId: session.providerCallId,
        conferenceName: conferenceNameOf(interactionId),
        agentLegId: session.agentLegId,
        mode,
      };
      const legId = await deps.supervisorLegs.get(interactionId, actor.id);
      try {
        if (legId) await telephony.setSupervisorMode({ ...target, supervisorLegId: legId });
        else {
          const leg = await telephony.joinSupervisor({ ...target, supervisor });
          await deps.supervisorLegs.set(interactionId, actor.id, leg.providerCallId);
        }
      } catch (error) {
        if (error instanceof TelephonyCommandError)
          throw conflict(`The phone system could not do that: ${error.message}`);
        throw error;
      }
      interactions.note(
        interactionId,
        legId ? 'supervisor_mode_changed' : 'supervisor_joined',
        clock.now().toISOString(),
        actor.id,
        { mode },
      );
      audit.record({
        actorAgentId: actor.id,
        action: `supervision.${mode}`,
        entityType: 'interaction',
        entityId: interactionId,
        ip,
        details: { agentId: call.agentId },
      });
    },

    /**
     * Ends a reservation that rings without an answer: the call goes back to its place in the queue
     * and the agent to a break, as when they reject it.
     */
    async endReservation(actor: Me, reservationId: number, ip: string): Promise<void> {
      const reservation = await acd.getReservation(reservationId);
      if (!reservation) throw notFound('Reservation', reservationId);
      if (reservation.state !== 'pending')
        throw conflict(`Reservation ${reservationId} is already ${reservation.state}`);
      await acdStep(() => acd.rejectReservation(reservationId, reservation.agentId));
      // The agent did not decline it: the offer never reached them, or they never answered.
      await acdStep(() => acd.agentEvent(reservation.agentId, 'take_break', { reason: RONA_REASON }));
      interactions.apply(
        reservation.interactionId,
        { type: 'offer_declined', agentId: reservation.agentId, reason: 'cancelled' },
        clock.now().toISOString(),
        `ended by supervisor ${actor.displayName}`,
      );
      audit.record({
        actorAgentId: actor.id,
        action: 'supervision.reservation_ended',
        entityType: 'interaction',
        entityId: reservation.interactionId,
        ip,
        details: { reservationId, agentId: reservation.agentId },
      });
      await calls.push(reservation.agentId);
      await calls.dispatch();
    },
  };
}

export type SupervisionService = ReturnType<typeof createSupervisionService>;
