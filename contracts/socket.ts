/**
 * The socket.io contract between the server and the console: the event maps both sides are typed
 * by. Event names are wire format; room names come from helpers in server/realtime.
 */
import { Type, type Static } from 'typebox';
import type {
  CallPayload,
  ConsultPayload,
  DeskState,
  MutePayload,
  QueueBacklog,
  PlanNextPayload,
  RecordingPayload,
  ReservationPayload,
  SetStatusPayload,
  TransferPayload,
  WrapUpPayload,
} from './desk.js';
import type { ImportProgress } from './customer-import.js';
import type { ErrorCode, ErrorParams } from './errors.js';
import type { FollowUpReminder } from './follow-up.js';
import type { AgentsLive, Alert, QueuesLive } from './supervision.js';

/** `complete`: `queues` is every queue of the agent (replace); otherwise queues that changed (merge). */
export interface QueueBacklogUpdate {
  complete: boolean;
  queues: QueueBacklog[];
}

/** A refusal: `error` in English, `code` (with `params`) for consoles that say it in their language. */
export interface AckRefusal {
  ok: false;
  error: string;
  code?: ErrorCode;
  params?: ErrorParams;
}

export type Ack = (result: { ok: true } | AckRefusal) => void;

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
  /**
   * The backlog of the agent's CallQueues: all of them on connecting and when the agent's or a
   * queue's skills change, then each queue at most once a second while its waiting calls change.
   */
  'desk:backlog': (backlog: QueueBacklogUpdate) => void;
  /** Every queue's live figures: on joining, then at most once a second while anything changes. */
  'supervision:queues': (live: QueuesLive) => void;
  /** Every agent's live status and call: on joining, then at most once a second while anything changes. */
  'supervision:agents': (live: AgentsLive) => void;
  /** A threshold crossed, for every signed-in supervisor and admin. */
  'supervision:alert': (alert: Alert) => void;
  /** A Follow-up of the agent (or of a team they are in) fell due or is overdue; sent once per reminder. */
  'follow-up:reminder': (reminder: FollowUpReminder) => void;
  /** A Follow-up the agent may see in a worklist was created or changed: counts and lists are stale. */
  'follow-up:changed': (change: { followUpId: number }) => void;
  /** A customer import this supervisor or admin started moved on (a batch written, or the end). */
  'customer-import:progress': (progress: ImportProgress) => void;
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
  /** While ringing, on a call or in wrap-up: the break to take when that ends (null: available). */
  'agent:plan-next': (payload: PlanNextPayload, ack: Ack) => void;
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

/** What the server asks an Agent's softphone to do: REFER the caller of `callId` to `referTo`. */
export interface ReferRequest {
  interactionId: number;
  /** The SIP Call-ID of the Agent's dialog with the caller. */
  callId: string;
  referTo: string;
}

/**
 * How the softphone's REFER went. `accepted`: the caller's side answered 202 (it will now call
 * `referTo`); otherwise `reason` says why not, for people (e.g. "603 Declined", "no such call").
 */
export type ReferResult = { ok: true } | { ok: false; reason: string };
