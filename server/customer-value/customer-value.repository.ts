import type { Statement } from 'better-sqlite3';
import type { Db } from '../../db/connection.js';
import type { Tier } from '../../contracts/glossary.js';
import type { Cutoffs, Ranking, ValueFacts } from './tiering.js';

export interface ValueEventRow {
  id: number;
  customerId: number;
  reference: string;
  amount: number;
  currency: string;
  occurredAt: string;
  createdAt: string;
}

export interface NewValueEvent {
  customerId: number;
  reference: string;
  amount: number;
  currency: string;
  occurredAt: string;
  createdAt: string;
  createdBy: number | null;
}

export interface CustomerFacts extends ValueFacts {
  customerId: number;
}

export interface StoredValue {
  customerId: number;
  score: number;
  tier: Tier;
  topPercent: number;
  /** JSON, as stored. */
  reason: string;
  computedAt: string;
}

export interface OverrideRow {
  customerId: number;
  tier: Tier;
  reason: string;
  expiresAt: string;
  setByName: string | null;
  setAt: string;
}

const EVENT_COLUMNS = `id, customer_id AS customerId, reference, amount, currency,
  occurred_at AS occurredAt, created_at AS createdAt`;

const MS_PER_DAY = 86_400_000;

/**
 * Lifetime value and recent spend in the model's currency (events in a currency without a rate are
 * left out), tenure, and contacts in the recent days, for all customers not erased or for one.
 * `rates` lists the model's currency at 1.
 */
function factsSql(rateCount: number, oneCustomer: boolean) {
  const rates = Array.from({ length: rateCount }, () => '(?, ?)').join(', ');
  const customerFilter = oneCustomer ? 'AND c.id = @customerId' : '';
  return `WITH rates(currency, rate) AS (VALUES ${rates}),
    spend AS (
      SELECT e.customer_id,
             sum(e.amount * r.rate) AS lifetime,
             sum(CASE WHEN e.occurred_at >= @since THEN e.amount * r.rate ELSE 0 END) AS recent
      FROM customer_value_events e JOIN rates r ON r.currency = e.currency
      ${oneCustomer ? 'WHERE e.customer_id = @customerId' : ''}
      GROUP BY e.customer_id),
    contacts AS (
      SELECT customer_id, count(*) AS n FROM interactions
      WHERE arrived_at >= @since ${oneCustomer ? 'AND customer_id = @customerId' : 'AND customer_id IS NOT NULL'}
      GROUP BY customer_id)
    SELECT c.id AS customerId, c.created_at AS createdAt,
           coalesce(s.lifetime, 0) AS lifetimeValue, coalesce(s.recent, 0) AS recentSpend,
           coalesce(k.n, 0) AS contacts
    FROM customers c
    LEFT JOIN spend s ON s.customer_id = c.id
    LEFT JOIN contacts k ON k.customer_id = c.id
    WHERE c.erased_at IS NULL AND c.merged_into IS NULL ${customerFilter}`;
}

export function createCustomerValueRepository(db: Db) {
  const statements = {
    eventByReference: db.prepare<[string], ValueEventRow>(
      `SELECT ${EVENT_COLUMNS} FROM customer_value_events WHERE reference = ?`,
    ),
    insertEvent: db.prepare<NewValueEvent>(
      `INSERT INTO customer_value_events (customer_id, reference, amount, currency, occurred_at, created_at, created_by)
       VALUES (@customerId, @reference, @amount, @currency, @occurredAt, @createdAt, @createdBy)`,
    ),
    events: db.prepare<[number, number, number], ValueEventRow>(
      `SELECT ${EVENT_COLUMNS} FROM customer_value_events WHERE customer_id = ?
       ORDER BY occurred_at DESC, id DESC LIMIT ? OFFSET ?`,
    ),
    eventCount: db.prepare<[number], { n: number }>(
      'SELECT count(*) AS n FROM customer_value_events WHERE customer_id = ?',
    ),
    value: db.prepare<[number], StoredValue>(
      `SELECT customer_id AS customerId, score, tier, top_percent AS topPercent, reason, computed_at AS computedAt
       FROM customer_values WHERE customer_id = ?`,
    ),
    upsertValue: db.prepare<StoredValue>(
      `INSERT INTO customer_values (customer_id, score, tier, top_percent, reason, computed_at)
       VALUES (@customerId, @score, @tier, @topPercent, @reason, @computedAt)
       ON CONFLICT (customer_id) DO UPDATE SET score = excluded.score, tier = excluded.tier,
         top_percent = excluded.top_percent, reason = excluded.reason, computed_at = excluded.computed_at`,
    ),
    // The values of customers erased since: they are out of the ranking.
    dropErasedValues: db.prepare(
      'DELETE FROM customer_values WHERE customer_id IN (SELECT id FROM customers WHERE erased_at IS NOT NULL)',
    ),
    neverComputed: db.prepare<[], { needed: number }>(
      `SELECT NOT EXISTS (SELECT 1 FROM customer_value_cutoffs)
              AND EXISTS (SELECT 1 FROM customer_value_events) AS needed`,
    ),
    ranking: db.prepare<[], Cutoffs & { customers: number; samples: string }>(
      `SELECT platinum, gold, silver, customers, score_samples AS samples
       FROM customer_value_cutoffs WHERE id = 1`,
    ),
    saveRanking: db.prepare<Cutoffs & { customers: number; samples: string; computedAt: string }>(
      `INSERT INTO customer_value_cutoffs (id, platinum, gold, silver, customers, score_samples, computed_at)
       VALUES (1, @platinum, @gold, @silver, @customers, @samples, @computedAt)
       ON CONFLICT (id) DO UPDATE SET platinum = excluded.platinum, gold = excluded.gold,
         silver = excluded.silver, customers = excluded.customers, score_samples = excluded.score_samples,
         computed_at = excluded.computed_at`,
    ),
    override: db.prepare<[number], OverrideRow>(
      `SELECT o.customer_id AS customerId, o.tier, o.reason, o.expires_at AS expiresAt,
              a.display_name AS setByName, o.set_at AS setAt
       FROM tier_overrides o LEFT JOIN agents a ON a.id = o.set_by WHERE o.customer_id = ?`,
    ),
    activeOverrides: db.prepare<[string], { customerId: number; tier: Tier }>(
      'SELECT customer_id AS customerId, tier FROM tier_overrides WHERE expires_at > ?',
    ),
    upsertOverride: db.prepare<{
      customerId: number;
      tier: Tier;
      reason: string;
      expiresAt: string;
      setBy: number;
      setAt: string;
    }>(
      `INSERT INTO tier_overrides (customer_id, tier, reason, expires_at, set_by, set_at)
       VALUES (@customerId, @tier, @reason, @expiresAt, @setBy, @setAt)
       ON CONFLICT (customer_id) DO UPDATE SET tier = excluded.tier, reason = excluded.reason,
         expires_at = excluded.expires_at, set_by = excluded.set_by, set_at = excluded.set_at`,
    ),
    deleteOverride: db.prepare<[number]>('DELETE FROM tier_overrides WHERE customer_id = ?'),
    expiredOverrides: db.prepare<[string], { customerId: number; tier: Tier; expiresAt: string }>(
      'SELECT customer_id AS customerId, tier, expires_at AS expiresAt FROM tier_overrides WHERE expires_at <= ?',
    ),
  };

  interface FactsRow {
    customerId: number;
    createdAt: string;
    lifetimeValue: number;
    recentSpend: number;
    contacts: number;
  }
  const factsStatements = new Map<string, Statement<unknown[], FactsRow>>();
  function factsStatement(rateCount: number, oneCustomer: boolean) {
    const key = `${rateCount}:${oneCustomer}`;
    let statement = factsStatements.get(key);
    if (!statement) {
      statement = db.prepare<unknown[], FactsRow>(factsSql(rateCount, oneCustomer));
      factsStatements.set(key, statement);
    }
    return statement;
  }

  function facts(
    rates: [string, number][],
    now: Date,
    recentDays: number,
    customerId?: number,
  ): CustomerFacts[] {
    const since = new Date(now.getTime() - recentDays * MS_PER_DAY).toISOString();
    const rows = factsStatement(rates.length, customerId !== undefined).all(...rates.flat(), {
      since,
      ...(customerId !== undefined && { customerId }),
    });
    return rows.map(({ createdAt, ...row }) => ({
      ...row,
      tenureDays: Math.max(0, (now.getTime() - Date.parse(createdAt)) / MS_PER_DAY),
    }));
  }

  return {
    eventByReference: (reference: string) => statements.eventByReference.get(reference) ?? null,
    insertEvent: (event: NewValueEvent) => Number(statements.insertEvent.run(event).lastInsertRowid),
    events: (customerId: number, limit: number, offset: number) => ({
      items: statements.events.all(customerId, limit, offset),
      total: statements.eventCount.get(customerId)?.n ?? 0,
    }),
    facts,
    value: (customerId: number) => statements.value.get(customerId) ?? null,
    saveValue: (value: StoredValue) => void statements.upsertValue.run(value),
    /** Replaces every customer's value and the ranking (cut-offs, sampled scores) at once. */
    saveAll: db.transaction((values: StoredValue[], ranking: Ranking, computedAt: string) => {
      statements.dropErasedValues.run();
      for (const value of values) statements.upsertValue.run(value);
      statements.saveRanking.run({
        ...ranking.cutoffs,
        customers: ranking.customers,
        samples: JSON.stringify(ranking.samples),
        computedAt,
      });
    }),
    /** Value events exist but no full computation has run yet (a fresh import or demo seed). */
    needsFirstComputation: () => statements.neverComputed.get()?.needed === 1,
    /** The last full recomputation's ranking; nobody placed before the first. */
    ranking(): Ranking {
      const row = statements.ranking.get();
      if (!row) return { cutoffs: { platinum: null, gold: null, silver: null }, customers: 0, samples: [] };
      const { customers, samples, ...cutoffs } = row;
      return { cutoffs, customers, samples: JSON.parse(samples) as number[] };
    },
    override: (customerId: number) => statements.override.get(customerId) ?? null,
    activeOverrides: (now: string) => statements.activeOverrides.all(now),
    saveOverride: (override: Parameters<typeof statements.upsertOverride.run>[0]) =>
      void statements.upsertOverride.run(override),
    deleteOverride: (customerId: number) => statements.deleteOverride.run(customerId).changes > 0,
    expiredOverrides: (now: string) => statements.expiredOverrides.all(now),
    transaction: <T>(work: () => T): T => db.transaction(work)(),
  };
}

export type CustomerValueRepository = ReturnType<typeof createCustomerValueRepository>;
