import type { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../db/connection.js';
import { makeAgent, makeCustomer } from '../testing/factories.js';
import { as, login, until, useTestContext } from '../testing/harness.js';
import { createCustomerValueRepository } from './customer-value.repository.js';
import { createRecomputeRepository } from './recompute.repository.js';
import { createRecomputeRunner, spawnRecomputeWorker } from './recompute-runner.js';
import { placeCustomers, scoreOf } from './tiering.js';
import { valuePass } from './value-pass.js';
import { reasonOf } from './value-reason.js';
import { parseValueModel, type ValueModel } from './value-model.js';

const NOW = Date.parse('2026-11-22T10:00:00.000Z');
const DAY_S = 86_400;
const iso = (seconds: string) => `strftime('%Y-%m-%dT%H:%M:%fZ', ${seconds}, 'unixepoch')`;

/**
 * `customers` customers created over five years, `events` purchases spread over them and three
 * years in four currencies (one without a rate: left out), interactions in the last 120 days, one
 * erased customer and one with an override. Written straight in SQL: the factories are per row.
 */
function seed(db: Db, customers: number, events: number) {
  const now = NOW / 1000;
  const first = (db.prepare<[], number>('SELECT coalesce(max(id), 0) FROM customers').pluck().get() ?? 0) + 1;
  const hash = (i: string, salt: number) =>
    `(((${i}) * ${2654435761 + salt * 40503} + ${salt}) % 2147483647)`;
  db.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${customers})
    INSERT INTO customers (name, created_at, updated_at)
    SELECT 'Customer ' || i, ${iso(`${now} - ${hash('i', 1)} % (5 * 365 * ${DAY_S})`)}, ${iso(`${now}`)} FROM n`);
  // A fifth of the customers bought nothing: a crowd tied at their tenure's score, or at zero.
  db.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${events}),
      t(i, h, at) AS (SELECT i, ${hash('i', 13)}, ${now} - ${hash('i', 11)} % (3 * 365 * ${DAY_S}) FROM n)
    INSERT INTO customer_value_events (customer_id, reference, amount, currency, occurred_at, created_at)
    SELECT ${first} + ${hash('i', 5)} % ${Math.floor(customers * 0.8)}, 'T' || i, (h % 100000) / 100.0,
           CASE WHEN h % 10 < 7 THEN 'CNY' WHEN h % 10 < 8 THEN 'USD' WHEN h % 10 < 9 THEN 'EUR' ELSE 'BRL' END,
           ${iso('at')}, ${iso('at')}
    FROM t`);
  db.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${customers})
    INSERT INTO interactions (direction, provider, customer_id, state, arrived_at)
    SELECT 'inbound', 'twilio', ${first} + ${hash('i', 3)} % ${customers}, 'completed',
           ${iso(`${now} - ${hash('i', 7)} % (120 * ${DAY_S})`)}
    FROM n`);
}

async function arrange(db: Db) {
  await makeAgent(db, { username: 'ada', role: 'admin' });
  makeCustomer(db, { name: 'Erased', erased: true, tier: 'gold' });
  seed(db, 400, 4000);
  db.prepare(
    `INSERT INTO tier_overrides (customer_id, tier, reason, expires_at, set_at)
     VALUES (2, 'platinum', 'Key account', '2027-01-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z')`,
  ).run();
}

/** Each customer's value as the recomputation before the worker computed it (one SQL query, placeCustomers). */
function reference(db: Db, model: ValueModel, now: Date) {
  const rates: [string, number][] = [[model.currency, 1], ...Object.entries(model.exchangeRates)];
  const facts = createCustomerValueRepository(db).facts(rates, now, model.recentDays);
  const byId = new Map(facts.map((row) => [row.customerId, row]));
  const { placements, ranking } = placeCustomers(
    facts.map((row) => ({ customerId: row.customerId, score: scoreOf(row, model.weights) })),
    model.tiers,
  );
  const values = new Map(
    placements.map((p) => [
      p.customerId,
      { score: p.score, tier: p.tier, reason: reasonOf(byId.get(p.customerId)!, p, model) },
    ]),
  );
  return { values, ranking };
}

interface ValueRow {
  customerId: number;
  score: number;
  tier: string;
  reason: string;
  inForce: string;
}
const storedValues = (db: Db) =>
  db
    .prepare<[], ValueRow>(
      `SELECT v.customer_id AS customerId, v.score, v.tier, v.reason, c.tier AS inForce
       FROM customer_values v JOIN customers c ON c.id = v.customer_id ORDER BY v.customer_id`,
    )
    .all();
const storedRanking = (db: Db) => createCustomerValueRepository(db).ranking();

function expectSameAsReference(db: Db, expected: ReturnType<typeof reference>) {
  const rows = storedValues(db);
  expect(rows).toHaveLength(expected.values.size);
  for (const row of rows) {
    const want = expected.values.get(row.customerId)!;
    // Sums are added in another order (a scan, not SQLite's sum per customer): equal to the last bits.
    expect(row.score).toBeCloseTo(want.score, 6);
    expect({ id: row.customerId, tier: row.tier, reason: JSON.parse(row.reason) as unknown }).toEqual({
      id: row.customerId,
      tier: want.tier,
      reason: want.reason,
    });
    expect(row.inForce).toBe(row.customerId === 2 ? 'platinum' : want.tier);
  }
  const ranking = storedRanking(db);
  expect(ranking.customers).toBe(expected.ranking.customers);
  expect(ranking.samples).toHaveLength(expected.ranking.samples.length);
  ranking.samples.forEach((score, i) => expect(score).toBeCloseTo(expected.ranking.samples[i]!, 6));
  for (const tier of ['platinum', 'gold', 'silver'] as const)
    expect(ranking.cutoffs[tier]).toBeCloseTo(expected.ranking.cutoffs[tier]!, 6);
}

describe('the full recomputation on a worker thread', () => {
  const ctx = useTestContext({ arrange });

  it('gives the same values, reasons, tiers and cut-offs as the single-query computation', async () => {
    const admin = as(ctx.app, await login(ctx.app, 'ada', 'test-password'));
    const response = await admin('POST', '/api/customer-value/recompute');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      customers: 400,
      passes: [
        { name: 'value', customers: 400 },
        { name: 'lifecycle', customers: 400 },
      ],
    });
    expect(response.json().rssMb).toBeGreaterThan(0);
    const model = ctx.app.valueModel.current();
    expectSameAsReference(ctx.db, reference(ctx.db, model, ctx.clock.now()));
    // The erased customer keeps the tier they had and has no value.
    expect(ctx.db.prepare("SELECT tier FROM customers WHERE name = 'Erased'").get()).toEqual({
      tier: 'gold',
    });
    expect(createRecomputeRepository(ctx.db).interrupted()).toBe(false);
  });

  it.each([
    [
      'thresholds, contacts costing points',
      { tiers: { by: 'thresholds', platinum: 9000, gold: 4000, silver: 1500 }, weights: { contacts: -40 } },
    ],
    [
      'percentiles covering everyone',
      { tiers: { by: 'percentiles', platinum: 10, gold: 40, silver: 50 }, recentDays: 30 },
    ],
  ])('agrees with it under another model: %s', (_name, raw) => {
    const model = parseValueModel({ ...raw, exchangeRates: { USD: 7.1, EUR: 7.8 } }, 'test');
    const now = ctx.clock.now();
    valuePass(createRecomputeRepository(ctx.db), model, now, { batchSize: 37, pauseMs: 0 });
    expectSameAsReference(ctx.db, reference(ctx.db, model, now));
  });
});

/** A customer in the worker's last batch, most likely written after the value recorded during the run. */
const LAST = 29_990;

describe('the recomputation beside the server’s own writes', () => {
  const ctx = useTestContext({
    arrange: async (db) => {
      await makeAgent(db, { username: 'sam', role: 'supervisor' });
      seed(db, 30_000, 150_000);
    },
  });

  it(
    'lets the main connection write while it runs, and keeps a value recorded meanwhile',
    { timeout: 120_000 },
    async () => {
      const supervisor = as(ctx.app, await login(ctx.app, 'sam', 'test-password'));
      const db = ctx.app.db;
      const audit = db.prepare(
        "INSERT INTO audit_log (at, action, entity_type, details) VALUES (?, 'test.write', 'customer', '{}')",
      );
      // A first run leaves the cut-offs a value recorded between runs is placed with.
      await ctx.app.customerValue.recomputeAll();
      ctx.clock.advance(1000);
      const run = ctx.app.customerValue.recomputeAll();
      let finished = false;
      void run.finally(() => (finished = true));
      // Wait for its first batch: writes from now on meet its write transactions.
      await until(() => createRecomputeRepository(ctx.db).interrupted(), 'the first batch', 60_000);
      // Writes from the main connection for as long as the run lasts, beside the purchase below.
      const waits: number[] = [];
      const writer = (async () => {
        while (!finished) {
          const started = performance.now();
          audit.run(new Date().toISOString());
          waits.push(performance.now() - started);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      })();
      // Real time moves on between the run's start and the purchase; the manual clock is told to.
      ctx.clock.advance(1000);
      const recorded = await supervisor('POST', `/api/customers/${LAST}/value-events`, {
        amount: 5_000_000,
        currency: 'CNY',
        occurredAt: '2026-11-22T09:00:00.000Z',
        reference: 'DURING-RUN',
      });
      expect(recorded.statusCode, recorded.body).toBe(201);
      await writer;
      const result = await run;
      expect(result.customers).toBe(30_000);
      expect(waits.length).toBeGreaterThan(1);
      // Each write waited at most about one batch of the worker (10,000 customers), never the run.
      expect(Math.max(...waits)).toBeLessThan(Math.min(2000, result.durationMs / 2));
      // The event recorded during the run counts: the run did not write its older view over it.
      expect(ctx.db.prepare('SELECT tier FROM customers WHERE id = ?').get(LAST)).toEqual({
        tier: 'platinum',
      });
      expect(createCustomerValueRepository(ctx.db).value(LAST)!.score).toBeGreaterThan(5_000_000);
    },
  );

  it(
    'stopped mid-run leaves each customer consistent and the last cut-offs, and the next run redoes it',
    { timeout: 120_000 },
    async () => {
      await ctx.app.customerValue.recomputeAll();
      const before = storedRanking(ctx.db);
      let worker: Worker | undefined;
      const runner = createRecomputeRunner({
        file: ctx.config.databaseFile,
        log: ctx.app.log,
        spawn: (file, job) => (worker = spawnRecomputeWorker(file, job)),
      });
      // Another model, so that the killed run writes other tiers than the last one.
      const model = parseValueModel(
        { tiers: { by: 'percentiles', platinum: 20, gold: 20, silver: 20 } },
        'test',
      );
      ctx.clock.advance(60_000);
      const computedAt = ctx.clock.now().toISOString();
      const run = runner.run({ nowMs: ctx.clock.now().getTime(), model }, () => undefined);
      const written = ctx.db.prepare<[string], number>(
        'SELECT count(*) FROM customer_values WHERE computed_at = ?',
      );
      await until(() => written.pluck().get(computedAt)! > 0, 'a first batch', 60_000);
      await worker!.terminate();
      await expect(run).rejects.toThrow(/stopped/);
      const partly = written.pluck().get(computedAt)!;
      expect(partly).toBeGreaterThan(0);
      expect(partly).toBeLessThan(30_000);
      expect(partly % 10_000).toBe(0);
      // Each customer's tier in force is the tier stored beside their value, whichever run wrote it.
      expect(storedValues(ctx.db).filter((row) => row.tier !== row.inForce)).toEqual([]);
      expect(storedRanking(ctx.db)).toEqual(before);
      expect(createRecomputeRepository(ctx.db).interrupted()).toBe(true);

      const again = await runner.run({ nowMs: ctx.clock.now().getTime(), model }, () => undefined);
      expect(again.passes[0]).toMatchObject({ name: 'value', customers: 30_000 });
      expect(written.pluck().get(computedAt)).toBe(30_000);
      expect(createRecomputeRepository(ctx.db).interrupted()).toBe(false);
      expectSameAsReferenceWithoutOverrides(ctx.db, reference(ctx.db, model, ctx.clock.now()));
      await runner.close();
    },
  );
});

function expectSameAsReferenceWithoutOverrides(db: Db, expected: ReturnType<typeof reference>) {
  const rows = storedValues(db);
  expect(rows.filter((row) => row.tier !== expected.values.get(row.customerId)?.tier)).toEqual([]);
  expect(rows.filter((row) => row.inForce !== row.tier)).toEqual([]);
}
