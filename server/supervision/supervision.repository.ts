import type { Db } from '../../db/connection.js';
import { TIERS, type Tier } from '../../contracts/glossary.js';
import type { AlertThresholds, QueueToday, TierToday } from './supervision.schemas.js';

/*
 * Alert thresholds per queue are one JSON document in app_meta: migration numbers must run without
 * gaps and 004 is not merged yet, so a table of their own waits for 005.
 */
const THRESHOLDS_KEY = 'supervision.alert_thresholds';

/** Milliseconds between two ISO columns, rounded so that 20 s is never 19.999 s. */
const ms = (to: string, from: string) =>
  `round((unixepoch(${to}, 'subsec') - unixepoch(${from}, 'subsec')) * 1000)`;

interface TodayParams {
  queueId: number;
  since: string;
  targetMs: number;
  shortMs: number;
}

/**
 * The calls queued to a queue since a time, each with the service-level target of its customer's
 * tier where the queue sets one, else the queue's: the rule the reports apply when a call closes.
 */
const QUEUED_SINCE = `WITH calls AS (
  SELECT i.queue_id, i.queued_at, i.answered_at, i.ended_at, i.wrap_up_ended_at, i.outcome, i.state,
         i.held_seconds, c.tier AS customer_tier, coalesce(t.sl_target_seconds * 1000, @targetMs) AS target_ms
  FROM interactions i
  LEFT JOIN customers c ON c.id = i.customer_id
  LEFT JOIN call_queue_tier_targets t ON t.queue_id = i.queue_id AND t.tier = c.tier
  WHERE i.queue_id = @queueId AND i.arrived_at >= @since AND i.queued_at IS NOT NULL
)`;

interface TierRow {
  tier: Tier;
  sl_target_seconds: number;
  sl_target_percent: number;
  offered: number;
  within: number | null;
  short_abandoned: number | null;
  still_waiting: number | null;
}

interface TodayRow {
  offered: number;
  answered: number;
  within: number | null;
  abandoned: number | null;
  short_abandoned: number | null;
  still_waiting: number | null;
  asa_ms: number | null;
  aht_ms: number | null;
  hold: number | null;
  transfers: number | null;
}

export interface LiveCallRow {
  id: number;
  agent_id: number | null;
  state: 'queued' | 'offered' | 'connected' | 'wrap_up';
  customer_name: string | null;
  caller_number: string | null;
  queue_id: number | null;
  queue_name: string | null;
  queued_at: string | null;
  offered_at: string | null;
  answered_at: string | null;
}

/** within ÷ (offered − short abandons − still waiting), percent to one decimal; null when that is 0. */
const serviceLevel = (within: number, offered: number, shortAbandoned: number, waiting: number) => {
  const decided = offered - shortAbandoned - waiting;
  return decided > 0 ? Math.round((within / decided) * 1000) / 10 : null;
};

const round1 = (value: number | null) => (value === null ? null : Math.round(value / 100) / 10);

/**
 * The read model behind the supervisor's live view: today's figures per CallQueue and the calls
 * agents are on, straight from the interactions (the one truth the reports also read).
 */
export function createSupervisionRepository(db: Db) {
  const statements = {
    today: db.prepare<TodayParams, TodayRow>(
      `${QUEUED_SINCE}
       SELECT count(*) AS offered,
              count(answered_at) AS answered,
              sum(answered_at IS NOT NULL AND ${ms('answered_at', 'queued_at')} <= target_ms) AS within,
              sum(answered_at IS NULL AND outcome = 'abandoned') AS abandoned,
              sum(answered_at IS NULL AND outcome = 'abandoned' AND ${ms('ended_at', 'queued_at')} < @shortMs)
                AS short_abandoned,
              sum(answered_at IS NULL AND ended_at IS NULL) AS still_waiting,
              avg(CASE WHEN answered_at IS NOT NULL THEN ${ms('answered_at', 'queued_at')} END) AS asa_ms,
              avg(CASE WHEN answered_at IS NOT NULL AND state = 'completed'
                       THEN ${ms('coalesce(wrap_up_ended_at, ended_at)', 'answered_at')} END) AS aht_ms,
              avg(CASE WHEN answered_at IS NOT NULL AND state = 'completed' THEN held_seconds END) AS hold,
              sum(outcome = 'transferred') AS transfers
       FROM calls`,
    ),
    // Only the tiers the queue holds to a target of their own: the others share the queue's.
    byTier: db.prepare<TodayParams, TierRow>(
      `${QUEUED_SINCE}
       SELECT t.tier, t.sl_target_seconds, t.sl_target_percent,
              count(calls.queue_id) AS offered,
              sum(answered_at IS NOT NULL AND ${ms('answered_at', 'queued_at')} <= target_ms) AS within,
              sum(answered_at IS NULL AND outcome = 'abandoned' AND ${ms('ended_at', 'queued_at')} < @shortMs)
                AS short_abandoned,
              sum(answered_at IS NULL AND ended_at IS NULL) AS still_waiting
       FROM call_queue_tier_targets t
       LEFT JOIN calls ON calls.customer_tier = t.tier
       WHERE t.queue_id = @queueId
       GROUP BY t.tier
       ORDER BY CASE t.tier ${TIERS.map((tier, i) => `WHEN '${tier}' THEN ${i}`).join(' ')} END`,
    ),
    callbacksPending: db.prepare<[], { queue_id: number; n: number }>(
      `SELECT queue_id, count(*) AS n FROM follow_ups
       WHERE kind = 'callback' AND status = 'open' AND queue_id IS NOT NULL GROUP BY queue_id`,
    ),
    // Calls live longer than a day do not happen; the bound keeps this on the arrived_at index.
    liveCalls: db.prepare<[string], LiveCallRow>(
      `SELECT i.id, i.agent_id, i.state, c.name AS customer_name, i.caller_number, i.queue_id,
              q.name AS queue_name, i.queued_at, i.offered_at, i.answered_at
       FROM interactions i
       LEFT JOIN customers c ON c.id = i.customer_id
       LEFT JOIN call_queues q ON q.id = i.queue_id
       WHERE i.arrived_at >= ? AND i.state IN ('queued', 'offered', 'connected', 'wrap_up')`,
    ),
    thresholds: db.prepare<[string], { value: string }>('SELECT value FROM app_meta WHERE key = ?'),
    saveThresholds: db.prepare<[string, string]>(
      'INSERT INTO app_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ),
    handledToday: db.prepare<[string], { agent_id: number; n: number }>(
      `SELECT agent_id, count(*) AS n FROM interactions
       WHERE arrived_at >= ? AND answered_at IS NOT NULL AND agent_id IS NOT NULL GROUP BY agent_id`,
    ),
  };

  return {
    /** Today's figures of one queue; see `QueueToday` for what each counts. */
    queueToday(
      queueId: number,
      since: Date,
      slTargetSeconds: number,
      shortAbandonSeconds: number,
    ): QueueToday {
      const row = statements.today.get({
        queueId,
        since: since.toISOString(),
        targetMs: slTargetSeconds * 1000,
        shortMs: shortAbandonSeconds * 1000,
      })!;
      const shortAbandoned = row.short_abandoned ?? 0;
      const within = row.within ?? 0;
      return {
        since: since.toISOString(),
        offered: row.offered,
        answered: row.answered,
        answeredWithinTarget: within,
        abandoned: row.abandoned ?? 0,
        shortAbandoned,
        serviceLevelPercent: serviceLevel(within, row.offered, shortAbandoned, row.still_waiting ?? 0),
        asaSeconds: round1(row.asa_ms),
        ahtSeconds: round1(row.aht_ms),
        averageHoldSeconds: row.hold === null ? null : Math.round(row.hold * 10) / 10,
        transfers: row.transfers ?? 0,
      };
    },

    /** Service level since `since` of each tier the queue holds to its own target, highest tier first. */
    tiersToday(
      queueId: number,
      since: Date,
      slTargetSeconds: number,
      shortAbandonSeconds: number,
    ): TierToday[] {
      return statements.byTier
        .all({
          queueId,
          since: since.toISOString(),
          targetMs: slTargetSeconds * 1000,
          shortMs: shortAbandonSeconds * 1000,
        })
        .map((row) => ({
          tier: row.tier,
          slTargetSeconds: row.sl_target_seconds,
          slTargetPercent: row.sl_target_percent,
          offered: row.offered,
          answeredWithinTarget: row.within ?? 0,
          serviceLevelPercent: serviceLevel(
            row.within ?? 0,
            row.offered,
            row.short_abandoned ?? 0,
            row.still_waiting ?? 0,
          ),
        }));
    },

    callbacksPendingByQueue: (): Map<number, number> =>
      new Map(statements.callbacksPending.all().map((row) => [row.queue_id, row.n])),

    /** Calls queued, ringing, connected or in wrap-up that arrived since `since`. */
    liveCalls: (since: Date) => statements.liveCalls.all(since.toISOString()),

    /** Thresholds set per queue, by queue id; queues never set are absent. */
    alertThresholds(): Map<number, AlertThresholds> {
      const row = statements.thresholds.get(THRESHOLDS_KEY);
      const stored = row ? (JSON.parse(row.value) as Record<string, AlertThresholds>) : {};
      return new Map(Object.entries(stored).map(([queueId, t]) => [Number(queueId), t]));
    },

    saveAlertThresholds(queueId: number, thresholds: AlertThresholds): void {
      db.transaction(() => {
        const all = Object.fromEntries(this.alertThresholds());
        all[queueId] = thresholds;
        statements.saveThresholds.run(THRESHOLDS_KEY, JSON.stringify(all));
      })();
    },

    handledTodayByAgent: (since: Date): Map<number, number> =>
      new Map(statements.handledToday.all(since.toISOString()).map((row) => [row.agent_id, row.n])),
  };
}

export type SupervisionRepository = ReturnType<typeof createSupervisionRepository>;
