/**
 * What one closed Interaction adds to the reports, as pure data: the rows it contributes to the
 * 15-minute rollups. The definitions follow the live wallboard (supervision.repository.ts) so that
 * live and historical figures agree; README.md beside this file gives each formula.
 */

/** Length of a rollup bucket in seconds. Buckets start on UTC quarter hours. */
export const BUCKET_SECONDS = 900;

/** The additive counters of a rollup row, in column order; `wait_max_ms` is a maximum, not a sum. */
export const COUNTERS = [
  'contacts',
  'offered',
  'answered',
  'answered_in_sl',
  'abandoned',
  'short_abandoned',
  'answer_wait_ms',
  'abandon_wait_ms',
  'wait_max_ms',
  'handled',
  'talk_ms',
  'hold_ms',
  'held',
  'acw_ms',
  'transfers',
  'callbacks_requested',
  'callbacks_kept',
  'callbacks_failed',
  'rona',
  'declined',
  'voicemails',
  'ivr_entered',
  'ivr_contained',
  'failed',
] as const;
export type Counter = (typeof COUNTERS)[number];
export type Counters = Record<Counter, number>;

/** The dimensions of a 15-minute rollup row; 0 and '' stand for "none" (no queue, agent, tier, stage or code). */
export const KEY_COLUMNS = [
  'bucket_start',
  'queue_id',
  'agent_id',
  'tier',
  'lifecycle_stage',
  'wrap_up_code_id',
  'direction',
  'provider',
] as const;
export type KeyColumn = (typeof KEY_COLUMNS)[number];
export interface RollupKey {
  bucket_start: number;
  queue_id: number;
  agent_id: number;
  tier: string;
  lifecycle_stage: string;
  wrap_up_code_id: number;
  direction: string;
  provider: string;
}
export type Contribution = RollupKey & Counters;

/** A closed Interaction with what its figures depend on. */
export interface ClosedInteraction {
  direction: string;
  provider: string;
  origin: 'transfer' | 'callback' | null;
  queueId: number | null;
  agentId: number | null;
  /** The customer's Tier when the Interaction closed; null for an unknown caller. */
  tier: string | null;
  /** The customer's LifecycleStage when the Interaction closed; null for an unknown caller. */
  lifecycleStage: string | null;
  wrapUpCodeId: number | null;
  arrivedAt: string;
  queuedAt: string | null;
  answeredAt: string | null;
  endedAt: string | null;
  wrapUpEndedAt: string | null;
  outcome: string | null;
  heldSeconds: number;
  /** The service-level target in seconds: the customer's tier's where the queue sets one, else the queue's. */
  slTargetSeconds: number | null;
  /** Offers of this Interaction that agents did not take, by agent and reason. */
  declines: { agentId: number; reason: string; count: number }[];
}

export interface RollupSettings {
  /** Abandons after less than this many seconds of waiting are short abandons. */
  shortAbandonSeconds: number;
}

const zero = (): Counters => Object.fromEntries(COUNTERS.map((c) => [c, 0])) as Counters;

export const bucketOf = (iso: string) => {
  const seconds = Math.floor(Date.parse(iso) / 1000);
  return seconds - (seconds % BUCKET_SECONDS);
};

const between = (to: string, from: string) => Date.parse(to) - Date.parse(from);

/** The rows an Interaction contributes: its own, then one per agent whose offer of it rang out or was declined. */
export function contributionsOf(call: ClosedInteraction, settings: RollupSettings): Contribution[] {
  const key: RollupKey = {
    bucket_start: bucketOf(call.arrivedAt),
    queue_id: call.queueId ?? 0,
    agent_id: call.agentId ?? 0,
    tier: call.tier ?? '',
    lifecycle_stage: call.lifecycleStage ?? '',
    wrap_up_code_id: call.wrapUpCodeId ?? 0,
    direction: call.direction,
    provider: call.provider,
  };
  const own = { ...key, ...zero(), contacts: 1 };
  const answered = call.answeredAt !== null;
  if (call.queuedAt !== null) {
    own.offered = 1;
    const waitMs = between(call.answeredAt ?? call.endedAt ?? call.queuedAt, call.queuedAt);
    own.wait_max_ms = Math.max(0, waitMs);
    if (answered) {
      own.answered = 1;
      own.answer_wait_ms = waitMs;
      if (waitMs <= (call.slTargetSeconds ?? 0) * 1000) own.answered_in_sl = 1;
    } else if (call.outcome === 'abandoned') {
      own.abandoned = 1;
      own.abandon_wait_ms = waitMs;
      if (waitMs < settings.shortAbandonSeconds * 1000) own.short_abandoned = 1;
    }
  }
  if (answered && call.endedAt !== null) {
    own.handled = 1;
    own.hold_ms = call.heldSeconds * 1000;
    own.held = call.heldSeconds > 0 ? 1 : 0;
    own.talk_ms = Math.max(0, between(call.endedAt, call.answeredAt!) - own.hold_ms);
    if (call.wrapUpEndedAt !== null) own.acw_ms = Math.max(0, between(call.wrapUpEndedAt, call.endedAt));
  }
  if (call.outcome === 'transferred') own.transfers = 1;
  if (call.outcome === 'callback') own.callbacks_requested = 1;
  if (call.outcome === 'voicemail') own.voicemails = 1;
  if (call.outcome === 'failed') own.failed = 1;
  if (call.origin === 'callback') {
    if (answered) own.callbacks_kept = 1;
    else own.callbacks_failed = 1;
  }
  if (call.direction === 'inbound' && call.origin === null) {
    own.ivr_entered = 1;
    if (call.queuedAt === null && !['voicemail', 'callback', 'failed'].includes(call.outcome ?? ''))
      own.ivr_contained = 1;
  }
  const byAgent = new Map<number, Contribution>();
  for (const decline of call.declines) {
    const row = byAgent.get(decline.agentId) ?? {
      ...key,
      ...zero(),
      agent_id: decline.agentId,
      wrap_up_code_id: 0,
    };
    if (decline.reason === 'timed_out') row.rona += decline.count;
    else if (decline.reason === 'rejected') row.declined += decline.count;
    byAgent.set(decline.agentId, row);
  }
  return [own, ...[...byAgent.values()].filter((row) => row.rona + row.declined > 0)];
}
