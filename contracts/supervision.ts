/** The supervision socket's payloads: the live views and alerts a supervisor's console receives. */
import { Type, type Static } from 'typebox';
import { AgentStatus, Tier } from './glossary.schemas.js';
import { Id, Nullable, Timestamp } from './schema-kit.js';
import { TierTargets } from './call-queue.js';

const Count = Type.Integer({ minimum: 0 });
const Seconds = Nullable(Type.Number({ minimum: 0, description: 'Seconds; null with no calls to average' }));

export const AgentsByStatus = Type.Object({
  offline: Count,
  available: Count,
  reserved: Count,
  on_call: Count,
  wrap_up: Count,
  break: Count,
});

export const WaitingCallLive = Type.Object({
  interactionId: Type.Integer(),
  /** 1-based place in the queue. */
  position: Id,
  tier: Type.String(),
  customerName: Nullable(Type.String()),
  callerNumber: Nullable(Type.String()),
  /** When the caller started waiting: the console ticks the wait from it. */
  waitingSince: Timestamp,
});
export type WaitingCallLive = Static<typeof WaitingCallLive>;

/**
 * A CallQueue's figures since midnight in its time zone, counted over calls that arrived since then
 * and were queued to it (a call moved or overflowed counts in the queue it ended in).
 */
export const QueueToday = Type.Object({
  /** Midnight in the queue's time zone (UTC instant). */
  since: Timestamp,
  /** Calls that entered the queue, whatever became of them (still waiting ones included). */
  offered: Count,
  answered: Count,
  answeredWithinTarget: Count,
  /** Callers who hung up while waiting, short abandons included. */
  abandoned: Count,
  /** Abandons after waiting less than the short-abandon threshold: not counted against the service level. */
  shortAbandoned: Count,
  /**
   * Service level in percent: answered within target (the customer's tier's where the queue sets
   * one, else the queue's) ÷ (offered − short abandons − calls still waiting). Null when that is zero.
   */
  serviceLevelPercent: Nullable(Type.Number({ minimum: 0, maximum: 100 })),
  /** Average speed of answer: mean seconds from queued to answered. */
  asaSeconds: Seconds,
  /** Average handle time: mean seconds from answer to the end of wrap-up, over finished calls. */
  ahtSeconds: Seconds,
  /** Mean seconds on hold per answered and finished call. */
  averageHoldSeconds: Seconds,
  transfers: Count,
});
export type QueueToday = Static<typeof QueueToday>;

/** Today's service level of the customers of one Tier that their queue holds to a target of its own. */
export const TierToday = Type.Object({
  tier: Tier,
  slTargetSeconds: Type.Integer(),
  slTargetPercent: Type.Integer(),
  offered: Count,
  /** Answered within the tier's target. */
  answeredWithinTarget: Count,
  /** As the queue's: answered within target ÷ (offered − short abandons − still waiting). */
  serviceLevelPercent: Nullable(Type.Number({ minimum: 0, maximum: 100 })),
});
export type TierToday = Static<typeof TierToday>;

export const QueueLive = Type.Object({
  queueId: Type.Integer(),
  name: Type.String(),
  timeZone: Type.String(),
  slTargetSeconds: Type.Integer(),
  slTargetPercent: Type.Integer(),
  tierTargets: TierTargets,
  waiting: Type.Array(WaitingCallLive, { description: 'By position' }),
  /** Agents qualified for the queue, by status. */
  agents: AgentsByStatus,
  today: QueueToday,
  /** Per tier, for the tiers the queue sets a target of their own (none when it sets none). */
  todayByTier: Type.Array(TierToday),
  /** Open callback follow-ups of the queue. */
  callbacksPending: Count,
});
export type QueueLive = Static<typeof QueueLive>;

export const QueuesLive = Type.Object({ at: Timestamp, queues: Type.Array(QueueLive) });
export type QueuesLive = Static<typeof QueuesLive>;

export const AgentCallLive = Type.Object({
  interactionId: Type.Integer(),
  customerName: Nullable(Type.String()),
  callerNumber: Nullable(Type.String()),
  queueId: Nullable(Type.Integer()),
  queueName: Nullable(Type.String()),
  /** When the call reached the agent: answered, or offered while it rings. */
  since: Timestamp,
});

export const AgentLive = Type.Object({
  agentId: Type.Integer(),
  displayName: Type.String(),
  username: Type.String(),
  skills: Type.Array(Type.String()),
  /** Queues the agent is qualified for. */
  queueIds: Type.Array(Type.Integer()),
  status: AgentStatus,
  /** Break reason, or null. */
  reason: Nullable(Type.String()),
  /** The break planned for when the agent's offer, call or wrap-up ends, or null (available then). */
  nextReason: Nullable(Type.String()),
  /** When the agent entered the status; the console ticks the time in status from it. */
  statusSince: Timestamp,
  /** The offered, connected or wrapping-up call. */
  call: Nullable(AgentCallLive),
  /** The reservation ringing on the agent's desk, which a supervisor may end. */
  reservationId: Nullable(Type.Integer()),
  /** Calls the agent answered since midnight (the supervision time zone). */
  handledToday: Count,
  /**
   * Milliseconds today before `statusSince` spent busy (reserved, on a call, in wrap-up) and staffed
   * (busy or available). Occupancy = busy ÷ staffed, with the current status's time added by the viewer.
   */
  busyMs: Count,
  staffedMs: Count,
});
export type AgentLive = Static<typeof AgentLive>;

export const AgentsLive = Type.Object({
  at: Timestamp,
  /** Midnight in the supervision time zone: where "today" of every agent starts. */
  since: Timestamp,
  agents: Type.Array(AgentLive),
});
export type AgentsLive = Static<typeof AgentsLive>;

export const AlertKind = Type.Union([
  Type.Literal('service_level'),
  Type.Literal('longest_wait'),
  Type.Literal('no_agent'),
  Type.Literal('agent_status'),
]);
export type AlertKind = Static<typeof AlertKind>;

export const Alert = Type.Object({
  kind: AlertKind,
  queueId: Nullable(Type.Integer()),
  queueName: Nullable(Type.String()),
  agentId: Nullable(Type.Integer()),
  agentName: Nullable(Type.String()),
  /** A service-level alert of the customers of one Tier, held by their queue to a target of its own. */
  tier: Type.Optional(Tier),
  /** The measured value that crossed the threshold (percent or seconds or calls). */
  value: Type.Number(),
  threshold: Type.Number(),
  at: Timestamp,
  /** For people: what happened, in English (the console words its own toast from the fields). */
  message: Type.String(),
});
export type Alert = Static<typeof Alert>;
