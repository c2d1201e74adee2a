import type { Acd, AcdAgent, Reservation } from '../../queues/index.js';
import type { CallQueue, WrapUpCode } from '../call-queues/call-queues.schemas.js';
import type { CallQueuesService } from '../call-queues/index.js';
import type { Clock } from '../clock.js';
import type { CustomersService, ScreenPop } from '../customers/customers.service.js';
import type { CrmEnricher } from './crm-enricher.js';
import { crmRequestOf } from './crm-enricher.js';
import type { InteractionsService } from '../interactions/index.js';
import type { InteractionDetail, InteractionFacts } from '../interactions/interactions.schemas.js';
import type { DeskCall, DeskState } from '../realtime/realtime.events.js';
import type { CallSession, CallSessions } from './call-sessions.js';
import { isConsulting, transferStateOf } from './transfer.machine.js';

type CallFacts = Pick<
  InteractionDetail,
  'origin' | 'queueId' | 'queueName' | 'queuedAt' | 'offeredAt' | 'answeredAt'
> &
  Partial<Pick<InteractionDetail, 'handoff'>>;

/** The call as a desk shows it, from what the record and the session say about it at `now`. */
export function deskCallOf(
  interactionId: number,
  interaction: CallFacts,
  session: CallSession | null,
  pop: ScreenPop,
  now: Date,
  crm: DeskCall['crm'] = null,
): DeskCall {
  const ivr = session?.ivr;
  const waitEnd = interaction.offeredAt ?? interaction.answeredAt ?? now.toISOString();
  return {
    interactionId,
    origin: interaction.origin,
    queue:
      interaction.queueId !== null && interaction.queueName !== null
        ? { id: interaction.queueId, name: interaction.queueName }
        : null,
    waitedSeconds: interaction.queuedAt
      ? Math.max(0, Math.round((Date.parse(waitEnd) - Date.parse(interaction.queuedAt)) / 1000))
      : 0,
    pop,
    ivr: { answers: ivr?.answers ?? {}, path: ivr?.path ?? [] },
    crm,
    handoff: interaction.handoff ?? null,
  };
}

/** What a desk state is made of, read beforehand so that the state itself is a pure function. */
export interface DeskFacts {
  now: Date;
  agent: AcdAgent | null;
  breakReasons: string[];
  /** The Agent's reservation, when they are reserved. */
  offer: { reservation: Reservation; call: DeskCall } | null;
  /** The Agent's call, when they are on one. */
  call: {
    call: DeskCall;
    answeredAt: string | null;
    session: CallSession | null;
    queue: CallQueue | null;
  } | null;
  /** The call waiting for the Agent's wrap-up, when they are in wrap-up. */
  wrapUp: { call: DeskCall; codes: WrapUpCode[]; queue: CallQueue | null } | null;
}

export function deskStateOf({ now, agent, breakReasons, offer, call, wrapUp }: DeskFacts): DeskState {
  const status = agent?.status ?? 'offline';
  const consult = call?.session?.consult;
  return {
    serverTime: now.toISOString(),
    status,
    reason: agent?.reason ?? null,
    since: new Date(agent?.statusSinceMs ?? now.getTime()).toISOString(),
    breakReasons,
    nextReason: agent?.nextReason ?? null,
    offer:
      status === 'reserved' && offer?.reservation.state === 'pending'
        ? {
            ...offer.call,
            reservationId: offer.reservation.id,
            expiresAt: new Date(offer.reservation.expiresAtMs).toISOString(),
          }
        : null,
    call:
      status === 'on_call' && call
        ? {
            ...call.call,
            answeredAt: call.answeredAt,
            onHold: call.session?.holdStartedAtMs != null,
            muted: call.session?.agentMuted === true,
            consult:
              consult && isConsulting(transferStateOf(consult))
                ? { label: consult.label, answered: consult.answered }
                : null,
            recording: {
              state: call.session?.recording ?? 'off',
              onDemand: call.queue?.recordingPolicy === 'on_demand',
            },
          }
        : null,
    wrapUp:
      status === 'wrap_up' && wrapUp
        ? {
            ...wrapUp.call,
            codes: wrapUp.codes,
            codeRequired: wrapUp.queue?.acwPolicy === 'mandatory' && wrapUp.codes.length > 0,
            deadline:
              wrapUp.queue?.acwPolicy === 'timed' && wrapUp.queue.acwSeconds !== null && agent
                ? new Date(agent.statusSinceMs + wrapUp.queue.acwSeconds * 1000).toISOString()
                : null,
          }
        : null,
  };
}

export interface DeskStateDeps {
  acd: Acd;
  sessions: CallSessions;
  interactions: InteractionsService;
  customers: CustomersService;
  callQueues: CallQueuesService;
  clock: Clock;
  breakReasons: string[];
  crm: CrmEnricher | null;
}

/** Reads what an Agent's desk shows. */
export function createDeskState({
  acd,
  sessions,
  interactions,
  customers,
  callQueues,
  clock,
  breakReasons,
  crm,
}: DeskStateDeps) {
  /** The active wrap-up codes of a CallQueue, and the queue; none without one. */
  function codesOf(queueId: number | null): { codes: WrapUpCode[]; queue: CallQueue | null } {
    if (queueId === null) return { codes: [], queue: null };
    const queue = callQueues.get(queueId);
    const codes = queue.wrapUpCodeSetId === null ? [] : callQueues.listCodes(queue.wrapUpCodeSetId);
    return { codes: codes.filter((code) => code.active), queue };
  }

  /**
   * The screen pop of each call on a desk, built once per call and kept until what it shows changes
   * (the customer's record, their follow-ups and surveys) or the call is completed: a desk is pushed
   * at every step of a call, and the pop is most of what it reads.
   */
  const pops = new Map<number, { customerId: number | null; callerNumber: string | null; pop: ScreenPop }>();
  customers.onScreenPopChanged((customerId) => {
    for (const [interactionId, kept] of pops)
      if (customerId === null || kept.customerId === customerId) pops.delete(interactionId);
  });
  interactions.onCompleted((interactionId) => pops.delete(interactionId));

  function popOf(interactionId: number, { customerId, callerNumber }: InteractionFacts): ScreenPop {
    const kept = pops.get(interactionId);
    if (kept?.customerId === customerId && kept.callerNumber === callerNumber) return kept.pop;
    const pop = customers.popFor(customerId, callerNumber, interactionId);
    pops.set(interactionId, { customerId, callerNumber, pop });
    return pop;
  }

  async function deskCall(interactionId: number, now: Date): Promise<DeskCall> {
    const interaction = interactions.facts(interactionId);
    // The lookup started when the call arrived: an offer waits for it at most until its timeout.
    const [session, enrichment] = await Promise.all([
      sessions.get(interactionId),
      crm?.enrichmentFor(crmRequestOf(interactionId, interaction, customers)) ?? null,
    ]);
    return deskCallOf(
      interactionId,
      interaction,
      session,
      popOf(interactionId, interaction),
      now,
      enrichment,
    );
  }

  async function deskState(agentId: number): Promise<DeskState> {
    const now = clock.now();
    const agent = await acd.getAgent(agentId);
    const facts: DeskFacts = { now, agent, breakReasons, offer: null, call: null, wrapUp: null };
    if (agent?.status === 'reserved' && agent.reservationId) {
      const reservation = await acd.getReservation(agent.reservationId);
      if (reservation?.state === 'pending')
        facts.offer = { reservation, call: await deskCall(reservation.interactionId, now) };
    }
    if (agent?.status === 'on_call' && agent.interactionId) {
      const interaction = interactions.facts(agent.interactionId);
      facts.call = {
        call: await deskCall(agent.interactionId, now),
        answeredAt: interaction.answeredAt,
        session: await sessions.get(agent.interactionId),
        queue: codesOf(interaction.queueId).queue,
      };
    }
    if (agent?.status === 'wrap_up') {
      const interactionId = interactions.inWrapUpFor(agentId);
      if (interactionId !== null) {
        const { codes, queue } = codesOf(interactions.facts(interactionId).queueId);
        facts.wrapUp = { call: await deskCall(interactionId, now), codes, queue };
      }
    }
    return deskStateOf(facts);
  }

  return { deskState, codesOf };
}
