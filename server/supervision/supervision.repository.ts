import type Database from 'better-sqlite3';
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

/**
 * Today's figures of a queue's calls, each answered within the target of its customer's tier where
 * the queue sets one, else the queue's: the rule the reports apply when a call closes. With `tiers`
 * (those the queue sets targets for), also each one's service-level counts, as conditional sums in
 * the same pass; without, customers are not joined, so a queue without tier targets costs what it
 * did before them.
 */
const todaySql = (tiers: readonly Tier[]) => {
  const perTier = tiers.length > 0;
  const target = perTier ? 'coalesce(t.sl_target_seconds * 1000, @targetMs)' : '@targetMs';
  const within = `i.answered_at IS NOT NULL AND ${ms('i.answered_at', 'i.queued_at')} <= ${target}`;
  const short = `i.answered_at IS NULL AND i.outcome = 'abandoned' AND ${ms('i.ended_at', 'i.queued_at')} < @shortMs`;
  const waiting = 'i.answered_at IS NULL AND i.ended_at IS NULL';
  // CASE evaluates a tier's expressions only on that tier's calls: the times are parsed once more at most.
  const tierSums = tiers.map(
    (tier) => `,
         sum(c.tier = '${tier}') AS ${tier}_offered,
         sum(CASE WHEN c.tier = '${tier}' THEN ${within} END) AS ${tier}_within,
         sum(CASE WHEN c.tier = '${tier}' THEN ${short} END) AS ${tier}_short,
         sum(CASE WHEN c.tier = '${tier}' THEN ${waiting} END) AS ${tier}_waiting`,
  );
  return `SELECT count(*) AS offered,
         count(i.answered_at) AS answered,
         sum(${within}) AS within,
         sum(i.answered_at IS NULL AND i.outcome = 'abandoned') AS abandoned,
         sum(${short}) AS short_abandoned,
         sum(${waiting}) AS still_waiting,
         avg(CASE WHEN i.answered_at IS NOT NULL THEN ${ms('i.answered_at', 'i.queued_at')} END) AS asa_ms,
         avg(CASE WHEN i.answered_at IS NOT NULL AND i.state = 'completed'
                  THEN ${ms('coalesce(i.wrap_up_ended_at, i.ended_at)', 'i.answered_at')} END) AS aht_ms,
         avg(CASE WHEN i.answered_at IS NOT NULL AND i.state = 'completed' THEN i.held_seconds END) AS hold,
         sum(i.outcome = 'transferred') AS transfers${tierSums.join('')}
    FROM interactions i
    ${
      perTier
        ? `LEFT JOIN customers c ON c.id = i.customer_id
           LEFT JOIN call_queue_tier_targets t ON t.queue_id = i.queue_id AND t.tier = c.tier`
        : ''
    }
    WHERE i.queue_id = @queueId AND i.arrived_at >= @since AND i.queued_at IS NOT NULL`;
};

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

/** A tier's columns of the per-tier statement, e.g. gold_within. */
type TierColumns = Record<`${Tier}_${'offered' | 'within' | 'short' | 'waiting'}`, number | null>;

/** A queue's service-level targets: its own, and those of the tiers it holds to their own. */
export interface QueueTargets {
  slTargetSeconds: number;
  tierTargets: Partial<Record<Tier, { slTargetSeconds: number; slTargetPercent: number }>>;
}

interface TodayParams {
  queueId: number;
  since: string;
  targetMs: number;
  shortMs: number;
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

  // One statement per set of tiers with targets of their own (at most 16, most queues share a few).
  const todayStatements = new Map<
    string,
    Database.Statement<[TodayParams], TodayRow & Partial<TierColumns>>
  >();
  const todayOf = (tiers: Tier[]) => {
    const key = tiers.join(',');
    let statement = todayStatements.get(key);
    if (!statement) {
      statement = db.prepare<TodayParams, TodayRow & Partial<TierColumns>>(todaySql(tiers));
      todayStatements.set(key, statement);
    }
    return statement;
  };

  return {
    /**
     * A queue's figures since `since` (see `QueueToday` for what each counts) and, for each tier it
     * holds to a target of its own, that tier's service level, highest tier first; one pass over
     * the calls.
     */
    queueToday(
      queueId: number,
      since: Date,
      targets: QueueTargets,
      shortAbandonSeconds: number,
    ): { today: QueueToday; byTier: TierToday[] } {
      const tiers = TIERS.filter((tier) => targets.tierTargets[tier]);
      const params = {
        queueId,
        since: since.toISOString(),
        targetMs: targets.slTargetSeconds * 1000,
        shortMs: shortAbandonSeconds * 1000,
      };
      const row = todayOf(tiers).get(params)!;
      const shortAbandoned = row.short_abandoned ?? 0;
      const within = row.within ?? 0;
      return {
        today: {
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
        },
        byTier: tiers.map((tier) => {
          const offered = row[`${tier}_offered`] ?? 0;
          const tierWithin = row[`${tier}_within`] ?? 0;
          return {
            tier,
            ...targets.tierTargets[tier]!,
            offered,
            answeredWithinTarget: tierWithin,
            serviceLevelPercent: serviceLevel(
              tierWithin,
              offered,
              row[`${tier}_short`] ?? 0,
              row[`${tier}_waiting`] ?? 0,
            ),
          };
        }),
      };
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
