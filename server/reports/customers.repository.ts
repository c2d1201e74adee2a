import type { Db } from '../../db/connection.js';

/**
 * Customer-centric figures, read from the interactions themselves: rollups have no customer key.
 * A contact is a new inbound Interaction of a known customer (transfers and callbacks continue a
 * contact, they are not new ones).
 */
const CONTACTS = `
  SELECT i.id, i.customer_id, i.arrived_at, i.wrap_up_code_id, i.answered_at, i.outcome
  FROM interactions i JOIN customers c ON c.id = i.customer_id
  WHERE i.arrived_at >= @from AND i.arrived_at < @to AND i.origin IS NULL AND i.direction = 'inbound'
    AND (@queueId IS NULL OR i.queue_id = @queueId) AND (@tier IS NULL OR c.tier = @tier)`;

const LATER = (sameReason: boolean) => `EXISTS (
  SELECT 1 FROM interactions j
  WHERE j.customer_id = k.customer_id AND j.arrived_at > k.arrived_at
    AND j.arrived_at <= strftime('%Y-%m-%dT%H:%M:%fZ', k.arrived_at, '+' || @days || ' days')
    AND j.origin IS NULL AND j.direction = 'inbound'${sameReason ? ' AND j.wrap_up_code_id = k.wrap_up_code_id' : ''})`;

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
      `WITH k AS (${CONTACTS})
       SELECT count(*) AS contacts, count(DISTINCT customer_id) AS customers,
              coalesce(sum(${LATER(false)}), 0) AS repeated,
              count(wrap_up_code_id) AS coded,
              coalesce(sum(wrap_up_code_id IS NOT NULL AND NOT ${LATER(true)}), 0) AS resolved
       FROM k`,
    ),
    top: db.prepare<
      CustomerFilter & { limit: number },
      { customerId: number; name: string; tier: string; contacts: number }
    >(
      `WITH k AS (${CONTACTS})
       SELECT k.customer_id AS customerId, c.name, c.tier, count(*) AS contacts
       FROM k JOIN customers c ON c.id = k.customer_id
       GROUP BY k.customer_id HAVING count(*) > 1
       ORDER BY contacts DESC, customerId LIMIT @limit`,
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
