import type { Statement } from 'better-sqlite3';
import type { Db } from '../../db/connection.js';
import type { LifecycleStage } from '../../contracts/glossary.js';
import type { LifecycleChange, LifecycleReason, LifecycleSource } from '../../contracts/lifecycle.js';
import type { LifecycleModel } from './lifecycle-model.js';
import { DAY_MS, type CurrentStage, type LifecycleFacts } from './lifecycle.rules.js';

/** What the facts query returns per customer: their facts and the stage in force. */
export interface FactsRow {
  customerId: number;
  createdAt: string;
  stage: LifecycleStage;
  stageSince: string | null;
  stageSource: LifecycleSource | null;
  churnScore: number | null;
  churnReasons: string | null;
  contacts: number;
  lastContactAt: string | null;
  negatives: number;
  lastIntentAt: string | null;
  lastCancellationAt: string | null;
  lowestScore: number | null;
  valueEvents: number;
  lastValueAt: string | null;
  recentSpend: number;
  previousSpend: number;
}

/** One evaluation to store: the churn score always, a stage change when there is one. */
export interface EvaluationWrite {
  customerId: number;
  stage: LifecycleStage;
  stageSince: string;
  stageSource: LifecycleSource;
  churnScore: number;
  churnReasons: string;
  evaluatedAt: string;
  change: {
    from: LifecycleStage;
    reasons: string;
    interactionId: number | null;
    agentId: number | null;
  } | null;
}

export interface StoredLifecycle {
  stage: LifecycleStage;
  stageSince: string | null;
  stageSource: LifecycleSource | null;
  churnScore: number | null;
  churnReasons: string | null;
  evaluatedAt: string | null;
}

/**
 * The facts of every customer (not erased) whose id is in [@lo, @hi], in set-based aggregates that
 * each read their table's customer index over that range: the nightly pass walks the customers in
 * such ranges, one customer's evaluation is the range [id, id]. `rates` lists the model's currency
 * at 1; events in a currency without a rate count as events but not as spend. The stored evaluation
 * (stageSince … churnReasons) is null here: `withStored` adds it.
 */
function factsSql(rateCount: number, withEvents: boolean) {
  const rates = Array.from({ length: rateCount }, () => '(?, ?)').join(', ');
  // Without events (the nightly pass, which has their counts, latest times and spend from the value
  // pass's one read of them) the query reads nothing of the value events.
  const events = withEvents
    ? `,
    purchases AS (
      SELECT customer_id, count(*) AS n, max(occurred_at) AS last_at FROM customer_value_events
      WHERE customer_id BETWEEN @lo AND @hi
      GROUP BY customer_id),
    spend AS (
      SELECT e.customer_id,
             coalesce(sum(CASE WHEN e.occurred_at >= @recentSince THEN e.amount * r.rate END), 0) AS recent,
             coalesce(sum(CASE WHEN e.occurred_at < @recentSince THEN e.amount * r.rate END), 0) AS previous
      FROM customer_value_events e JOIN rates r ON r.currency = e.currency
      WHERE e.customer_id BETWEEN @lo AND @hi AND e.occurred_at >= @previousSince
      GROUP BY e.customer_id)`
    : '';
  return `WITH ${withEvents ? `rates(currency, rate) AS (VALUES ${rates}),` : ''}
    codes AS (
      SELECT id,
             code IN (SELECT value FROM json_each(@negativeCodes)) AS negative,
             code IN (SELECT value FROM json_each(@intentCodes)) AS intent,
             code IN (SELECT value FROM json_each(@cancellationCodes)) AS cancellation
      FROM wrap_up_codes),
    -- Counts, latest times and codes come from the customer indexes alone (coded interactions: the
    -- partial index of migration 027); only purchases of the two spend windows are read from their
    -- table, and the nightly pass reads no value event at all.
    contacts AS (
      SELECT customer_id, count(*) AS n, max(arrived_at) AS last_at FROM interactions
      WHERE customer_id BETWEEN @lo AND @hi
      GROUP BY customer_id),
    coded AS (
      SELECT i.customer_id,
             coalesce(sum(k.negative AND i.arrived_at >= @windowSince), 0) AS negatives,
             max(CASE WHEN k.intent THEN i.arrived_at END) AS last_intent,
             max(CASE WHEN k.cancellation THEN i.arrived_at END) AS last_cancellation
      FROM interactions i JOIN codes k ON k.id = i.wrap_up_code_id
      WHERE i.customer_id BETWEEN @lo AND @hi AND i.arrived_at >= @cancellationSince
        AND i.wrap_up_code_id IS NOT NULL
      GROUP BY i.customer_id),
    surveys AS (
      SELECT customer_id, min(score) AS lowest FROM interaction_surveys
      WHERE customer_id BETWEEN @lo AND @hi AND ended_at >= @windowSince AND score IS NOT NULL
      GROUP BY customer_id)${events}
    SELECT c.id AS customerId, c.created_at AS createdAt, c.lifecycle_stage AS stage,
           NULL AS stageSince, NULL AS stageSource, NULL AS churnScore, NULL AS churnReasons,
           coalesce(k.n, 0) AS contacts, k.last_at AS lastContactAt, coalesce(d.negatives, 0) AS negatives,
           d.last_intent AS lastIntentAt, d.last_cancellation AS lastCancellationAt,
           s.lowest AS lowestScore,
           ${withEvents ? 'coalesce(p.n, 0)' : '0'} AS valueEvents, ${withEvents ? 'p.last_at' : 'NULL'} AS lastValueAt,
           ${withEvents ? 'coalesce(v.recent, 0)' : '0'} AS recentSpend,
           ${withEvents ? 'coalesce(v.previous, 0)' : '0'} AS previousSpend
    FROM customers c
    LEFT JOIN contacts k ON k.customer_id = c.id
    LEFT JOIN coded d ON d.customer_id = c.id
    LEFT JOIN surveys s ON s.customer_id = c.id
    ${withEvents ? 'LEFT JOIN purchases p ON p.customer_id = c.id LEFT JOIN spend v ON v.customer_id = c.id' : ''}
    WHERE c.id BETWEEN @lo AND @hi AND c.erased_at IS NULL AND c.merged_into IS NULL
    ORDER BY c.id`;
}

/**
 * The starts of the two spend windows the rules compare, as ISO-8601: recent spend is since the
 * first, previous spend from the second up to the first.
 */
export function spendWindows(model: LifecycleModel, nowMs: number): [string, string] {
  const since = (days: number) => new Date(nowMs - days * DAY_MS).toISOString();
  return [since(model.valueWindowDays), since(2 * model.valueWindowDays)];
}

const parseTime = (at: string | null) => (at === null ? null : Date.parse(at));

/** The rules' view of a facts row. */
export function factsOf(row: FactsRow): LifecycleFacts {
  return {
    createdAtMs: Date.parse(row.createdAt),
    contacts: row.contacts,
    lastContactAtMs: parseTime(row.lastContactAt),
    negatives: row.negatives,
    lastIntentAtMs: parseTime(row.lastIntentAt),
    lastCancellationAtMs: parseTime(row.lastCancellationAt),
    lowestScore: row.lowestScore,
    valueEvents: row.valueEvents,
    lastValueAtMs: parseTime(row.lastValueAt),
    recentSpend: row.recentSpend,
    previousSpend: row.previousSpend,
  };
}

/** The stage in force as the rules read it; null before the rules first saw the customer. */
export function currentOf(row: Pick<FactsRow, 'stage' | 'stageSince' | 'stageSource'>): CurrentStage | null {
  if (row.stageSince === null || row.stageSource === null) return null;
  return { stage: row.stage, sinceMs: Date.parse(row.stageSince), source: row.stageSource };
}

export function createLifecycleRepository(
  db: Db,
  model: { currency: string; exchangeRates: Record<string, number>; lifecycle: LifecycleModel },
) {
  const rates: [string, number][] = [[model.currency, 1], ...Object.entries(model.exchangeRates)];
  const lifecycle = model.lifecycle;
  const codeLists = {
    negativeCodes: JSON.stringify(lifecycle.negativeCodes),
    intentCodes: JSON.stringify(lifecycle.cancellationIntentCodes),
    cancellationCodes: JSON.stringify(lifecycle.cancellationCodes),
  };
  const statements = {
    facts: db.prepare<unknown[], FactsRow>(factsSql(rates.length, true)),
    // A range search by key whatever the planner's statistics say: joined into the facts query, the
    // table was scanned per customer when stale statistics (a tool's ANALYZE of a nearly empty table,
    // which the first nightly pass then fills) called it one row, 20 s per thousand customers.
    storedRange: db.prepare<
      { lo: number; hi: number },
      Pick<FactsRow, 'customerId' | 'stageSince' | 'stageSource' | 'churnScore' | 'churnReasons'>
    >(
      `SELECT customer_id AS customerId, stage_since AS stageSince, stage_source AS stageSource,
              churn_score AS churnScore, churn_reasons AS churnReasons
       FROM customer_lifecycle WHERE customer_id BETWEEN @lo AND @hi ORDER BY customer_id`,
    ),
    idRange: db.prepare<[], { low: number | null; high: number | null }>(
      'SELECT min(id) AS low, max(id) AS high FROM customers',
    ),
    upsert: db.prepare<Omit<EvaluationWrite, 'change' | 'stage'>>(
      `INSERT INTO customer_lifecycle (customer_id, stage_since, stage_source, churn_score, churn_reasons, evaluated_at)
       VALUES (@customerId, @stageSince, @stageSource, @churnScore, @churnReasons, @evaluatedAt)
       ON CONFLICT (customer_id) DO UPDATE SET stage_since = excluded.stage_since,
         stage_source = excluded.stage_source, churn_score = excluded.churn_score,
         churn_reasons = excluded.churn_reasons, evaluated_at = excluded.evaluated_at`,
    ),
    setStage: db.prepare<[LifecycleStage, string, number]>(
      'UPDATE customers SET lifecycle_stage = ?, updated_at = ? WHERE id = ?',
    ),
    insertChange: db.prepare<{
      customerId: number;
      from: LifecycleStage;
      to: LifecycleStage;
      source: LifecycleSource;
      reasons: string;
      interactionId: number | null;
      agentId: number | null;
      at: string;
    }>(
      `INSERT INTO customer_lifecycle_changes (customer_id, from_stage, to_stage, source, reasons, interaction_id, agent_id, at)
       VALUES (@customerId, @from, @to, @source, @reasons, @interactionId, @agentId, @at)`,
    ),
    stored: db.prepare<[number], StoredLifecycle>(
      `SELECT c.lifecycle_stage AS stage, l.stage_since AS stageSince, l.stage_source AS stageSource,
              l.churn_score AS churnScore, l.churn_reasons AS churnReasons, l.evaluated_at AS evaluatedAt
       FROM customers c LEFT JOIN customer_lifecycle l ON l.customer_id = c.id WHERE c.id = ?`,
    ),
    changes: db.prepare<[number, number], Omit<LifecycleChange, 'reasons'> & { reasons: string }>(
      `SELECT h.id, h.from_stage AS "from", h.to_stage AS "to", h.source, h.reasons,
              h.interaction_id AS interactionId, a.display_name AS agentName, h.at
       FROM customer_lifecycle_changes h LEFT JOIN agents a ON a.id = h.agent_id
       WHERE h.customer_id = ? ORDER BY h.at DESC, h.id DESC LIMIT ?`,
    ),
  };

  let factsWithoutEvents: Statement<unknown[], FactsRow> | null = null;
  const windows = (nowMs: number) => {
    const since = (days: number) => new Date(nowMs - days * DAY_MS).toISOString();
    return {
      ...codeLists,
      windowSince: since(lifecycle.windowDays),
      cancellationSince: since(lifecycle.lostInactiveDays),
    };
  };

  /** Adds each row's stored evaluation (rows and stored rows both in id order). */
  function withStored(rows: FactsRow[], lo: number, hi: number): FactsRow[] {
    let index = 0;
    for (const stored of statements.storedRange.iterate({ lo, hi })) {
      while (index < rows.length && rows[index]!.customerId < stored.customerId) index++;
      const row = rows[index];
      if (row?.customerId !== stored.customerId) continue;
      row.stageSince = stored.stageSince;
      row.stageSource = stored.stageSource;
      row.churnScore = stored.churnScore;
      row.churnReasons = stored.churnReasons;
    }
    return rows;
  }

  /** The facts of customers lo…hi as of `now`. */
  function facts(lo: number, hi: number, nowMs: number): FactsRow[] {
    const [recentSince, previousSince] = spendWindows(lifecycle, nowMs);
    const rows = statements.facts.all(...rates.flat(), {
      lo,
      hi,
      ...windows(nowMs),
      recentSince,
      previousSince,
    });
    return withStored(rows, lo, hi);
  }

  return {
    facts,
    /**
     * The facts of customers lo…hi but those of their value events (valueEvents, lastValueAt,
     * recentSpend and previousSpend are 0 or null): for the nightly pass, which adds the value pass's.
     */
    factsWithoutEvents(lo: number, hi: number, nowMs: number): FactsRow[] {
      factsWithoutEvents ??= db.prepare<unknown[], FactsRow>(factsSql(rates.length, false));
      return withStored(factsWithoutEvents.all({ lo, hi, ...windows(nowMs) }), lo, hi);
    },
    idRange: () => statements.idRange.get() ?? { low: null, high: null },
    /**
     * Stores evaluations, and each stage change with its history row, in one transaction. Answers
     * the history rows' ids, in the order of the writes that changed a stage.
     */
    write: db.transaction((writes: readonly EvaluationWrite[]): number[] => {
      const changeIds: number[] = [];
      for (const write of writes) {
        const { change, stage, ...row } = write;
        statements.upsert.run(row);
        if (!change) continue;
        statements.setStage.run(stage, write.evaluatedAt, write.customerId);
        const inserted = statements.insertChange.run({
          customerId: write.customerId,
          from: change.from,
          to: stage,
          source: write.stageSource,
          reasons: change.reasons,
          interactionId: change.interactionId,
          agentId: change.agentId,
          at: write.stageSince,
        });
        changeIds.push(Number(inserted.lastInsertRowid));
      }
      return changeIds;
    }),
    stored: (customerId: number) => statements.stored.get(customerId) ?? null,
    changes: (customerId: number, limit: number): LifecycleChange[] =>
      statements.changes.all(customerId, limit).map((row) => ({
        ...row,
        reasons: JSON.parse(row.reasons) as LifecycleReason[],
      })),
  };
}

export type LifecycleRepository = ReturnType<typeof createLifecycleRepository>;
