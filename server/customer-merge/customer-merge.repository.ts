import type { Db } from '../../db/connection.js';
import type { DuplicateCustomer, DuplicateReason, MergeField } from './customer-merge.schemas.js';

// The match keys, word for word as indexed in migration 024: SQLite uses an expression index only
// for the very same expression.
const phoneKey = (alias: string) =>
  `replace(replace(replace(replace(replace(replace(${alias}.e164, '+', ''), ' ', ''), '-', ''), '(', ''), ')', ''), '.', '')`;
const emailKey = (alias: string) => `lower(trim(${alias}.email))`;

const BOTH_ACTIVE = `a.erased_at IS NULL AND a.merged_into IS NULL AND b.erased_at IS NULL AND b.merged_into IS NULL`;
const AFTER_CURSOR = `a.id >= @afterLow AND (a.id > @afterLow OR b.id > @afterHigh)`;
const NOT_DISMISSED = `NOT EXISTS (SELECT 1 FROM customer_duplicate_dismissals d
  WHERE d.low_customer_id = a.id AND d.high_customer_id = b.id)`;

/**
 * Each kind of pair as its own query: every customer probes the match index for the others with
 * the same key (a self-join, never all pairs), lower id first, after the cursor, in cursor order.
 */
const PAIR_QUERIES: Record<DuplicateReason, string> = {
  phone: `SELECT DISTINCT a.id AS low, b.id AS high FROM customer_phones p
    JOIN customer_phones q ON ${phoneKey('q')} = ${phoneKey('p')} AND q.customer_id > p.customer_id
    JOIN customers a ON a.id = p.customer_id JOIN customers b ON b.id = q.customer_id`,
  email: `SELECT DISTINCT a.id AS low, b.id AS high FROM customer_emails p
    JOIN customer_emails q ON ${emailKey('q')} = ${emailKey('p')} AND q.customer_id > p.customer_id
    JOIN customers a ON a.id = p.customer_id JOIN customers b ON b.id = q.customer_id`,
  name_company: `SELECT a.id AS low, b.id AS high FROM customers a
    JOIN customers b ON lower(trim(b.name)) = lower(trim(a.name)) AND lower(trim(b.company)) = lower(trim(a.company))
      AND b.company IS NOT NULL AND b.id > a.id
    WHERE a.company IS NOT NULL AND trim(a.company) <> '' AND`,
};

const pairSql = (reason: DuplicateReason) => {
  const base = PAIR_QUERIES[reason];
  const where = reason === 'name_company' ? '' : ' WHERE';
  return `${base}${where} ${BOTH_ACTIVE} AND ${AFTER_CURSOR} AND ${NOT_DISMISSED}
    ORDER BY low, high LIMIT @limit`;
};

interface PairCursor {
  afterLow: number;
  afterHigh: number;
  limit: number;
}

interface CandidateRow {
  id: number;
  name: string;
  company: string | null;
  language: string;
  tags: string;
  attributes: string;
  do_not_call: number;
  tier: DuplicateCustomer['tier'];
  lifecycle_stage: DuplicateCustomer['lifecycleStage'];
  phones: string;
  emails: string;
  interactions: number;
  created_at: string;
  erased_at: string | null;
  merged_into: number | null;
}

const COLUMN_OF_FIELD: Record<MergeField, string> = {
  name: 'name',
  company: 'company',
  language: 'language',
  tags: 'tags',
  attributes: 'attributes',
  doNotCall: 'do_not_call',
};

/**
 * Rows that follow the customer they belong to. Tables keyed by customer (one row each) are
 * handled apart in `merge`; the test walks every table with a customer_id column against this.
 */
const MOVED_TABLES = [
  'customer_phones',
  'customer_emails',
  'customer_notes',
  'interactions',
  'follow_ups',
  'customer_value_events',
  'interaction_surveys',
  'customer_lifecycle_changes',
] as const;

export function createCustomerMergeRepository(db: Db) {
  const prepareKind = (reason: DuplicateReason) =>
    db.prepare<[PairCursor], { low: number; high: number }>(pairSql(reason));
  const pairs: Record<DuplicateReason, ReturnType<typeof prepareKind>> = {
    phone: prepareKind('phone'),
    email: prepareKind('email'),
    name_company: prepareKind('name_company'),
  };

  const candidate = db.prepare<[number], CandidateRow>(
    `SELECT c.id, c.name, c.company, c.language, c.tags, c.attributes, c.do_not_call, c.tier, c.lifecycle_stage,
       c.created_at, c.erased_at, c.merged_into,
       (SELECT json_group_array(e164) FROM (SELECT e164 FROM customer_phones WHERE customer_id = c.id ORDER BY id)) AS phones,
       (SELECT json_group_array(email) FROM (SELECT email FROM customer_emails WHERE customer_id = c.id ORDER BY id)) AS emails,
       (SELECT count(*) FROM interactions WHERE customer_id = c.id) AS interactions
     FROM customers c WHERE c.id = ?`,
  );
  const moves = MOVED_TABLES.map((table) =>
    db.prepare<[number, number]>(`UPDATE ${table} SET customer_id = ? WHERE customer_id = ?`),
  );
  const statements = {
    keepOverride: db.prepare<[number, number]>(
      'UPDATE OR IGNORE tier_overrides SET customer_id = ? WHERE customer_id = ?',
    ),
    dropOverride: db.prepare<[number]>('DELETE FROM tier_overrides WHERE customer_id = ?'),
    dropValue: db.prepare<[number]>('DELETE FROM customer_values WHERE customer_id = ?'),
    dropLifecycle: db.prepare<[number]>('DELETE FROM customer_lifecycle WHERE customer_id = ?'),
    dropDismissals: db.prepare<[number, number]>(
      'DELETE FROM customer_duplicate_dismissals WHERE low_customer_id = ? OR high_customer_id = ?',
    ),
    redirectEarlier: db.prepare<[number, string, number]>(
      'UPDATE customers SET merged_into = ?, updated_at = ? WHERE merged_into = ?',
    ),
    markMerged: db.prepare<[number, string, number]>(
      'UPDATE customers SET merged_into = ?, updated_at = ? WHERE id = ?',
    ),
    dismiss: db.prepare<[number, number, number, string]>(
      `INSERT INTO customer_duplicate_dismissals (low_customer_id, high_customer_id, dismissed_by, dismissed_at)
       VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    ),
  };

  return {
    /** Up to `limit` pairs after the cursor, in (low, high) order, each with every reason it matched on. */
    pairsAfter(afterLow: number, afterHigh: number, limit: number) {
      const found = new Map<string, { low: number; high: number; reasons: DuplicateReason[] }>();
      for (const reason of Object.keys(pairs) as DuplicateReason[]) {
        for (const { low, high } of pairs[reason].all({ afterLow, afterHigh, limit })) {
          const key = `${low}-${high}`;
          const pair = found.get(key) ?? { low, high, reasons: [] };
          pair.reasons.push(reason);
          found.set(key, pair);
        }
      }
      // Each kind's first `limit` pairs hold every pair among the first `limit` of all kinds together.
      return [...found.values()].sort((x, y) => x.low - y.low || x.high - y.high).slice(0, limit);
    },

    candidate(id: number) {
      const row = candidate.get(id);
      if (!row) return null;
      const customer: DuplicateCustomer = {
        id: row.id,
        name: row.name,
        company: row.company,
        language: row.language,
        tags: JSON.parse(row.tags) as string[],
        attributes: JSON.parse(row.attributes) as Record<string, unknown>,
        doNotCall: row.do_not_call === 1,
        tier: row.tier,
        lifecycleStage: row.lifecycle_stage,
        phones: JSON.parse(row.phones) as string[],
        emails: JSON.parse(row.emails) as string[],
        interactions: row.interactions,
        createdAt: row.created_at,
      };
      return { customer, erased: row.erased_at !== null, mergedInto: row.merged_into };
    },

    dismiss(low: number, high: number, agentId: number, now: string): void {
      statements.dismiss.run(low, high, agentId, now);
    },

    /**
     * Everything of `mergedId` to `survivorId` and the chosen profile fields onto the survivor, all or
     * nothing; `after` runs inside the same transaction (the survivor's recomputations, the audit).
     */
    merge(
      survivorId: number,
      mergedId: number,
      fromMerged: readonly MergeField[],
      now: string,
      after: () => void,
    ): void {
      db.transaction(() => {
        if (fromMerged.length > 0) {
          const columns = fromMerged.map((field) => COLUMN_OF_FIELD[field]);
          db.prepare(
            `UPDATE customers SET ${columns.map((column) => `${column} = (SELECT ${column} FROM customers WHERE id = @merged)`).join(', ')}
             WHERE id = @survivor`,
          ).run({ merged: mergedId, survivor: survivorId });
        }
        for (const move of moves) move.run(survivorId, mergedId);
        statements.keepOverride.run(survivorId, mergedId);
        statements.dropOverride.run(mergedId);
        statements.dropValue.run(mergedId);
        statements.dropLifecycle.run(mergedId);
        statements.dropDismissals.run(mergedId, mergedId);
        statements.redirectEarlier.run(survivorId, now, mergedId);
        statements.markMerged.run(survivorId, now, mergedId);
        db.prepare('UPDATE customers SET updated_at = ? WHERE id = ?').run(now, survivorId);
        after();
      })();
    },
  };
}

export type CustomerMergeRepository = ReturnType<typeof createCustomerMergeRepository>;
