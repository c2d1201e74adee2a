import type { Db } from '../../db/connection.js';
import type { Ranking } from './tiering.js';

/** Set while a full recomputation writes; a start that finds it knows the last one was cut short. */
const RUNNING_KEY = 'customer_value.recompute_running';

export interface ComputedValueRow {
  customerId: number;
  score: number;
  tier: string;
  topPercent: number;
  reason: string;
  /** The customer has a value row already: an UPDATE, about half the cost of an upsert. */
  stored: boolean;
}

/**
 * A customer's value events summed (see `eventTotals`): id, lifetime value, recent spend, the spend
 * in each window, events, the latest event's time; sums are null when no event has a rate.
 */
export type EventTotalsRow = [number, number | null, number | null, ...(number | string | null)[]];

/**
 * The full recomputation's reads and writes, set-based: whole-table scans streamed to the caller,
 * and writes a batch of customers per transaction, so that the server's own writes wait at most
 * one batch.
 */
export function createRecomputeRepository(db: Db) {
  const statements = {
    customers: db
      .prepare<[], [number, string]>(
        'SELECT id, created_at FROM customers WHERE erased_at IS NULL AND merged_into IS NULL ORDER BY id',
      )
      .raw(true),
    contacts: db
      .prepare<[string], [number, number]>(
        `SELECT customer_id, count(*) FROM interactions
         WHERE arrived_at >= ? AND customer_id IS NOT NULL GROUP BY customer_id`,
      )
      .raw(true),
    // Only a newer computation of the same customer wins: one placed at once (a value event) while
    // this run was writing keeps its result, which saw the event this run's snapshot did not.
    upsertValue: db.prepare<[number, number, string, number, string, string]>(
      `INSERT INTO customer_values (customer_id, score, tier, top_percent, reason, computed_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (customer_id) DO UPDATE SET score = excluded.score, tier = excluded.tier,
         top_percent = excluded.top_percent, reason = excluded.reason, computed_at = excluded.computed_at
       WHERE customer_values.computed_at <= excluded.computed_at`,
    ),
    updateValue: db.prepare<[number, string, number, string, string, number, string]>(
      `UPDATE customer_values SET score = ?, tier = ?, top_percent = ?, reason = ?, computed_at = ?
       WHERE customer_id = ? AND computed_at <= ?`,
    ),
    storedIds: db.prepare<[], number>('SELECT customer_id FROM customer_values').pluck(),
    // The tier in force for the batch's customers: an active override, else what this run computed.
    setTiers: db.prepare<{ from: number; to: number; computedAt: string; now: string }>(
      `UPDATE customers SET tier = coalesce(o.tier, v.tier), updated_at = @now
       FROM customer_values v LEFT JOIN tier_overrides o ON o.customer_id = v.customer_id AND o.expires_at > @now
       WHERE v.customer_id BETWEEN @from AND @to AND customers.id = v.customer_id
         AND v.computed_at = @computedAt AND customers.erased_at IS NULL
         AND customers.tier <> coalesce(o.tier, v.tier)`,
    ),
    dropErasedValues: db.prepare(
      'DELETE FROM customer_values WHERE customer_id IN (SELECT id FROM customers WHERE erased_at IS NOT NULL)',
    ),
    saveRanking: db.prepare(
      `INSERT INTO customer_value_cutoffs (id, platinum, gold, silver, customers, score_samples, computed_at)
       VALUES (1, @platinum, @gold, @silver, @customers, @samples, @computedAt)
       ON CONFLICT (id) DO UPDATE SET platinum = excluded.platinum, gold = excluded.gold,
         silver = excluded.silver, customers = excluded.customers, score_samples = excluded.score_samples,
         computed_at = excluded.computed_at`,
    ),
    setRunning: db.prepare<[string]>(
      `INSERT INTO app_meta (key, value) VALUES ('${RUNNING_KEY}', ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    ),
    clearRunning: db.prepare(`DELETE FROM app_meta WHERE key = '${RUNNING_KEY}'`),
    running: db.prepare<[], { value: string }>(`SELECT value FROM app_meta WHERE key = '${RUNNING_KEY}'`),
  };

  /**
   * Each customer's value events summed, one row per customer with events, in customer order:
   * [customer id, lifetime value, recent spend (since `since`), the spend in each of `windows`
   * (window starts, latest first: window i runs from its start to the previous one's, the first to
   * now), events, the latest event's time]. Amounts are in the model's currency; an event in a
   * currency without a rate counts as an event but adds no spend (a sum of none is null). Summed by
   * SQLite's sum(), compensated as for one customer, in one scan of the covering customer index
   * (migration 026): 20 M events cost a read of that index, and 1 M rows are handed to JavaScript.
   */
  function eventTotals(rates: [string, number][], since: string, windows: readonly string[]) {
    const cases = rates.map(() => 'WHEN ? THEN ?').join(' ');
    const inWindows = windows
      .map((_, i) => `, sum(CASE WHEN occurred_at >= ?${i > 0 ? ' AND occurred_at < ?' : ''} THEN v END)`)
      .join('');
    return db
      .prepare<unknown[], EventTotalsRow>(
        `SELECT customer_id, sum(v), sum(CASE WHEN occurred_at >= ? THEN v END)${inWindows},
                count(*), max(occurred_at)
         FROM (SELECT customer_id, occurred_at, amount * (CASE currency ${cases} END) AS v
               FROM customer_value_events INDEXED BY customer_value_events_by_customer)
         GROUP BY customer_id`,
      )
      .raw(true)
      .iterate(
        since,
        ...windows.flatMap((start, i) => (i > 0 ? [start, windows[i - 1]] : [start])),
        ...rates.flat(),
      );
  }

  return {
    customers: () => statements.customers.iterate(),
    /** Customers that have a value row. */
    storedIds: () => statements.storedIds.iterate(),
    eventTotals,
    contacts: (since: string) => statements.contacts.iterate(since),
    /** Runs `work` on one snapshot of the database (a read transaction), so every scan agrees. */
    snapshot<T>(work: () => T): T {
      db.exec('BEGIN');
      try {
        return work();
      } finally {
        db.exec('COMMIT');
      }
    },
    /**
     * A page cache large enough for a batch's writes: a batch of customers in id order touches few
     * table pages but pages all over the score index, and a small cache would write those to the WAL
     * several times per transaction (cache spill). Back to the default once the run is over.
     */
    useWriteCache(mb: number) {
      db.pragma(`cache_size = ${-Math.round(mb * 1024)}`);
    },
    releaseCache() {
      db.pragma('cache_size = -2000');
      db.pragma('shrink_memory');
    },
    markRunning: (startedAt: string) => void statements.setRunning.run(startedAt),
    /** A full recomputation started and never finished (its process or worker was killed). */
    interrupted: () => statements.running.get() !== undefined,
    /** Writes one batch of customers (ascending ids) and their tiers in force; answers tiers changed. */
    saveBatch: db.transaction((rows: ComputedValueRow[], computedAt: string, now: string): number => {
      for (const row of rows) {
        if (row.stored)
          statements.updateValue.run(
            row.score,
            row.tier,
            row.topPercent,
            row.reason,
            computedAt,
            row.customerId,
            computedAt,
          );
        else
          statements.upsertValue.run(
            row.customerId,
            row.score,
            row.tier,
            row.topPercent,
            row.reason,
            computedAt,
          );
      }
      if (!rows.length) return 0;
      return statements.setTiers.run({
        from: rows[0]!.customerId,
        to: rows.at(-1)!.customerId,
        computedAt,
        now,
      }).changes;
    }),
    /** The last step: erased customers' values go, the new ranking is kept, the run is complete. */
    finish: db.transaction((ranking: Ranking, computedAt: string) => {
      statements.dropErasedValues.run();
      statements.saveRanking.run({
        ...ranking.cutoffs,
        customers: ranking.customers,
        samples: JSON.stringify(ranking.samples),
        computedAt,
      });
      statements.clearRunning.run();
    }),
  };
}

export type RecomputeRepository = ReturnType<typeof createRecomputeRepository>;
