import { Type, type Static } from 'typebox';
import type { Me, Role } from '../auth/auth.schemas.js';
import { Timestamp, Id } from '../http/common.schemas.js';
import type { WrapUpCode } from '../call-queues/call-queues.schemas.js';
import type { ScreenPop } from '../customers/customers.service.js';
import type { Alert, AgentsLive, QueuesLive } from '../supervision/supervision.schemas.js';
import type { ReferRequest, ReferResult } from '../telephony/sip/sip-transfer.js';

/**
 * The socket.io contract, shared with the console by `import type`. Room names come from the
 * helpers below, never from string literals at the call sites. Payloads from clients are validated
 * against the TypeBox schemas here before anything acts on them.
 */

export type AgentStatus = 'offline' | 'available' | 'reserved' | 'on_call' | 'wrap_up' | 'break';

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
}

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
  offer: (DeskCall & { reservationId: number; expiresAt: string }) | null;
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

export type Ack = (result: { ok: true } | { ok: false; error: string }) => void;

export const SetStatusPayload = Type.Object(
  {
    status: Type.Union([Type.Literal('available'), Type.Literal('break'), Type.Literal('offline')]),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  },
  { additionalProperties: false },
);
export type SetStatusPayload = Static<typeof SetStatusPayload>;

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

/** The supervisor's live views; each has its own room, joined on request by supervisors and admins. */
export const SupervisionViewPayload = Type.Object(
  { view: Type.Union([Type.Literal('queues'), Type.Literal('agents')]) },
  { additionalProperties: false },
);
export type SupervisionViewPayload = Static<typeof SupervisionViewPayload>;
export type SupervisionView = SupervisionViewPayload['view'];

/** The event each live view arrives in. */
export const SUPERVISION_EVENTS = {
  queues: 'supervision:queues',
  agents: 'supervision:agents',
} as const satisfies Record<SupervisionView, keyof ServerToClientEvents>;

export interface ServerToClientEvents {
  /** The session behind this socket ended (signed out, expired, disabled): the console shows login. */
  'session:ended': () => void;
  'desk:state': (state: DeskState) => void;
  /** Every queue's live figures: on joining, then at most once a second while anything changes. */
  'supervision:queues': (live: QueuesLive) => void;
  /** Every agent's live status and call: on joining, then at most once a second while anything changes. */
  'supervision:agents': (live: AgentsLive) => void;
  /** A threshold crossed, for every signed-in supervisor and admin. */
  'supervision:alert': (alert: Alert) => void;
  /**
   * SIP calls: transfer the caller by having the Agent's softphone send REFER. Every console of the
   * Agent is asked; the one whose softphone holds `callId` sends it and answers how it went, the
   * others answer null (not their call).
   */
  'softphone:refer': (request: ReferRequest, ack: (result: ReferResult | null) => void) => void;
  /**
   * To every console of the Agent on a SIP call: put it on hold or take it off (a re-INVITE from the
   * browser softphone, the only party in the dialog that can change its media). The console holding
   * that call acknowledges `ok` once the re-INVITE is answered; the others answer `ok: false`.
   */
  'softphone:hold': (request: SoftphoneHoldRequest, ack: Ack) => void;
  /** Likewise for the desk's Mute button: the softphone turns its microphone track off or on (no signalling). */
  'softphone:mute': (request: SoftphoneMuteRequest, ack: Ack) => void;
}

export interface SoftphoneHoldRequest {
  interactionId: number;
  onHold: boolean;
}

export interface SoftphoneMuteRequest {
  interactionId: number;
  muted: boolean;
}

export interface ClientToServerEvents {
  'agent:set-status': (payload: SetStatusPayload, ack: Ack) => void;
  'offer:accept': (payload: ReservationPayload, ack: Ack) => void;
  'offer:reject': (payload: ReservationPayload, ack: Ack) => void;
  'call:hold': (payload: CallPayload, ack: Ack) => void;
  'call:resume': (payload: CallPayload, ack: Ack) => void;
  'call:mute': (payload: MutePayload, ack: Ack) => void;
  'call:hangup': (payload: CallPayload, ack: Ack) => void;
  /**
   * Blind transfer: to an outside number (the caller is bridged to it), to a CallQueue (the caller
   * waits there at their old place) or to an available agent (it rings them first, then the queue).
   * The agent leaves for wrap-up at once.
   */
  'call:transfer': (payload: TransferPayload, ack: Ack) => void;
  /** Warm transfer to a number or an agent: the caller holds while the agent talks to them first. */
  'call:consult': (payload: ConsultPayload, ack: Ack) => void;
  /** The agent hands the caller to the consulted number and leaves for wrap-up. */
  'call:consult-complete': (payload: CallPayload, ack: Ack) => void;
  /** The consulted number is hung up and the caller is back with the agent. */
  'call:consult-cancel': (payload: CallPayload, ack: Ack) => void;
  'wrapup:submit': (payload: WrapUpPayload, ack: Ack) => void;
  /** Pause or resume the call's recording; on an `on_demand` queue also start or stop it. */
  'call:recording': (payload: RecordingPayload, ack: Ack) => void;
  /** Supervisors and admins only: start receiving a live view (its current payload comes at once). */
  'supervision:join': (payload: SupervisionViewPayload, ack: Ack) => void;
  'supervision:leave': (payload: SupervisionViewPayload, ack: Ack) => void;
}

export interface SocketData {
  agent: Me;
}

export const agentRoom = (agentId: number) => `agent:${agentId}`;
export const roleRoom = (role: Role) => `role:${role}`;
export const supervisionRoom = (view: SupervisionView) => `supervision:${view}`;
