import type { Db } from '../../db/connection.js';

/**
 * Customer-centric figures, read from the interactions themselves: rollups have no customer key.
 * A contact is a new inbound Interaction of a known customer (transfers and callbacks continue a
 * contact, they are not new ones). Every statement repeats the partial index's condition
 * (`interactions_contacts`, migration 013) so that SQLite reads the contacts from it alone.
 */
const IS_CONTACT = `i.origin IS NULL AND i.direction = 'inbound' AND i.customer_id IS NOT NULL`;

/**
 * Each contact carries the milliseconds to the same customer's next contact (any queue, also after
 * `to`) and to the next one on its wrap-up code, kept by migration 013's triggers: a repeat within
 * N days is a comparison, not a search of the later contacts.
 */
const CONTACTS = `
  SELECT i.id, i.customer_id, i.arrived_at, i.wrap_up_code_id, i.answered_at, i.outcome,
         i.next_contact_ms, i.next_same_code_ms
  FROM interactions i
  WHERE i.arrived_at >= @from AND i.arrived_at < @to AND ${IS_CONTACT}
    AND (@queueId IS NULL OR i.queue_id = @queueId)
    AND (@tier IS NULL OR (SELECT c.tier FROM customers c WHERE c.id = i.customer_id) = @tier)`;

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
              coalesce(sum(next_contact_ms <= @days * 86400000), 0) AS repeated,
              count(wrap_up_code_id) AS coded,
              coalesce(sum(wrap_up_code_id IS NOT NULL
                           AND coalesce(next_same_code_ms > @days * 86400000, TRUE)), 0) AS resolved
       FROM (${CONTACTS})`,
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
      `WITH k AS (${CONTACTS}),
       per_customer AS (
         SELECT customer_id, count(*) AS contacts, count(answered_at) AS answered,
                sum(answered_at IS NULL AND outcome = 'abandoned') AS abandoned
         FROM k GROUP BY customer_id)
       SELECT c.lifecycle_stage AS stage, sum(p.contacts) AS contacts, count(*) AS customers,
              sum(p.answered) AS answered, sum(p.abandoned) AS abandoned
       FROM per_customer p JOIN customers c ON c.id = p.customer_id
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
