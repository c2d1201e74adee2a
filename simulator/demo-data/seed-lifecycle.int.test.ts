import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../db/connection.js';
import { migrate } from '../../db/migrate.js';
import { loadValueModel } from '../../server/customer-value/index.js';
import { readLifecycleHistory } from '../../server/lifecycle/lifecycle-history.js';
import { DAY_MS, decide, summarize } from '../../server/lifecycle/lifecycle.rules.js';
import { seedDemo, SHIPPED_VALUE_MODEL } from './seed-demo.js';

describe('the demo seed and the lifecycle rules', () => {
  let db: Db;
  afterEach(() => db.close());

  it('gives every customer the stage and churn score the rules give their seeded history', async () => {
    db = openDatabase({ file: ':memory:' });
    migrate(db);
    const now = new Date('2026-12-01T09:00:00.000Z');
    await seedDemo(db, { customers: 400, days: 45, interactionsPerDay: 60, now });
    const model = loadValueModel(SHIPPED_VALUE_MODEL);
    const customers = db
      .prepare<[], { id: number; stage: string; churnScore: number | null }>(
        `SELECT c.id, c.lifecycle_stage AS stage, l.churn_score AS churnScore
         FROM customers c LEFT JOIN customer_lifecycle l ON l.customer_id = c.id
         WHERE c.erased_at IS NULL ORDER BY c.id`,
      )
      .all();
    expect(customers.length).toBeGreaterThan(300);
    const stages = new Set<string>();
    for (const customer of customers) {
      const history = readLifecycleHistory(db, model, customer.id);
      const verdict = decide(
        summarize(history, model.lifecycle, now.getTime()),
        model.lifecycle,
        now.getTime(),
        null,
      );
      expect({ id: customer.id, stage: customer.stage, churn: customer.churnScore }).toEqual({
        id: customer.id,
        stage: verdict.stage,
        churn: verdict.churnScore,
      });
      stages.add(customer.stage);
      // What the rules promise, said plainly: nobody lost bought in the last week.
      if (customer.stage === 'lost') {
        const lastWeek = history.values.filter((v) => Date.parse(v.occurredAt) >= now.getTime() - 7 * DAY_MS);
        expect(lastWeek).toEqual([]);
      }
    }
    expect(stages.size).toBeGreaterThanOrEqual(3);
  });
});
