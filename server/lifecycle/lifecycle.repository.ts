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
 * The facts of the customers (not erased) whose id is in [@lo, @hi] come in parts, each one grouped
 * read of a customer index over that range, in id order, merged by id in JavaScript: the nightly pass
 * walks the customers in such ranges, one customer's evaluation is the range [id, id]. Joined in one
 * statement the parts cost SQLite a temporary index each per range, and the stored evaluation a scan
 * of its table per customer when stale planner statistics (an ANALYZE taken while it was nearly
 * empty) called it one row: the first nightly pass was quadratic.
 */
const FACTS_SQL = {
  customers: `SELECT id, created_at, lifecycle_stage FROM customers
    WHERE id BETWEEN @lo AND @hi AND erased_at IS NULL AND merged_into IS NULL ORDER BY id`,
  stored: `SELECT customer_id, stage_since, stage_source, churn_score, churn_reasons FROM customer_lifecycle
    WHERE customer_id BETWEEN @lo AND @hi ORDER BY customer_id`,
  contacts: `SELECT customer_id, count(*), max(arrived_at) FROM interactions
    WHERE customer_id BETWEEN @lo AND @hi GROUP BY customer_id ORDER BY customer_id`,
  // From the partial covering index of migration 027, whose condition is repeated for the planner.
  coded: `WITH codes AS (
      SELECT id,
             code IN (SELECT value FROM json_each(@negativeCodes)) AS negative,
             code IN (SELECT value FROM json_each(@intentCodes)) AS intent,
             code IN (SELECT value FROM json_each(@cancellationCodes)) AS cancellation
      FROM wrap_up_codes)
    SELECT i.customer_id,
           coalesce(sum(k.negative AND i.arrived_at >= @windowSince), 0),
           max(CASE WHEN k.intent THEN i.arrived_at END),
           max(CASE WHEN k.cancellation THEN i.arrived_at END)
    FROM interactions i JOIN codes k ON k.id = i.wrap_up_code_id
    WHERE i.customer_id BETWEEN @lo AND @hi AND i.arrived_at >= @cancellationSince
      AND i.wrap_up_code_id IS NOT NULL
    GROUP BY i.customer_id ORDER BY i.customer_id`,
  surveys: `SELECT customer_id, min(score) FROM interaction_surveys
    WHERE customer_id BETWEEN @lo AND @hi AND ended_at >= @windowSince AND score IS NOT NULL
    GROUP BY customer_id ORDER BY customer_id`,
  /**
   * Value events: counts and latest times from the customer index, spend in the two windows. The
   * nightly pass has these from the value pass's one read of the events and does not run it.
   * `rates` lists the model's currency at 1; an event in a currency without a rate counts as an
   * event but not as spend.
   */
  events: (
    rateCount: number,
  ) => `WITH rates(currency, rate) AS (VALUES ${Array.from({ length: rateCount }, () => '(?, ?)').join(', ')}),
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
      GROUP BY e.customer_id)
    SELECT p.customer_id, p.n, p.last_at, coalesce(v.recent, 0), coalesce(v.previous, 0)
    FROM purchases p LEFT JOIN spend v ON v.customer_id = p.customer_id ORDER BY p.customer_id`,
};

/** Applies each part row (its customer id first, ids ascending) to the row of its customer. */
function mergeById<Part extends unknown[]>(
  rows: FactsRow[],
  parts: Iterable<Part>,
  apply: (row: FactsRow, part: Part) => void,
) {
  let index = 0;
  for (const part of parts) {
    const customerId = part[0] as number;
    while (index < rows.length && rows[index]!.customerId < customerId) index++;
    const row = rows[index];
    if (row?.customerId === customerId) apply(row, part);
  }
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
  const raw = <Row extends unknown[]>(sql: string) => db.prepare<unknown[], Row>(sql).raw(true);
  const statements = {
    customers: raw<[number, string, LifecycleStage]>(FACTS_SQL.customers),
    storedRange: raw<[number, string, LifecycleSource, number, string]>(FACTS_SQL.stored),
    contacts: raw<[number, number, string]>(FACTS_SQL.contacts),
    coded: raw<[number, number, string | null, string | null]>(FACTS_SQL.coded),
    surveys: raw<[number, number]>(FACTS_SQL.surveys),
    events: raw<[number, number, string, number, number]>(FACTS_SQL.events(rates.length)),
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

  /**
   * The facts of customers lo…hi as of `now`; without `withEvents` those of their value events are
   * 0 or null (valueEvents, lastValueAt, recentSpend, previousSpend), for the nightly pass to add.
   */
  function facts(lo: number, hi: number, nowMs: number, withEvents = true): FactsRow[] {
    const range = { lo, hi };
    const since = (days: number) => new Date(nowMs - days * DAY_MS).toISOString();
    const windowSince = since(lifecycle.windowDays);
    const rows: FactsRow[] = [];
    for (const [customerId, createdAt, stage] of statements.customers.iterate(range))
      rows.push({
        customerId,
        createdAt,
        stage,
        stageSince: null,
        stageSource: null,
        churnScore: null,
        churnReasons: null,
        contacts: 0,
        lastContactAt: null,
        negatives: 0,
        lastIntentAt: null,
        lastCancellationAt: null,
        lowestScore: null,
        valueEvents: 0,
        lastValueAt: null,
        recentSpend: 0,
        previousSpend: 0,
      });
    if (rows.length === 0) return rows;
    mergeById(rows, statements.storedRange.iterate(range), (row, part) => {
      [, row.stageSince, row.stageSource, row.churnScore, row.churnReasons] = part;
    });
    mergeById(rows, statements.contacts.iterate(range), (row, part) => {
      [, row.contacts, row.lastContactAt] = part;
    });
    const coded = {
      ...range,
      ...codeLists,
      windowSince,
      cancellationSince: since(lifecycle.lostInactiveDays),
    };
    mergeById(rows, statements.coded.iterate(coded), (row, part) => {
      [, row.negatives, row.lastIntentAt, row.lastCancellationAt] = part;
    });
    mergeById(rows, statements.surveys.iterate({ ...range, windowSince }), (row, part) => {
      [, row.lowestScore] = part;
    });
    if (!withEvents) return rows;
    const [recentSince, previousSince] = spendWindows(lifecycle, nowMs);
    const events = statements.events.iterate(...rates.flat(), { ...range, recentSince, previousSince });
    mergeById(rows, events, (row, part) => {
      [, row.valueEvents, row.lastValueAt, row.recentSpend, row.previousSpend] = part;
    });
    return rows;
  }

  return {
    facts,
    /**
     * Refreshes the planner's statistics of `customer_lifecycle` when it has any (the app never runs
     * ANALYZE; a tool may have, while the table was nearly empty): with a count of one row the planner
     * scans the whole table for each range of the stored evaluations instead of seeking the range by
     * key (9 s a night at a million customers). A first night that fills the table after such an
     * ANALYZE still scans it once per range, never once per customer.
     */
    refreshStatistics() {
      const analyzed =
        db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat1'").get() &&
        db.prepare("SELECT 1 FROM sqlite_stat1 WHERE tbl = 'customer_lifecycle'").get();
      if (!analyzed) return;
      db.pragma('analysis_limit = 1000');
      db.exec('ANALYZE customer_lifecycle');
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
