import type { Db } from '../../db/connection.js';

/**
 * Customer-centric figures, read from the interactions themselves: rollups have no customer key.
 * A contact is a new inbound Interaction of a known customer (transfers and callbacks continue a
 * contact, they are not new ones). Every statement repeats the partial index's condition
 * (`interactions_contacts`, migration 009) so that SQLite reads the contacts from it alone.
 */
const IS_CONTACT = `i.origin IS NULL AND i.direction = 'inbound' AND i.customer_id IS NOT NULL`;

const CONTACTS = `
  SELECT i.id, i.customer_id, i.arrived_at, i.wrap_up_code_id, i.answered_at, i.outcome
  FROM interactions i
  WHERE i.arrived_at >= @from AND i.arrived_at < @to AND ${IS_CONTACT}
    AND (@queueId IS NULL OR i.queue_id = @queueId)
    AND (@tier IS NULL OR (SELECT c.tier FROM customers c WHERE c.id = i.customer_id) = @tier)`;

/**
 * Each contact in the range with the number of the same customer's contacts (any queue, also after
 * `to`) strictly later and at most `days` after it, and of those on the same wrap-up code: one sort
 * of the contacts instead of a lookup per contact. Times are whole milliseconds, so "1 FOLLOWING"
 * is "strictly later".
 */
const FOLLOWED = `
  WITH candidates AS (
    SELECT i.customer_id, i.arrived_at, i.queue_id, i.wrap_up_code_id,
           CAST(round(unixepoch(i.arrived_at, 'subsec') * 1000) AS INTEGER) AS at_ms
    FROM interactions i
    WHERE i.arrived_at >= @from AND i.arrived_at < strftime('%Y-%m-%dT%H:%M:%fZ', @to, '+' || @days || ' days')
      AND ${IS_CONTACT}),
  followed AS (
    SELECT customer_id, arrived_at, queue_id, wrap_up_code_id,
           count(*) OVER later AS later, count(*) OVER later_same_code AS later_same_code
    FROM candidates
    WINDOW later AS (PARTITION BY customer_id ORDER BY at_ms
                     RANGE BETWEEN 1 FOLLOWING AND @days * 86400000 FOLLOWING),
           later_same_code AS (PARTITION BY customer_id, wrap_up_code_id ORDER BY at_ms
                               RANGE BETWEEN 1 FOLLOWING AND @days * 86400000 FOLLOWING))
  SELECT * FROM followed f
  WHERE f.arrived_at < @to AND (@queueId IS NULL OR f.queue_id = @queueId)
    AND (@tier IS NULL OR (SELECT c.tier FROM customers c WHERE c.id = f.customer_id) = @tier)`;

export interface CustomerFilter {
  from: string;
  to: string;
  queueId: number | null;
  tier: string | null;
  days: number;
}

export function createCustomerReportsRepository(db: Db) {
  const statements = {
    totals: db.prepare<
      CustomerFilter,
      { contacts: number; customers: number; repeated: number; coded: number; resolved: number }
    >(
      `SELECT count(*) AS contacts, count(DISTINCT customer_id) AS customers,
              coalesce(sum(later > 0), 0) AS repeated,
              count(wrap_up_code_id) AS coded,
              coalesce(sum(wrap_up_code_id IS NOT NULL AND later_same_code = 0), 0) AS resolved
       FROM (${FOLLOWED})`,
    ),
    top: db.prepare<
      CustomerFilter & { limit: number },
      { customerId: number; name: string; tier: string; contacts: number }
    >(
      `WITH k AS (${CONTACTS}),
       repeaters AS (
         SELECT customer_id, count(*) AS contacts FROM k GROUP BY customer_id HAVING count(*) > 1
         ORDER BY contacts DESC, customer_id LIMIT @limit)
       SELECT r.customer_id AS customerId, c.name, c.tier, r.contacts
       FROM repeaters r JOIN customers c ON c.id = r.customer_id
       ORDER BY r.contacts DESC, r.customer_id`,
    ),
    byStage: db.prepare<
      CustomerFilter,
      { stage: string; contacts: number; customers: number; answered: number; abandoned: number }
    >(
      `WITH k AS (${CONTACTS})
       SELECT c.lifecycle_stage AS stage, count(*) AS contacts, count(DISTINCT k.customer_id) AS customers,
              count(k.answered_at) AS answered, sum(k.answered_at IS NULL AND k.outcome = 'abandoned') AS abandoned
       FROM k JOIN customers c ON c.id = k.customer_id
       GROUP BY c.lifecycle_stage ORDER BY c.lifecycle_stage`,
    ),
  };
  return {
    totals: (filter: CustomerFilter) => statements.totals.get(filter)!,
    topRepeatCallers: (filter: CustomerFilter, limit: number) => statements.top.all({ ...filter, limit }),
    byLifecycleStage: (filter: CustomerFilter) => statements.byStage.all(filter),
  };
}

export type CustomerReportsRepository = ReturnType<typeof createCustomerReportsRepository>;
