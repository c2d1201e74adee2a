import { describe, expect, it } from 'vitest';
import type { Db } from '../../db/connection.js';
import { makeAgent, makeCustomer } from '../testing/factories.js';
import { as, login, until, useTestContext } from '../testing/harness.js';
import { NIGHTLY_SCHEDULER_ID, VALUE_JOBS } from './customer-value.jobs.js';
import { createCustomerValueRepository } from './customer-value.repository.js';

const CUSTOMERS = 200;

/** Customer n (1…200) bought for n × 100 CNY, so customer 200 is the best. */
async function arrange(db: Db) {
  await makeAgent(db, { username: 'ana', role: 'agent' });
  await makeAgent(db, { username: 'sam', role: 'supervisor' });
  const events = createCustomerValueRepository(db);
  for (let n = 1; n <= CUSTOMERS; n++) {
    const customerId = makeCustomer(db, { name: `Customer ${n}` });
    events.insertEvent({
      customerId,
      reference: `ORD-${n}`,
      amount: n * 100,
      currency: 'CNY',
      occurredAt: '2026-10-01T00:00:00.000Z',
      createdAt: '2026-10-01T00:00:00.000Z',
      createdBy: null,
    });
  }
  makeCustomer(db, { name: 'Erased', erased: true, tier: 'gold' });
}

describe('recomputing customer value', () => {
  const ctx = useTestContext({ arrange });
  const tierCounts = () =>
    ctx.db
      .prepare(
        'SELECT tier, count(*) AS n FROM customers WHERE erased_at IS NULL GROUP BY tier ORDER BY tier',
      )
      .all();

  it('is scheduled nightly in BullMQ, once however often the app starts', async () => {
    const schedules = await ctx.app.customerValueJobs.schedules();
    expect(schedules).toEqual([
      expect.objectContaining({
        id: NIGHTLY_SCHEDULER_ID,
        name: VALUE_JOBS.recomputeAll,
        pattern: '0 2 * * *',
      }),
    ]);
  });

  const cutoffsSaved = () =>
    (ctx.db.prepare('SELECT count(*) AS n FROM customer_value_cutoffs').get() as { n: number }).n === 1;
  const platinumCount = () =>
    (ctx.db.prepare("SELECT count(*) AS n FROM customers WHERE tier = 'platinum'").get() as { n: number }).n;
  /**
   * Purchases but never a computation: the app asks for one at start, through the job queue, whose
   * worker starts once the app is ready (as `listen` makes it).
   */
  const firstComputation = async () => {
    await ctx.app.ready();
    await until(() => cutoffsSaved() && platinumCount() === 2, 'the first computation');
  };

  it('computes at start when there are purchases but no tiers yet, and again when the job is added', async () => {
    await firstComputation();
    ctx.db.exec('DELETE FROM customer_value_cutoffs');
    await ctx.app.customerValueJobs.add(VALUE_JOBS.recomputeAll, {});
    await until(cutoffsSaved, 'the recompute job');
    expect(tierCounts()).toEqual([
      { tier: 'bronze', n: 160 },
      { tier: 'gold', n: 8 },
      { tier: 'platinum', n: 2 },
      { tier: 'silver', n: 30 },
    ]);
    // The erased customer is out of the ranking and keeps their row as it was.
    expect(ctx.db.prepare("SELECT tier FROM customers WHERE name = 'Erased'").get()).toEqual({
      tier: 'gold',
    });

    const agent = as(ctx.app, await login(ctx.app, 'ana', 'test-password'));
    const best = (await agent('GET', `/api/customers/${CUSTOMERS}/value`)).json();
    expect(best).toMatchObject({
      tier: 'platinum',
      computed: {
        tier: 'platinum',
        reason: { tier: 'platinum', lifetimeValue: 20_000, currency: 'CNY', topPercent: 0.5 },
      },
    });
  });

  it('places one customer at once when their value changes, with the last cut-offs', async () => {
    await firstComputation();
    const before = tierCounts();
    const supervisor = as(ctx.app, await login(ctx.app, 'sam', 'test-password'));
    const response = await supervisor('POST', '/api/customers/1/value-events', {
      amount: 19_950,
      currency: 'CNY',
      occurredAt: '2026-11-21T00:00:00.000Z',
      reference: 'ORD-BIG',
    });
    expect(response.statusCode, response.body).toBe(201);
    // 100 + 19,950 (recent spend counts twice) passes the platinum cut-off; nobody else moves.
    expect(ctx.db.prepare('SELECT tier FROM customers WHERE id = 1').get()).toEqual({ tier: 'platinum' });
    expect(ctx.db.prepare('SELECT tier FROM customers WHERE id = 199').get()).toEqual({ tier: 'platinum' });
    expect(tierCounts()).toEqual(
      before.map((row) =>
        (row as { tier: string }).tier === 'bronze'
          ? { tier: 'bronze', n: 159 }
          : (row as { tier: string }).tier === 'platinum'
            ? { tier: 'platinum', n: 3 }
            : row,
      ),
    );
  });
});

describe('recomputing an empty database', () => {
  const ctx = useTestContext();

  it('places nobody and records no cut-offs', async () => {
    expect(await ctx.app.customerValue.recomputeAll()).toMatchObject({ customers: 0, changed: 0 });
    expect(
      ctx.db.prepare('SELECT platinum, gold, silver, customers FROM customer_value_cutoffs').get(),
    ).toEqual({
      platinum: null,
      gold: null,
      silver: null,
      customers: 0,
    });
  });
});
