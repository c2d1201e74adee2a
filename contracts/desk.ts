/**
 * The agent desk's socket contract: the state the server pushes and the payloads of the desk's
 * commands. Payloads from clients are validated against these TypeBox schemas before anything acts
 * on them; the console imports the types only.
 */
import { Type, type Static } from 'typebox';
import type { WrapUpCode } from './call-queue.js';
import type { CrmEnrichment } from './crm-lookup.js';
import type { ScreenPop } from './customer.js';
import type { HandoffContext, HandoffSource } from './handoff.js';
import type { AgentStatus } from './glossary.js';
import { Id, Timestamp } from './schema-kit.js';

/**
 * Whether a Call is being recorded: `off` before any recording, `stopped` after an on-demand one
 * ended (one recording per Interaction, so a second start cannot replace the first).
 */
export type RecordingState = 'off' | 'recording' | 'paused' | 'stopped';

/** What an Agent may do to the recording of their Call; `start` and `stop` only on `on_demand` queues. */
export type RecordingAction = RecordingPayload['action'];

/** The call as the desk shows it: who, from which queue, what the IVR learned. */
export interface DeskCall {
  interactionId: number;
  /** 'callback': we call the customer back (their number is the pop's); 'transfer': another agent passed it on. */
  origin: 'transfer' | 'callback' | null;
  queue: { id: number; name: string } | null;
  /** Seconds the caller had waited in the queue when the call was offered. */
  waitedSeconds: number;
  pop: ScreenPop;
  /** What the caller answered in the IVR (menu choices, language, identification) and the nodes visited. */
  ivr: { answers: Record<string, string>; path: string[] };
  /** What the external CRM added, or null (none configured, nothing known, or no answer within its timeout). */
  crm: CrmEnrichment | null;
  /** What a bot handed over with the caller, or null when no bot did. */
  handoff: { source: HandoffSource; context: HandoffContext } | null;
}

/**
 * A CallQueue the Agent is qualified for, as their desk shows it: how many callers wait and since when
 * the longest has. No caller is named: agents see who is calling only when offered the call.
 */
export interface QueueBacklog {
  queueId: number;
  name: string;
  waiting: number;
  /** When the caller waiting longest started waiting (ISO); null when nobody waits. */
  oldestWaitingSince: string | null;
}

/** A Reservation as the desk shows it: the call and when it stops ringing (ISO). */
export type DeskReservation = DeskCall & { reservationId: number; expiresAt: string };

/**
 * Everything an agent's desk shows, sent whole on connect and after every change: a reloaded page
 * shows the offer, the call or the wrap-up it was in, and a missed message cannot leave it stale.
 */
export interface DeskState {
  /** The server's clock when it sent this: consoles time countdowns by it, not by their own clock. */
  serverTime: string;
  status: AgentStatus;
  /** Break reason ('lunch', 'rona' after an unanswered offer, 'declined' after a rejected one, …) or null. */
  reason: string | null;
  /** When the agent entered this status (ISO). */
  since: string;
  breakReasons: string[];
  /**
   * The break (one of `breakReasons`) planned for when the offer, call or wrap-up ends, instead of
   * becoming available; null when none is. Only ever set while reserved, on a call or in wrap-up.
   */
  nextReason: string | null;
  /** The Reservation ringing on the desk; the field keeps its wire name `offer`. */
  offer: DeskReservation | null;
  call:
    | (DeskCall & {
        answeredAt: string | null;
        onHold: boolean;
        /** The caller does not hear the agent. */
        muted: boolean;
        /** A warm transfer under way: whom the agent consults (a number or an agent's name) while the caller holds. */
        consult: { label: string; answered: boolean } | null;
        /** `onDemand`: the queue lets the agent start and stop the recording, not only pause it. */
        recording: { state: RecordingState; onDemand: boolean };
      })
    | null;
  wrapUp:
    | (DeskCall & {
        /** The queue's codes; one must be picked when `codeRequired`. */
        codes: WrapUpCode[];
        codeRequired: boolean;
        /** When timed after-call work ends by itself (ISO), or null. */
        deadline: string | null;
      })
    | null;
}

export const SetStatusPayload = Type.Object(
  {
    status: Type.Union([Type.Literal('available'), Type.Literal('break'), Type.Literal('offline')]),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  },
  { additionalProperties: false },
);
export type SetStatusPayload = Static<typeof SetStatusPayload>;

/** Plans the status after the current offer, call or wrap-up: a break reason, or null for available. */
export const PlanNextPayload = Type.Object(
  { reason: Type.Union([Type.String({ minLength: 1, maxLength: 40 }), Type.Null()]) },
  { additionalProperties: false },
);
export type PlanNextPayload = Static<typeof PlanNextPayload>;

export const ReservationPayload = Type.Object({ reservationId: Id }, { additionalProperties: false });
export type ReservationPayload = Static<typeof ReservationPayload>;

export const CallPayload = Type.Object({ interactionId: Id }, { additionalProperties: false });
export type CallPayload = Static<typeof CallPayload>;

const NumberDestination = Type.Object(
  {
    kind: Type.Literal('number'),
    /** An outside number in any common written form. */
    number: Type.String({ minLength: 3, maxLength: 40 }),
  },
  { additionalProperties: false },
);
const QueueDestination = Type.Object(
  { kind: Type.Literal('queue'), queueId: Id },
  { additionalProperties: false },
);
const AgentDestination = Type.Object(
  { kind: Type.Literal('agent'), agentId: Id },
  { additionalProperties: false },
);

export const TransferDestination = Type.Union([NumberDestination, QueueDestination, AgentDestination]);
export type TransferDestination = Static<typeof TransferDestination>;

/** Whom an agent can consult before handing the caller over: a queue has nobody to talk to. */
export const ConsultDestination = Type.Union([NumberDestination, AgentDestination]);
export type ConsultDestination = Static<typeof ConsultDestination>;

export const RecordingPayload = Type.Object(
  {
    interactionId: Id,
    action: Type.Union([
      Type.Literal('pause'),
      Type.Literal('resume'),
      Type.Literal('start'),
      Type.Literal('stop'),
    ]),
  },
  { additionalProperties: false },
);
export type RecordingPayload = Static<typeof RecordingPayload>;

export const TransferPayload = Type.Object(
  { interactionId: Id, to: TransferDestination },
  { additionalProperties: false },
);
export type TransferPayload = Static<typeof TransferPayload>;

export const MutePayload = Type.Object(
  { interactionId: Id, muted: Type.Boolean() },
  { additionalProperties: false },
);
export type MutePayload = Static<typeof MutePayload>;

export const ConsultPayload = Type.Object(
  {
    interactionId: Id,
    /** An outside number, or an available agent. */
    to: ConsultDestination,
  },
  { additionalProperties: false },
);
export type ConsultPayload = Static<typeof ConsultPayload>;

export const WrapUpPayload = Type.Object(
  {
    interactionId: Id,
    wrapUpCodeId: Type.Union([Id, Type.Null()]),
    notes: Type.String({ maxLength: 5000 }),
    /** With a code whose action schedules a callback: when to call back (ISO). */
    callbackAt: Type.Optional(Timestamp),
  },
  { additionalProperties: false },
);
export type WrapUpPayload = Static<typeof WrapUpPayload>;
