import type { Db } from '../../db/connection.js';
import type { LifecycleModelInput } from './lifecycle.evaluate.js';
import type { LifecycleHistory } from './lifecycle.rules.js';

/**
 * One customer's raw history, row by row, for checking the nightly pass's set-based facts against
 * the rules' own `summarize` (tests, the demo seed's check). Not on any request path: it reads every
 * row of the customer.
 */
export function readLifecycleHistory(
  db: Db,
  model: Pick<LifecycleModelInput, 'currency' | 'exchangeRates'>,
  customerId: number,
): LifecycleHistory {
  const customer = db
    .prepare<[number], { createdAt: string }>('SELECT created_at AS createdAt FROM customers WHERE id = ?')
    .get(customerId);
  if (!customer) throw new Error(`Customer ${customerId} does not exist`);
  const rates = new Map<string, number>([[model.currency, 1], ...Object.entries(model.exchangeRates)]);
  return {
    createdAt: customer.createdAt,
    contacts: db
      .prepare<[number], { arrivedAt: string; wrapUpCode: string | null }>(
        `SELECT i.arrived_at AS arrivedAt, k.code AS wrapUpCode
         FROM interactions i LEFT JOIN wrap_up_codes k ON k.id = i.wrap_up_code_id WHERE i.customer_id = ?`,
      )
      .all(customerId),
    surveys: db
      .prepare<[number], { endedAt: string | null; score: number | null }>(
        'SELECT ended_at AS endedAt, score FROM interaction_surveys WHERE customer_id = ?',
      )
      .all(customerId),
    values: db
      .prepare<[number], { occurredAt: string; amount: number; currency: string }>(
        'SELECT occurred_at AS occurredAt, amount, currency FROM customer_value_events WHERE customer_id = ?',
      )
      .all(customerId)
      .map((event) => {
        const rate = rates.get(event.currency);
        return { occurredAt: event.occurredAt, amount: rate === undefined ? null : event.amount * rate };
      }),
  };
}
