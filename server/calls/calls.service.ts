import type { FastifyBaseLogger } from 'fastify';
import type { Acd, AgentStatus, CallQueueSettings, Reservation, WaitingCall } from '../../queues/index.js';
import { AcdError, qualifies, staffedCount } from '../../queues/index.js';
import type { AgentsService } from '../agents/index.js';
import type { Me } from '../auth/auth.schemas.js';
import type { CallQueue, WrapUpCode } from '../call-queues/call-queues.schemas.js';
import type { CallQueuesService } from '../call-queues/index.js';
import type { Clock } from '../clock.js';
import type { CustomersService } from '../customers/index.js';
import { acdStep } from '../http/acd-conflict.js';
import { RequestError, badRequest, conflict, forbidden, notFound } from '../http/errors.js';
import type { InteractionsService } from '../interactions/index.js';
import {
  IllegalInteractionTransition,
  type OfferDeclinedReason,
} from '../interactions/interaction.machine.js';
import type {
  DeskCall,
  DeskState,
  ConsultDestination,
  SetStatusPayload,
  TransferDestination,
  WrapUpPayload,
} from '../realtime/realtime.events.js';
import {
  TelephonyCommandError,
  conferenceNameOf,
  type CallReader,
  type PlacedLeg,
  type TelephonyCommands,
} from '../telephony/index.js';
import { createAgentLeg } from './agent-leg.js';
import { answeredInTime, answerIsOpen, createAnswerEvidence } from './answer-evidence.js';
import type { CallSession, CallSessions } from './call-sessions.js';
import { CALL_JOBS, type CallbackJob, type CallJobPayloads } from './calls.jobs.js';
import type { AddJobOptions } from '../jobs/jobs.js';
import type { TransferTargets } from './calls.schemas.js';

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
  outboundProvider?: 'twilio' | 'sip';
  /** Tries to reach a customer for one callback, each through the queue again. Default 3. */
  callbackAttempts?: number;
  /** Seconds between callback tries. Default 600. */
  callbackRetrySeconds?: number;
}

export interface Arrival {
  provider: 'twilio' | 'sip';
  providerCallId: string;
  from: string;
  to: string;
}

const DEFAULT_BREAK_REASONS = ['break', 'lunch', 'training', 'meeting'];

/**
 * The provider-neutral call path: interactions, the ACD, offers to agents' desks, and what agents do
 * with calls. Telephony adapters call in with what happened; agents' desks call in with commands.
 * Every step is idempotent or refuses with a typed error, since webhooks repeat and desks race.
 */
export function createCallsService(deps: CallsServiceDeps) {
  const { acd, sessions, interactions, customers, callQueues, agents, clock, log } = deps;
  const ringTimeoutSeconds = deps.ringTimeoutSeconds ?? 20;
  const callbackAttempts = deps.callbackAttempts ?? 3;
  const callbackRetrySeconds = deps.callbackRetrySeconds ?? 600;
  const breakReasons = deps.breakReasons ?? DEFAULT_BREAK_REASONS;
  const nowIso = () => clock.now().toISOString();
  const evidence = createAnswerEvidence({ sessions, reader: deps.callReader ?? null, log });

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

  /** Applies an interaction event, treating a late or repeated one as already done. */
  function applySafely(...args: Parameters<InteractionsService['apply']>): boolean {
    try {
      interactions.apply(...args);
      return true;
    } catch (error) {
      if (error instanceof IllegalInteractionTransition) {
        log.info(
          { interactionId: args[0], event: args[1].type, state: error.from },
          'interaction event ignored',
        );
        return false;
      }
      throw error;
    }
  }

  async function deskCall(interactionId: number): Promise<DeskCall> {
    const interaction = interactions.get(interactionId);
    const session = await sessions.get(interactionId);
    const ivr = session?.ivr;
    return {
      interactionId,
      origin: interaction.origin,
      queue:
        interaction.queueId !== null && interaction.queueName !== null
          ? { id: interaction.queueId, name: interaction.queueName }
          : null,
      waitedSeconds: interaction.queuedAt
        ? Math.max(
            0,
            Math.round(
              (Date.parse(interaction.offeredAt ?? interaction.answeredAt ?? nowIso()) -
                Date.parse(interaction.queuedAt)) /
                1000,
            ),
          )
        : 0,
      pop: customers.popFor(interaction.customerId, interaction.callerNumber, interactionId),
      ivr: { answers: ivr?.answers ?? {}, path: ivr?.path ?? [] },
    };
  }

  function codesOf(queueId: number | null): { codes: WrapUpCode[]; queue: CallQueue | null } {
    if (queueId === null) return { codes: [], queue: null };
    const queue = callQueues.get(queueId);
    const codes = queue.wrapUpCodeSetId === null ? [] : callQueues.listCodes(queue.wrapUpCodeSetId);
    return { codes: codes.filter((code) => code.active), queue };
  }

  async function deskState(agentId: number): Promise<DeskState> {
    const agent = await acd.getAgent(agentId);
    const status: AgentStatus = agent?.status ?? 'offline';
    const state: DeskState = {
      serverTime: nowIso(),
      status,
      reason: agent?.reason ?? null,
      since: new Date(agent?.statusSinceMs ?? clock.now().getTime()).toISOString(),
      breakReasons,
      offer: null,
      call: null,
      wrapUp: null,
    };
    if (status === 'reserved' && agent?.reservationId) {
      const reservation = await acd.getReservation(agent.reservationId);
      if (reservation && reservation.state === 'pending') {
        state.offer = {
          ...(await deskCall(reservation.interactionId)),
          reservationId: reservation.id,
          expiresAt: new Date(reservation.expiresAtMs).toISOString(),
        };
      }
    }
    if (status === 'on_call' && agent?.interactionId) {
      const interaction = interactions.get(agent.interactionId);
      const session = await sessions.get(agent.interactionId);
      const consult = session?.consult;
      state.call = {
        ...(await deskCall(agent.interactionId)),
        answeredAt: interaction.answeredAt,
        onHold: session?.holdStartedAtMs != null,
        muted: session?.agentMuted === true,
        consult: consult && !consult.completed ? { label: consult.label, answered: consult.answered } : null,
        recording: {
          state: session?.recording ?? 'off',
          onDemand: codesOf(interaction.queueId).queue?.recordingPolicy === 'on_demand',
        },
      };
    }
    if (status === 'wrap_up') {
      const interactionId = interactions.inWrapUpFor(agentId);
      if (interactionId !== null) {
        const interaction = interactions.get(interactionId);
        const { codes, queue } = codesOf(interaction.queueId);
        state.wrapUp = {
          ...(await deskCall(interactionId)),
          codes,
          codeRequired: queue?.acwPolicy === 'mandatory' && codes.length > 0,
          deadline:
            queue?.acwPolicy === 'timed' && queue.acwSeconds !== null && agent
              ? new Date(agent.statusSinceMs + queue.acwSeconds * 1000).toISOString()
              : null,
        };
      }
    }
    return state;
  }

  async function push(agentId: number): Promise<void> {
    deps.pushDesk(agentId, await deskState(agentId));
  }

  const agentLeg = createAgentLeg({ acd, sessions, interactions, log, nowIso, push });

  async function offer(reservations: Reservation[]): Promise<void> {
    for (const reservation of reservations) {
      applySafely(
        reservation.interactionId,
        { type: 'offered', agentId: reservation.agentId },
        new Date(reservation.createdAtMs).toISOString(),
        reservation.reason,
      );
      await push(reservation.agentId);
      if (agents.get(reservation.agentId).autoAccept) await acceptFor(reservation.agentId, reservation.id);
    }
  }

  /**
   * Accepts an offer for an Agent who has offers accepted for them. A refusal is only logged: nobody
   * clicked to be told, and their desk shows where it left them (a break when their softphone is away).
   */
  async function acceptFor(agentId: number, reservationId: number): Promise<void> {
    try {
      await accept(agentId, reservationId);
    } catch (error) {
      log.warn({ err: error, agentId, reservationId }, 'an offer accepted for the agent did not go through');
    }
  }

  async function dispatch(): Promise<void> {
    await offer(await acd.dispatch());
  }

  type Waiting = readonly WaitingCall[];
  type QueuesById = Map<number, CallQueue>;

  /**
   * Moves calls that waited longer than their queue's overflow time to its overflow queue. Returns
   * the calls it moved: their wait is judged against their new queue on the next tick.
   */
  async function overflow(waiting: Waiting, queues: QueuesById, now: Date): Promise<Set<number>> {
    const moved = new Set<number>();
    for (const call of waiting) {
      const queue = queues.get(call.queueId);
      const target = queue?.overflowQueueId ? queues.get(queue.overflowQueueId) : undefined;
      if (!queue?.overflowAfterSeconds || !target || call.waitSeconds < queue.overflowAfterSeconds) continue;
      const session = await sessions.get(call.interactionId);
      // A callback has nobody on the line to move or to time out: it waits for its agent.
      if (session?.dialOut) continue;
      const visited = session?.overflowedFrom ?? [];
      if (visited.includes(target.id)) continue;
      await acd.upsertQueue(acdQueue(target));
      try {
        await acd.moveToQueue(call.interactionId, target.id);
      } catch (error) {
        // Offered or gone since the snapshot: nothing to move.
        if (error instanceof AcdError) continue;
        throw error;
      }
      moved.add(call.interactionId);
      await sessions.update(call.interactionId, () => ({
        queueId: target.id,
        overflowedFrom: [...visited, queue.id],
      }));
      applySafely(
        call.interactionId,
        { type: 'queued', queueId: target.id },
        now.toISOString(),
        `overflow from ${queue.name} after ${queue.overflowAfterSeconds} s`,
      );
    }
    return moved;
  }

  /**
   * Takes callers out of the wait, per the queue's max-wait action: those who waited past the
   * queue's maximum, and all of a queue that empties when it has `leaveWhenEmpty`.
   */
  async function maxWait(waiting: Waiting, queues: QueuesById, now: Date): Promise<void> {
    if (!deps.telephony) return;
    const emptied = new Set<number>();
    for (const queueId of new Set(waiting.map((call) => call.queueId))) {
      if (queues.get(queueId)?.leaveWhenEmpty && !(await staffed(queueId))) emptied.add(queueId);
    }
    for (const call of waiting) {
      const queue = queues.get(call.queueId);
      if (!queue) continue;
      const empty = emptied.has(queue.id);
      if (!empty && (!queue.maxWaitSeconds || call.waitSeconds < queue.maxWaitSeconds)) continue;
      const session = await sessions.get(call.interactionId);
      if (!session || session.dialOut) continue;
      try {
        if (queue.maxWaitAction === 'hangup') await acd.abandon(call.interactionId);
        else await acd.leaveQueue(call.interactionId, queue.maxWaitAction);
      } catch (error) {
        // Offered or gone since the snapshot: it is not waiting any more.
        if (error instanceof AcdError) continue;
        throw error;
      }
      interactions.note(
        call.interactionId,
        empty ? 'queue_empty' : 'max_wait_reached',
        now.toISOString(),
        null,
        {
          waitedSeconds: call.waitSeconds,
          action: queue.maxWaitAction,
        },
      );
      try {
        if (queue.maxWaitAction === 'hangup') await deps.telephony.hangUp(target(session));
        else {
          if (queue.maxWaitAction === 'voicemail')
            await sessions.update(call.interactionId, () => ({ ivrOutcome: 'voicemail' }));
          await deps.telephony.offerAlternative(target(session), queue.maxWaitAction);
        }
      } catch (error) {
        log.error(
          { err: error, interactionId: call.interactionId },
          'could not take the caller out of the wait',
        );
      }
    }
  }

  /** Someone qualified for the queue is signed in (in any status but offline) to answer its calls. */
  async function staffed(queueId: number): Promise<boolean> {
    return staffedCount((await acd.snapshot(queueId)).agents) > 0;
  }

  /** What a caller gets instead of a wait that nobody will answer: the queue's max-wait alternative. */
  const alternativeOf = (queue: CallQueue): 'voicemail' | 'callback' =>
    queue.maxWaitAction === 'callback' ? 'callback' : 'voicemail';

  /** Queues that record every call start the recording when the conversation starts. */
  async function recordIfPolicy(interactionId: number, queueId: number): Promise<void> {
    if (!deps.telephony || callQueues.get(queueId).recordingPolicy !== 'all') return;
    const session = await sessions.get(interactionId);
    if (!session) return;
    try {
      const { recordingRef } = await deps.telephony.startRecording(target(session));
      await sessions.update(interactionId, () => ({ recording: 'recording' }));
      interactions.note(interactionId, 'recording_started', nowIso(), null, { recordingRef });
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

  /** A callback due at `dueAtMs`: a job puts it in its queue then. Adding the same try twice adds it once. */
  async function scheduleCallbackCall(job: CallbackJob, dueAtMs: number): Promise<void> {
    await deps.jobs.add(CALL_JOBS.queueCallback, job, {
      delayMs: dueAtMs - clock.now().getTime(),
      jobId: `callback-${job.parentInteractionId}-${job.attempt}`,
    });
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

  type DialOutSession = CallSession & { dialOut: NonNullable<CallSession['dialOut']> };

  /** The agent of a call we place is on the line: now ring the customer into their bridge. */
  async function dialCustomer(session: DialOutSession): Promise<void> {
    const { interactionId, dialOut } = session;
    const agentId = interactions.get(interactionId).agentId;
    try {
      const leg = await telephony().dialCustomer({
        ...target(session),
        phoneNumber: dialOut.phoneNumber,
        ringTimeoutSeconds: ringTimeoutSeconds * 2,
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

  /** Nobody answered a callback: try again later through the queue, up to the attempts allowed. */
  async function callbackUnanswered(interactionId: number, callback: CallbackJob, status: string) {
    const retry = callback.attempt < callbackAttempts;
    interactions.note(
      interactionId,
      retry ? 'callback_retry_scheduled' : 'callback_given_up',
      nowIso(),
      null,
      {
        status,
        attempt: callback.attempt,
        ...(retry && { retryInSeconds: callbackRetrySeconds }),
      },
    );
    if (!retry) return;
    await scheduleCallbackCall(
      { ...callback, parentInteractionId: interactionId, attempt: callback.attempt + 1, enqueuedAtMs: null },
      clock.now().getTime() + callbackRetrySeconds * 1000,
    );
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
      const answeredAt = interactions.get(interactionId).answeredAt;
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
      const interaction = interactions.get(interactionId);
      if (!interaction.answeredAt && session) await cancelAgentLeg(session);
      // Never answered: the caller gave up ringing the agent's phone, or the customer we called
      // never picked up.
      const unanswered = session?.dialOut ? 'failed' : 'abandoned';
      applySafely(
        interactionId,
        { type: 'ended', outcome: interaction.answeredAt ? null : unanswered },
        endedAt,
      );
      if (agentStatus === 'available' || !interaction.answeredAt) {
        applySafely(interactionId, { type: 'wrap_up_submitted', wrapUpCodeId: null, notes: null }, endedAt);
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

  /** Back to the queue after the agent's phone failed; true when it went back. */
  async function agentLegFailed(interactionId: number, failure: string): Promise<boolean> {
    if (!(await agentLeg.failedAfterAccept(interactionId, failure))) return false;
    await dispatch();
    return true;
  }

  /** Where the agent's audio goes: their phone when they chose it and have one, else their softphone. */
  function audioAddressOf(agentId: number) {
    const profile = agents.get(agentId);
    return profile.audioTarget === 'phone' && profile.phoneNumber
      ? { phoneNumber: profile.phoneNumber }
      : profile.sipAddress
        ? { sipAddress: profile.sipAddress }
        : null;
  }

  async function syncAgent(agentId: number): Promise<void> {
    const agent = agents.get(agentId);
    await acd.setAgentProfile({ id: agentId, skills: agent.skills });
  }

  async function ownCall(agent: Me, interactionId: number): Promise<CallSession> {
    const call = await acd.getCall(interactionId);
    if (!call || call.agentId !== agent.id || call.state !== 'connected') {
      throw forbidden(`Interaction ${interactionId} is not your current call`);
    }
    const session = await sessions.get(interactionId);
    if (!session) throw conflict(`Interaction ${interactionId} is no longer live`);
    return session;
  }

  async function accept(agentId: number, reservationId: number): Promise<void> {
    await refuseWhenPhoneAway(agentId, reservationId);
    const reservation = await acdStep(() => acd.acceptReservation(reservationId, agentId));
    const session = await sessions.get(reservation.interactionId);
    const address = audioAddressOf(agentId);
    await push(agentId);
    if (!session || !address || !deps.telephony) {
      log.warn({ interactionId: reservation.interactionId, agentId }, 'accepted call has no audio path');
      return;
    }
    try {
      const leg = await deps.telephony.connectAgent({
        ...target(session),
        agent: address,
        ringTimeoutSeconds,
      });
      await sessions.update(session.interactionId, () => ({ agentLegId: leg.providerCallId }));
      // The caller hung up while the leg was being placed: nobody will cancel it otherwise.
      if (interactions.get(session.interactionId).endedAt)
        await cancelAgentLeg({ ...session, agentLegId: leg.providerCallId });
    } catch (error) {
      log.error({ err: error, interactionId: session.interactionId }, 'could not connect the agent');
      throw conflict('The call could not be connected to your phone; it is still waiting for you');
    }
  }

  /** The Agent turns an offer down: the call goes back to its queue and the Agent to a break. */
  async function decline(agentId: number, reservationId: number, reason: OfferDeclinedReason): Promise<void> {
    const reservation = await acdStep(() => acd.rejectReservation(reservationId, agentId));
    applySafely(reservation.interactionId, { type: 'offer_declined', agentId, reason }, nowIso());
    await push(agentId);
    await dispatch();
  }

  /**
   * Accepting a call for a softphone that is not registered would send the caller to nobody: the offer
   * is declined for the Agent instead, and the caller waits on for the next one.
   */
  async function refuseWhenPhoneAway(agentId: number, reservationId: number): Promise<void> {
    const pending = await acd.getReservation(reservationId);
    if (!deps.telephony || pending?.agentId !== agentId || pending.state !== 'pending') return;
    const session = await sessions.get(pending.interactionId);
    const address = audioAddressOf(agentId);
    if (!session || !address || (await deps.telephony.canRing(target(session), address))) return;
    await decline(agentId, reservationId, 'unreachable');
    throw conflict(
      'Your softphone is not registered, so the call went back to the queue and you are on a break. ' +
        'Check the softphone, then make yourself available.',
    );
  }

  /**
   * Ends the Agent's leg on its own, while it still rings: Twilio would otherwise let it answer into
   * an empty conference of its own. A SIP Agent's leg is a branch of the caller's INVITE, which
   * Kamailio cancels with it.
   */
  async function cancelAgentLeg(session: CallSession): Promise<void> {
    const legId = session.agentLegId;
    if (!legId || !agentLegApart(session) || !deps.telephony) return;
    const leg = { ...target(session), providerCallId: legId };
    await deps.telephony.hangUp(leg).catch((error: unknown) => {
      log.warn({ err: error, interactionId: session.interactionId }, "could not cancel the agent's leg");
    });
  }

  /** The agent's leg is a call of its own (Twilio), not a branch of the caller's (SIP through Kamailio). */
  const agentLegApart = (session: CallSession) =>
    !!session.agentLegId && session.agentLegId !== session.providerCallId;

  function target(session: CallSession) {
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

  /** A new Interaction on the same call, continuing `session`'s for the next agent (a transfer). */
  function startTransferPart(session: CallSession): number {
    const interaction = interactions.get(session.interactionId);
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

  /**
   * The caller of `session` goes on in a new Interaction that waits in a CallQueue (the named
   * agent's current queue when the transfer names an agent). The phone move comes first: if the
   * provider refuses, nothing else has changed and the caller is still with the agent.
   */
  async function continueElsewhere(
    agent: Me,
    session: CallSession,
    to: Exclude<TransferDestination, { kind: 'number' }>,
  ): Promise<{ interactionId: number; reservations: Reservation[]; detail: Record<string, unknown> }> {
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
      moved = await telephony().transfer({
        ...target(session),
        to: {
          kind: 'queue',
          callQueueId: queue.id,
          interactionId: childId,
          conferenceName: conferenceNameOf(childId),
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
      ...session,
      interactionId: childId,
      // A SIP caller reaches the new Interaction on a new dialog; a Twilio call stays the same call.
      providerCallId: moved?.providerCallId ?? session.providerCallId,
      lastTwiml: null,
      ivrOutcome: null,
      queueId: queue.id,
      agentLegId: null,
      holdStartedAtMs: null,
      overflowedFrom: [],
    });
    const from = `transfer from ${agent.displayName}`;
    applySafely(childId, { type: 'ivr_left' }, nowIso());
    applySafely(childId, { type: 'queued', queueId: queue.id }, nowIso(), from);
    await acd.upsertQueue(acdQueue(queue));
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
        reservations.push(
          await acd.offerToAgent({ ...placed, agentId: to.agentId, reason: `agent${to.agentId}: ${from}` }),
        );
      } catch (error) {
        // Taken by another call since the check: the caller waits in the queue instead.
        if (!(error instanceof AcdError)) throw error;
        interactions.note(childId, 'transfer_agent_unavailable', nowIso(), agent.id, { agentId: to.agentId });
      }
    }
    if (reservations.length === 0) await acd.enqueue(placed);
    // The caller hung up while they were being moved: the new call has nobody on it.
    if (interactions.get(childId).endedAt) await acd.abandon(childId);
    return {
      interactionId: childId,
      reservations,
      detail: to.kind === 'agent' ? { toAgentId: to.agentId, queueId: queue.id } : { queueId: queue.id },
    };
  }

  /** Records a consultation under way: the caller holds, the desk shows whom the agent talks to. */
  async function consultPlaced(
    agent: Me,
    session: CallSession,
    placed: { label: string; legId: string; childId: number | null },
  ): Promise<void> {
    await sessions.update(session.interactionId, (current) => ({
      consult: { ...placed, answered: false, completed: false },
      holdStartedAtMs: current.holdStartedAtMs ?? clock.now().getTime(),
    }));
    interactions.note(session.interactionId, 'consult_started', nowIso(), agent.id, {
      to: placed.label,
      ...(placed.childId !== null && { interactionId: placed.childId }),
    });
    await push(agent.id);
  }

  /**
   * The consulted agent's part of the call: a new Interaction on the same call and bridge, connected
   * to them at once. They must be available now.
   */
  async function consultedAgentPart(agent: Me, session: CallSession, agentId: number): Promise<number> {
    if (agentId === agent.id) throw badRequest('You cannot consult yourself');
    agents.get(agentId);
    if (!audioAddressOf(agentId)) throw conflict(`Agent ${agentId} has no phone or softphone to ring`);
    await syncAgent(agentId);
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
      ...session,
      interactionId: childId,
      lastTwiml: null,
      ivrOutcome: null,
      queueId: current.queueId,
      agentLegId: null,
      holdStartedAtMs: null,
      consult: null,
      conferenceName: target(session).conferenceName,
      consultOf: session.interactionId,
    });
    await push(agentId);
    return childId;
  }

  /** A consultation ended without a hand-over: the consulted agent's part ends and they are free again. */
  async function endConsultedPart(childId: number): Promise<void> {
    if ((await acd.getCall(childId))?.state !== 'connected') return;
    const { agentId, agentStatus } = await acd.endCall(childId);
    applySafely(
      childId,
      { type: 'ended', outcome: interactions.get(childId).answeredAt ? null : 'failed' },
      nowIso(),
    );
    applySafely(childId, { type: 'wrap_up_submitted', wrapUpCodeId: null, notes: null }, nowIso());
    if (agentStatus === 'wrap_up') await acd.endWrapUp(agentId);
    await push(agentId);
    await dispatch();
  }

  /** Ends one leg of a call; one already gone is what we wanted. */
  async function endLeg(session: CallSession, legId: string): Promise<void> {
    try {
      await telephony().hangUp({ ...target(session), providerCallId: legId });
    } catch (error) {
      if (!(error instanceof TelephonyCommandError && error.failure === 'not_found')) throw error;
    }
  }

  /** Counts a hold that ends now into the interaction's hold time. */
  /** Ends a hold in the record, adding its length to the Interaction's; returns that length (0 without one). */
  async function endHold(session: CallSession): Promise<number> {
    if (session.holdStartedAtMs === null) return 0;
    const heldSeconds = (clock.now().getTime() - session.holdStartedAtMs) / 1000;
    interactions.annotate(session.interactionId, { addHeldSeconds: heldSeconds });
    await sessions.update(session.interactionId, () => ({ holdStartedAtMs: null }));
    return heldSeconds;
  }

  /** Records a hold starting or ending on a live call; one already in that state is left as it is. */
  async function holdChanged(interactionId: number, onHold: boolean, agentId: number): Promise<void> {
    const session = await sessions.get(interactionId);
    if (!session || onHold === (session.holdStartedAtMs !== null)) return;
    if (onHold) {
      await sessions.update(interactionId, () => ({ holdStartedAtMs: clock.now().getTime() }));
      interactions.note(interactionId, 'held', nowIso(), agentId);
    } else {
      const heldSeconds = await endHold(session);
      interactions.note(interactionId, 'resumed', nowIso(), agentId, {
        heldSeconds: Math.round(heldSeconds),
      });
    }
    await push(agentId);
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
    await endHold(session);
    interactions.note(interactionId, 'transferred', nowIso(), agent.id, detail);
    const { agentStatus } = await acd.endCall(interactionId);
    applySafely(interactionId, { type: 'ended', outcome: 'transferred' }, nowIso());
    if (agentStatus === 'available') {
      applySafely(interactionId, { type: 'wrap_up_submitted', wrapUpCodeId: null, notes: null }, nowIso());
    }
    await push(agent.id);
    await offer(reservations);
    await dispatch();
  }

  return {
    deskState,
    push,
    /** For capabilities beside the call path (recordings): the Agent's own live call, and how to address it. */
    ownCall,
    callTarget: target,
    dispatch,

    /** A call reached us. Idempotent: a retried arrival returns the same interaction. */
    async arrive(
      call: Arrival,
    ): Promise<{ interactionId: number; created: boolean; customerId: number | null }> {
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
        await sessions.put({
          interactionId: id,
          provider: call.provider,
          providerCallId: call.providerCallId,
          callerNumber: call.from,
          ivr: null,
          lastTwiml: null,
          ivrOutcome: null,
          queueId: null,
          agentLegId: null,
          holdStartedAtMs: null,
        });
      }
      return { interactionId: id, created, customerId };
    },

    session: (interactionId: number) => sessions.get(interactionId),

    /** Gives the ACD a call queue's current routing settings; the call path does so whenever it uses one. */
    async ensureRouted(queueId: number): Promise<void> {
      await acd.upsertQueue(acdQueue(callQueues.get(queueId)));
    },
    saveSession: (session: CallSession) => sessions.put(session),

    /** Looks the caller up for the IVR, by caller ID or by digits they keyed in, and records who it is. */
    identify(
      interactionId: number,
      effect: { kind: 'identify_by_number'; number: string } | { kind: 'identify_by_digits'; digits: string },
    ): number | null {
      const customerId =
        effect.kind === 'identify_by_number'
          ? customers.identifyByNumber(effect.number)
          : customers.identifyByDigits(effect.digits);
      if (customerId !== null) interactions.annotate(interactionId, { customerId });
      return customerId;
    },

    interactionOf: (provider: 'twilio' | 'sip', providerCallId: string) =>
      interactions.findByProviderCall(provider, providerCallId),

    /** See `InteractionsRepository.ownerOfProviderCall`. */
    ownerOfCall: (provider: 'twilio' | 'sip', providerCallId: string) =>
      interactions.ownerOfProviderCall(provider, providerCallId),

    /**
     * A transferred caller's side called in again to reach the Interaction the transfer started (a
     * SIP REFER followed): that call becomes the Interaction's own. Once only, and only while the
     * transfer is under way; false otherwise, and nothing changes.
     */
    transferredCallArrived(
      interactionId: number,
      provider: 'twilio' | 'sip',
      providerCallId: string,
    ): boolean {
      let interaction;
      try {
        interaction = interactions.get(interactionId);
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

    /**
     * The caller chose to be called back instead of waiting: a callback follow-up on a known
     * customer's record, and a callback through `queueName` (default: the queue they waited in) at
     * the place they had, dialled when an agent frees up. Without a number to call, only the note.
     */
    async callbackRequested(
      interactionId: number,
      ivrAnswers: Record<string, string>,
      queueName: string | null,
    ): Promise<void> {
      const interaction = interactions.get(interactionId);
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
            });
      interactions.note(interactionId, 'callback_requested', nowIso(), null, {
        callerNumber: interaction.callerNumber,
      });
      await this.ivrFinished(interactionId, 'callback', ivrAnswers);
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
     * The IVR is done with the caller and hands them to a CallQueue. Returns the queue's id. A queue
     * that refuses callers while nobody is signed in (`joinEmpty` off) sets the session's
     * `queueEmpty` instead: the caller is not queued and gets the alternative.
     */
    async enqueue(
      interactionId: number,
      request: { queueName: string; priorityBoostSeconds: number; ivrAnswers: Record<string, string> },
    ): Promise<number> {
      const queue = callQueues.findByName(request.queueName);
      if (!queue) throw new Error(`The IVR routed to an unknown call queue "${request.queueName}"`);
      const interaction = interactions.get(interactionId);
      const tier =
        (interaction.customerId === null ? null : customers.tierOf(interaction.customerId)) ?? 'bronze';
      interactions.annotate(interactionId, { ivrAnswers: request.ivrAnswers });
      applySafely(interactionId, { type: 'ivr_left' }, nowIso());
      applySafely(interactionId, { type: 'queued', queueId: queue.id }, nowIso());
      await acd.upsertQueue(acdQueue(queue));
      if (!queue.joinEmpty && !(await acd.getCall(interactionId)) && !(await staffed(queue.id))) {
        const alternative = alternativeOf(queue);
        interactions.note(interactionId, 'queue_empty', nowIso(), null, { queueId: queue.id, alternative });
        await sessions.update(interactionId, () => ({ queueId: queue.id, queueEmpty: alternative }));
        return queue.id;
      }
      const { created, state } = await acd.enqueue({ interactionId, queueId: queue.id, tier });
      if (!created && state !== 'queued') {
        // Only a retried webhook enqueues twice, and then the call is still waiting.
        throw new Error(`Interaction ${interactionId} is already known to the ACD as ${state}`);
      }
      if (request.priorityBoostSeconds > 0)
        await acd.raisePriority(interactionId, request.priorityBoostSeconds);
      await sessions.update(interactionId, () => ({ queueId: queue.id }));
      return queue.id;
    },

    /** The IVR ended the call itself (voicemail, callback request, transfer out). */
    async ivrFinished(
      interactionId: number,
      outcome: CallSession['ivrOutcome'],
      ivrAnswers: Record<string, string>,
    ) {
      interactions.annotate(interactionId, { ivrAnswers });
      await sessions.update(interactionId, () => ({ ivrOutcome: outcome }));
    },

    /** A recording finished; a voicemail also becomes a task for the customer's record. */
    async recordingReady(interactionId: number, recordingRef: string): Promise<void> {
      interactions.annotate(interactionId, { recordingRef });
      interactions.note(interactionId, 'recording_ready', nowIso(), null, { recordingRef });
      const session = await sessions.get(interactionId);
      const interaction = interactions.get(interactionId);
      if (session?.ivrOutcome === 'voicemail' && interaction.customerId !== null) {
        customers.scheduleCallback({
          customerId: interaction.customerId,
          interactionId,
          queueId: interaction.queueId,
          ownerAgentId: null,
          dueAt: nowIso(),
          note: 'Voicemail left: listen and call back',
        });
      }
    },

    callerEnded,

    /**
     * The agent's phone refused or never answered the call they accepted, as Kamailio's hook says;
     * true when the call went back to its queue. Offers follow once the caller is held again.
     */
    agentLegFailed: (interactionId: number, failure: string) =>
      agentLeg.failedAfterAccept(interactionId, failure),

    /**
     * The agent's leg ended. After a conversation the caller's end follows and does the work. If the
     * agent's phone refused or never answered while the caller still waits, the caller goes back to
     * their place in the queue (see agent-leg.ts); a call with no queue to go back to is ended for
     * them. So too when the agent hangs up their phone after a consultation, which took away their
     * leg's power to end the call.
     */
    async agentLegEnded(interactionId: number, status: string): Promise<void> {
      await evidence.agentLegEnded(interactionId, status);
      const held = evidence.held(await sessions.get(interactionId));
      if (held && (await acd.getCall(interactionId))?.state === 'connected') {
        // The caller's end waited for this: how the Agent's leg ended says whether it was answered.
        await callerEnded(interactionId, held.status, new Date(held.at));
        return;
      }
      if (status === 'completed') {
        const session = await sessions.get(interactionId);
        if (session?.consult !== undefined && (await acd.getCall(interactionId))?.state === 'connected')
          await endLeg(session, session.providerCallId);
        return;
      }
      if (await agentLegFailed(interactionId, status)) return;
      const interaction = interactions.get(interactionId);
      const acdCall = await acd.getCall(interactionId);
      const session = await sessions.get(interactionId);
      if (
        interaction.answeredAt ||
        interaction.endedAt ||
        acdCall?.state !== 'connected' ||
        !session ||
        !deps.telephony
      )
        return;
      interactions.note(interactionId, 'agent_leg_failed', nowIso(), interaction.agentId, { status });
      // A call we place whose customer is not dialled yet has no other leg to end.
      if (session.dialOut && session.providerCallId === '') await callerEnded(interactionId, status);
      else await deps.telephony.hangUp(target(session));
    },

    /**
     * The agent's phone or softphone answered: the conversation starts, or, for a callback, the
     * customer is dialled now. Providers may tell us after the caller's hang-up (callbacks are not
     * ordered); then the closed call is corrected to answered.
     */
    async agentLegAnswered(interactionId: number, at: Date = clock.now(), legId?: string): Promise<void> {
      const session = await sessions.get(interactionId);
      if (legId && session?.droppedAgentLegs?.includes(legId)) {
        // Given up while it rang, it answered anyway: it must not bridge an agent now on a break.
        await cancelAgentLeg({ ...session, agentLegId: legId });
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

    /** The customer we dialled answered: the conversation starts, and the follow-up it worked on is done. */
    async customerAnswered(interactionId: number, at: Date = clock.now()): Promise<void> {
      const session = await sessions.get(interactionId);
      if (!(await conversationStarted(interactionId, at))) return;
      const followUpId = session?.dialOut?.followUpId ?? session?.dialOut?.callback?.followUpId;
      if (followUpId != null) customers.completeFollowUp(followUpId);
    },

    /**
     * A callback is due: it joins its CallQueue at the caller's old place (or now) as a new outbound
     * Interaction, and the ACD offers it to the next free agent. BullMQ may run a job twice; the
     * second run finds the Interaction and the ACD call already there.
     */
    async queueCallback(job: CallbackJob): Promise<void> {
      const parent = interactions.get(job.parentInteractionId);
      if (parent.provider === 'demo') return;
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
        await sessions.put({
          interactionId: id,
          provider: parent.provider,
          providerCallId: '',
          callerNumber: job.phoneNumber,
          ivr: null,
          lastTwiml: null,
          ivrOutcome: null,
          queueId: job.queueId,
          agentLegId: null,
          holdStartedAtMs: null,
          dialOut: { phoneNumber: job.phoneNumber, callback: job },
        });
        applySafely(id, { type: 'ivr_left' }, nowIso());
        applySafely(id, { type: 'queued', queueId: job.queueId }, nowIso(), `callback, try ${job.attempt}`);
        interactions.note(job.parentInteractionId, 'callback_queued', nowIso(), null, { interactionId: id });
      }
      const queue = callQueues.get(job.queueId);
      const tier = (job.customerId === null ? null : customers.tierOf(job.customerId)) ?? 'bronze';
      await acd.upsertQueue(acdQueue(queue));
      await acd.enqueue({
        interactionId: id,
        queueId: queue.id,
        tier,
        enqueuedAtMs: job.enqueuedAtMs ?? clock.now().getTime(),
      });
      await dispatch();
    },

    /** What the caller hears while waiting: their place in the queue and the expected wait. */
    async waitingInfo(
      interactionId: number,
    ): Promise<{ position: number; estimatedWaitSeconds: number | null } | null> {
      const place = await acd.position(interactionId);
      if (!place) return null;
      const averageHandleSeconds = interactions.averageHandleSeconds(
        place.queueId,
        new Date(clock.now().getTime() - 86_400_000).toISOString(),
      );
      return {
        position: place.position,
        estimatedWaitSeconds:
          averageHandleSeconds === null
            ? null
            : await acd.estimatedWaitSeconds(place.queueId, averageHandleSeconds),
      };
    },

    /** Signing out takes the agent out of routing: a ringing offer goes back to the queue. */
    async signedOut(agentId: number): Promise<void> {
      const agent = await acd.getAgent(agentId);
      if (agent?.status === 'reserved' && agent.reservationId !== null) {
        const reservationId = agent.reservationId;
        const reservation = await acdStep(() => acd.rejectReservation(reservationId, agentId));
        applySafely(
          reservation.interactionId,
          { type: 'offer_declined', agentId, reason: 'cancelled' },
          nowIso(),
        );
      }
      const status = (await acd.getAgent(agentId))?.status;
      if (status === 'available' || status === 'break') await acd.agentEvent(agentId, 'logout');
      await dispatch();
    },

    // ── What agents do from their desk ──

    async setStatus(agent: Me, request: SetStatusPayload): Promise<void> {
      await syncAgent(agent.id);
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
          if (!breakReasons.includes(reason)) throw badRequest(`Unknown break reason "${reason}"`);
          await acd.agentEvent(agent.id, 'take_break', { reason });
        }
      });
      await push(agent.id);
      if (request.status === 'available') await dispatch();
    },

    accept: (agent: Me, reservationId: number) => accept(agent.id, reservationId),

    /**
     * Click-to-call: the agent's phone rings first, then, once they answer, the customer's. Refused
     * for a customer who asked not to be called, and unless the agent is available or on a break.
     * Returns the new outbound Interaction.
     */
    async dial(
      agent: Me,
      request: { number: string; customerId?: number; queueId?: number; followUpId?: number },
    ): Promise<{ interactionId: number }> {
      const phoneNumber = customers.normalize(request.number);
      if (!phoneNumber) throw badRequest(`"${request.number}" is not a valid phone number`);
      const customerId = request.customerId ?? customers.identifyByNumber(phoneNumber);
      if (customerId !== null) {
        const may = customers.mayCall(customerId);
        if (may === null) throw notFound('Customer', customerId);
        if (!may) throw conflict('This customer asked not to be called');
      }
      if (
        request.followUpId !== undefined &&
        (customerId === null || !customers.hasOpenFollowUp(customerId, request.followUpId))
      )
        throw notFound('Open follow-up of this customer', request.followUpId);
      const queue =
        request.queueId !== undefined
          ? callQueues.get(request.queueId)
          : (callQueues.list().find((q) => qualifies(agents.get(agent.id).skills, q.skills)) ??
            callQueues.list()[0]);
      if (!queue) throw conflict('There is no call queue to place the call in');
      telephony();
      const provider = deps.outboundProvider ?? 'twilio';
      const address = audioAddressOf(agent.id);
      if (!address) throw conflict('You have no phone or softphone address to ring');
      await syncAgent(agent.id);
      const status = (await acd.getAgent(agent.id))?.status;
      if (status !== 'available' && status !== 'break')
        throw conflict('You can place a call only when available or on a break');
      const interactionId = interactions.recordOutbound({
        provider,
        number: phoneNumber,
        customerId,
        queueId: queue.id,
        agentId: agent.id,
        at: nowIso(),
      });
      const tier = (customerId === null ? null : customers.tierOf(customerId)) ?? 'bronze';
      await acd.upsertQueue(acdQueue(queue));
      try {
        await acd.startOutbound({ interactionId, queueId: queue.id, tier, agentId: agent.id });
      } catch (error) {
        // Offered a call in the meantime: this one never starts.
        applySafely(interactionId, { type: 'ended', outcome: 'failed' }, nowIso());
        if (error instanceof AcdError) throw conflict(error.message);
        throw error;
      }
      const session: CallSession = {
        interactionId,
        provider,
        providerCallId: '',
        callerNumber: phoneNumber,
        ivr: null,
        lastTwiml: null,
        ivrOutcome: null,
        queueId: queue.id,
        agentLegId: null,
        holdStartedAtMs: null,
        dialOut: { phoneNumber, callback: null, followUpId: request.followUpId ?? null },
      };
      await sessions.put(session);
      await push(agent.id);
      try {
        const leg = await telephony().connectAgent({
          ...target(session),
          agent: address,
          ringTimeoutSeconds,
        });
        await sessions.update(interactionId, () => ({ agentLegId: leg.providerCallId }));
      } catch (error) {
        log.error({ err: error, interactionId }, 'could not ring the agent for an outbound call');
        await callerEnded(interactionId, 'failed');
        throw conflict('Your phone could not be rung; the call was not placed');
      }
      return { interactionId };
    },

    reject: (agent: Me, reservationId: number) => decline(agent.id, reservationId, 'rejected'),

    async hold(agent: Me, interactionId: number): Promise<void> {
      const session = await ownCall(agent, interactionId);
      if (!interactions.get(interactionId).answeredAt)
        throw conflict('Your phone has not answered the call yet');
      if (session.holdStartedAtMs !== null) throw conflict('The caller is already on hold');
      await telephony().hold(target(session));
      await holdChanged(interactionId, true, agent.id);
    },

    async resume(agent: Me, interactionId: number): Promise<void> {
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
    async providerHoldChanged(interactionId: number, onHold: boolean): Promise<void> {
      const acdCall = await acd.getCall(interactionId);
      if (acdCall?.state !== 'connected' || acdCall.agentId === null) return;
      await holdChanged(interactionId, onHold, acdCall.agentId);
    },

    /** The agent mutes or unmutes themselves on the call (the caller stops or starts hearing them). */
    async mute(agent: Me, interactionId: number, muted: boolean): Promise<void> {
      const session = await ownCall(agent, interactionId);
      if (!session.agentLegId) throw conflict('Your phone is not on the call yet');
      await telephony().muteAgent({ ...target(session), agentLegId: session.agentLegId }, muted);
      await sessions.update(interactionId, () => ({ agentMuted: muted }));
      interactions.note(interactionId, muted ? 'agent_muted' : 'agent_unmuted', nowIso(), agent.id);
      await push(agent.id);
    },

    /** Ends the call for everyone; the provider's end event then moves the agent to wrap-up. */
    async hangUp(agent: Me, interactionId: number): Promise<void> {
      const session = await ownCall(agent, interactionId);
      interactions.note(interactionId, 'agent_hung_up', nowIso(), agent.id);
      const consulting = session.consultOf ? (await sessions.get(session.consultOf))?.consult : null;
      if (consulting && !consulting.completed) {
        // Consulted, not yet handed the caller: only this agent leaves the call.
        await endLeg(session, consulting.legId);
        await this.transferLegEnded(session.consultOf!, 'completed');
        return;
      }
      if (agentLegApart(session) && (await agentLeg.undoable(interactionId))) {
        // Still ringing: the agent gives the call up, not the caller, who waits on at their place.
        await cancelAgentLeg(session);
        if (await agentLegFailed(interactionId, 'desk')) return;
      }
      if (session.dialOut && session.providerCallId === '') {
        // The customer is not dialled yet: the agent's own leg is the whole call.
        if (session.agentLegId)
          await telephony().hangUp({ ...target(session), providerCallId: session.agentLegId });
        await callerEnded(interactionId, 'canceled');
        return;
      }
      let notFound: TelephonyCommandError | null = null;
      try {
        await telephony().hangUp(target(session));
      } catch (error) {
        if (!(error instanceof TelephonyCommandError && error.failure === 'not_found')) throw error;
        notFound = error;
      }
      // A caller who is already gone sends no end to wait for (it was lost): the call ends here.
      const gone = await evidence.callerGone(target(session));
      if (gone) await callerEnded(interactionId, gone.status, gone.at ?? clock.now());
      else if (notFound) throw notFound;
    },

    /**
     * A leg joined the call's bridge (Twilio's conference `participant-join`). The Agent's leg
     * joining is their answer as surely as that leg's own callback, whichever arrives first. Not for
     * a call we place: its Agent's answer dials the customer, which only one callback may do.
     */
    async legJoined(interactionId: number, legId: string, at: Date = clock.now()): Promise<void> {
      const session = await sessions.get(interactionId);
      if (!session) return;
      if (session.dialOut) {
        if (legId === session.providerCallId) await this.customerAnswered(interactionId, at);
        return;
      }
      if (legId === session.agentLegId) await conversationStarted(interactionId, at);
    },

    /**
     * Blind transfer. To an outside number, the caller is bridged to it and this interaction ends as
     * transferred. To a CallQueue or an agent, the caller goes on in a new Interaction on the same
     * call (each agent wraps up their own part, as in the customer's history): it waits in its own
     * bridge at the caller's original place, ringing the named agent first when there is one. The
     * agent leaves for wrap-up at once either way.
     */
    async transfer(agent: Me, interactionId: number, to: TransferDestination): Promise<void> {
      const session = await ownCall(agent, interactionId);
      const interaction = interactions.get(interactionId);
      if (!interaction.answeredAt) throw conflict('Your phone has not answered the call yet');
      if (to.kind === 'number') {
        const phoneNumber = customers.normalize(to.number);
        if (!phoneNumber) throw badRequest(`"${to.number}" is not a valid phone number`);
        const leg = await telephony().transfer({
          ...target(session),
          to: { kind: 'number', phoneNumber },
          mode: 'blind',
        });
        // Nobody of ours stays on the call: when the number hangs up, the caller must be let go.
        if (leg)
          await sessions.update(interactionId, () => ({
            consult: {
              label: phoneNumber,
              legId: leg.providerCallId,
              childId: null,
              answered: false,
              completed: true,
            },
          }));
        await handedOver(agent, session, { to: phoneNumber, mode: 'blind' }, []);
        return;
      }
      const next = await continueElsewhere(agent, session, to);
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
    async consult(agent: Me, interactionId: number, to: ConsultDestination): Promise<void> {
      const session = await ownCall(agent, interactionId);
      if (!interactions.get(interactionId).answeredAt)
        throw conflict('Your phone has not answered the call yet');
      if (session.consult && !session.consult.completed)
        throw conflict('A consultation is already under way');
      const phone = telephony();
      if (to.kind === 'number') {
        const phoneNumber = customers.normalize(to.number);
        if (!phoneNumber) throw badRequest(`"${to.number}" is not a valid phone number`);
        const leg = await phone.transfer({
          ...target(session),
          to: { kind: 'number', phoneNumber },
          mode: 'warm',
        });
        if (!leg) throw conflict('The consultation could not be placed');
        await consultPlaced(agent, session, { label: phoneNumber, legId: leg.providerCallId, childId: null });
        return;
      }
      const childId = await consultedAgentPart(agent, session, to.agentId);
      try {
        const address = audioAddressOf(to.agentId)!;
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
        await endConsultedPart(childId);
        throw error;
      }
    },

    /** Warm transfer, last step: the caller is back off hold with whom the agent consulted; the agent leaves. */
    async completeConsult(agent: Me, interactionId: number): Promise<void> {
      const session = await ownCall(agent, interactionId);
      const consult = session.consult;
      if (!consult || consult.completed) throw conflict('No consultation is under way');
      const phone = telephony();
      await phone.resume(target(session));
      if (session.agentLegId) await phone.hangUp({ ...target(session), providerCallId: session.agentLegId });
      await sessions.update(interactionId, () => ({ consult: { ...consult, completed: true } }));
      if (consult.childId !== null) {
        await sessions.update(consult.childId, () => ({ consultOf: null }));
        const childAgent = interactions.get(consult.childId).agentId;
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
    async cancelConsult(agent: Me, interactionId: number): Promise<void> {
      const session = await ownCall(agent, interactionId);
      const consult = session.consult;
      if (!consult || consult.completed) throw conflict('No consultation is under way');
      await sessions.update(interactionId, () => ({ consult: null }));
      await endLeg(session, consult.legId);
      if (consult.childId !== null) await endConsultedPart(consult.childId);
      await telephony().resume(target(session));
      await endHold(session);
      interactions.note(interactionId, 'consult_cancelled', nowIso(), agent.id, { to: consult.label });
      await push(agent.id);
    },

    /** The consulted (or blind-transfer) number or agent answered. */
    async transferLegAnswered(interactionId: number, at: Date = clock.now()): Promise<void> {
      const session = await sessions.get(interactionId);
      if (!session?.consult || session.consult.answered) return;
      await sessions.update(interactionId, (current) => ({
        consult: current.consult && { ...current.consult, answered: true },
      }));
      if (session.consult.childId !== null) await conversationStarted(session.consult.childId, at);
      const agentId = interactions.get(interactionId).agentId;
      if (agentId !== null && !session.consult.completed) await push(agentId);
    },

    /**
     * The consulted or transferred-to leg ended. Once the agent has left, the caller is with nobody
     * of ours, so the call ends for them; during a consultation the agent is told and the caller
     * still holds for them.
     */
    async transferLegEnded(interactionId: number, status: string): Promise<void> {
      const session = await sessions.get(interactionId);
      const consult = session?.consult;
      if (!session || !consult) return;
      if (consult.completed) {
        await endLeg(session, session.providerCallId);
        return;
      }
      await sessions.update(interactionId, () => ({ consult: null }));
      if (consult.childId !== null) await endConsultedPart(consult.childId);
      const agentId = interactions.get(interactionId).agentId;
      interactions.note(interactionId, 'consult_ended', nowIso(), agentId, { to: consult.label, status });
      if (agentId !== null) await push(agentId);
    },

    /** The call queues and the other active agents, for the desk's transfer form. */
    async transferTargets(agent: Me): Promise<TransferTargets> {
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

    /**
     * Names the customer behind an unknown caller, during or right after the call: the interaction
     * joins the customer's history and the caller's number joins their phones (when it is free), so
     * the next call is recognised. Agents may link their own calls; supervisors and admins any.
     */
    async linkCustomer(actor: Me, interactionId: number, customerId: number, ip: string): Promise<void> {
      const interaction = interactions.get(interactionId);
      // As on reading it: another's call is answered as one that does not exist (ids are sequential).
      if (actor.role === 'agent' && interaction.agentId !== actor.id)
        throw notFound('Interaction', interactionId);
      if (interaction.customerId !== null && interaction.customerId !== customerId) {
        throw conflict(`Interaction ${interactionId} already belongs to customer ${interaction.customerId}`);
      }
      const tier = customers.tierOf(customerId);
      if (tier === null) throw notFound('Customer', customerId);
      interactions.annotate(interactionId, { customerId });
      interactions.note(interactionId, 'customer_linked', nowIso(), actor.id, { customerId });
      if (interaction.callerNumber && customers.normalize(interaction.callerNumber)) {
        const owner = customers.identifyByNumber(interaction.callerNumber);
        if (owner === null)
          customers.addPhone(actor, customerId, { number: interaction.callerNumber, label: 'mobile' }, ip);
      }
      if (interaction.agentId !== null) await push(interaction.agentId);
    },

    async submitWrapUp(agent: Me, request: WrapUpPayload): Promise<void> {
      const interactionId = interactions.inWrapUpFor(agent.id);
      if (interactionId !== request.interactionId) {
        throw forbidden(`Interaction ${request.interactionId} is not waiting for your wrap-up`);
      }
      const interaction = interactions.get(interactionId);
      const { codes, queue } = codesOf(interaction.queueId);
      const code = request.wrapUpCodeId === null ? null : codes.find((c) => c.id === request.wrapUpCodeId);
      if (request.wrapUpCodeId !== null && !code) {
        throw badRequest(`Wrap-up code ${request.wrapUpCodeId} does not belong to this call's queue`);
      }
      if (!code && queue?.acwPolicy === 'mandatory' && codes.length > 0) {
        throw badRequest('This queue requires a wrap-up code');
      }
      const scheduled = code
        ? customers.applyWrapUpAction(agent.id, interaction.customerId, code, {
            interactionId,
            queueId: interaction.queueId,
            callbackAt: request.callbackAt ?? null,
          })
        : null;
      const callbackNumber = interaction.callerNumber ? customers.normalize(interaction.callerNumber) : null;
      if (scheduled && callbackNumber && interaction.queueId !== null) {
        await scheduleCallbackCall(
          {
            parentInteractionId: interactionId,
            phoneNumber: callbackNumber,
            customerId: interaction.customerId,
            queueId: interaction.queueId,
            followUpId: scheduled.followUpId,
            attempt: 1,
            enqueuedAtMs: null,
          },
          Date.parse(scheduled.dueAt),
        );
      }
      const notes = request.notes.trim();
      applySafely(
        interactionId,
        { type: 'wrap_up_submitted', wrapUpCodeId: code?.id ?? null, notes: notes || null },
        nowIso(),
      );
      await acdStep(() => acd.endWrapUp(agent.id));
      await push(agent.id);
      await dispatch();
    },

    /**
     * Timers: offers that rang out, timed after-call work that ran out, then new offers. Every
     * server process runs it about once a second; the ACD's scripts make that safe.
     */
    async tick(): Promise<void> {
      const now = clock.now();
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
      const queues: QueuesById = new Map(callQueues.list().map((queue) => [queue.id, queue]));
      const overflowed = await overflow(waiting, queues, now);
      await maxWait(
        waiting.filter((call) => !overflowed.has(call.interactionId)),
        queues,
        now,
      );
      for (const agentId of await acd.expireWrapUps(now.getTime())) {
        const interactionId = interactions.inWrapUpFor(agentId);
        if (interactionId !== null) {
          applySafely(
            interactionId,
            { type: 'wrap_up_submitted', wrapUpCodeId: null, notes: null },
            now.toISOString(),
          );
        }
        await push(agentId);
      }
      await dispatch();
    },
  };
}

export type CallsService = ReturnType<typeof createCallsService>;

/** Turns what a desk command threw into the message its ack carries. */
export function deskError(error: unknown): string | null {
  if (error instanceof RequestError) return error.message;
  if (error instanceof TelephonyCommandError) return `The phone system could not do that: ${error.message}`;
  return null;
}
