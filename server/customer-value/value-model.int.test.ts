import { describe, expect, it } from 'vitest';
import type { Db } from '../../db/connection.js';
import { makeAgent, makeCustomer } from '../testing/factories.js';
import { as, login, until, useTestContext } from '../testing/harness.js';
import { NIGHTLY_SCHEDULER_ID } from './customer-value.jobs.js';
import { createCustomerValueRepository } from './customer-value.repository.js';
import { createValueModelRepository } from './value-model.repository.js';
import { createValueModelService } from './value-model.service.js';
import { loadValueModel } from './value-model.js';

const CUSTOMERS = 100;

/** Customer n (1…100) bought for n × 100 CNY. */
async function arrange(db: Db) {
  await makeAgent(db, { username: 'ana', role: 'agent' });
  await makeAgent(db, { username: 'sam', role: 'supervisor' });
  await makeAgent(db, { username: 'ada', role: 'admin', displayName: 'Ada Admin' });
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
}

/** The lifecycle section's documented defaults (server/lifecycle/README.md). */
const LIFECYCLE_DEFAULTS = {
  windowDays: 30,
  negativeCodes: [],
  negativeCount: 2,
  lowScore: 2,
  cancellationIntentCodes: [],
  cancellationCodes: [],
  valueWindowDays: 90,
  valueDropPercent: 50,
  atRiskInactiveDays: 120,
  lostInactiveDays: 365,
  newDays: 30,
  newMaxHistory: 3,
  wonBackDays: 90,
  manualHoldDays: 30,
  churnPoints: {
    negativeOutcome: 15,
    lowSatisfaction: 25,
    cancellationIntent: 40,
    valueDrop: 30,
    inactivity: 40,
  },
  evaluateCron: '30 2 * * *',
};

const EDITED = {
  currency: 'CNY',
  exchangeRates: { USD: 7.2, AUD: 4.7 },
  recentDays: 30,
  weights: { lifetimeValue: 1, recentSpend: 0, tenureYears: 0, contacts: 0 },
  tiers: { by: 'percentiles', platinum: 10, gold: 10, silver: 10 },
  recomputeCron: '30 3 * * *',
  lifecycle: { ...LIFECYCLE_DEFAULTS, lowScore: 3, negativeCodes: ['COMPLAINT'] },
};

describe('the value model API', () => {
  const ctx = useTestContext({ arrange });
  const users = async () => ({
    agent: as(ctx.app, await login(ctx.app, 'ana', 'test-password')),
    supervisor: as(ctx.app, await login(ctx.app, 'sam', 'test-password')),
    admin: as(ctx.app, await login(ctx.app, 'ada', 'test-password')),
  });
  const audits = () =>
    ctx.db
      .prepare(
        "SELECT actor_agent_id AS actor, entity_type AS entityType, details FROM audit_log WHERE action = 'value_model.update'",
      )
      .all() as { actor: number; entityType: string; details: string }[];

  it('is read by supervisors and admins, from the file until an admin edits it; agents get 403', async () => {
    const { agent, supervisor, admin } = await users();
    expect((await agent('GET', '/api/value-model')).statusCode).toBe(403);
    const read = await supervisor('GET', '/api/value-model');
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json()).toEqual({
      model: loadValueModel(ctx.config.valueModelFile),
      source: 'file',
      updatedAt: null,
      updatedByName: null,
    });
    expect((await admin('GET', '/api/value-model')).json()).toEqual(read.json());
  });

  it('is changed by admins only: supervisors and agents get 403 and nothing changes', async () => {
    const { agent, supervisor } = await users();
    for (const user of [agent, supervisor]) {
      expect((await user('PUT', '/api/value-model', EDITED)).statusCode).toBe(403);
    }
    expect(createValueModelRepository(ctx.db).raw()).toBeNull();
    expect(audits()).toEqual([]);
  });

  it.each([
    [
      'a weight that is not a number',
      { weights: { recentSpend: 'two' } },
      /weights\/recentSpend must be number/,
    ],
    ['a negative share', { tiers: { platinum: -1 } }, /tiers\/platinum must be >= 0/],
    ['too few recent days', { recentDays: 0 }, /recentDays must be >= 1/],
    [
      'shares above 100 %',
      { tiers: { platinum: 50, gold: 40, silver: 20 } },
      /^tiers shares .* more than 100/,
    ],
    [
      'rising thresholds',
      { tiers: { by: 'thresholds', platinum: 10, gold: 20, silver: 5 } },
      /^tiers\.gold must not be above/,
    ],
    ['an unknown currency', { currency: 'XXX' }, /^currency must be one of/],
    ['a rate for an unknown currency', { exchangeRates: { ABC: 2 } }, /^exchangeRates\.ABC is not a known/],
    ['an unknown method', { tiers: { by: 'magic' } }, /^tiers\.by must be one of/],
  ])('refuses %s with 400 naming the field', async (_name, body, message) => {
    const { admin } = await users();
    const response = await admin('PUT', '/api/value-model', {
      ...EDITED,
      ...body,
      tiers: { ...EDITED.tiers, ...(body as { tiers?: object }).tiers },
      weights: { ...EDITED.weights, ...(body as { weights?: object }).weights },
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().message.replace(/^Invalid body: /, '')).toMatch(message);
    expect(createValueModelRepository(ctx.db).raw()).toBeNull();
  });

  it('saves an admin’s edit, audited, in force at once, for the nightly run, and after a restart', async () => {
    const { admin, supervisor } = await users();
    // AUD has no rate in the file: a purchase in it is refused until the edit.
    const purchase = (reference: string) =>
      supervisor('POST', '/api/customers/5/value-events', {
        amount: 10,
        currency: 'AUD',
        occurredAt: '2026-11-20T00:00:00.000Z',
        reference,
      });
    expect((await purchase('AUD-1')).statusCode).toBe(400);

    const saved = await admin('PUT', '/api/value-model', EDITED);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toEqual({
      model: EDITED,
      source: 'console',
      updatedAt: ctx.clock.now().toISOString(),
      updatedByName: 'Ada Admin',
    });
    expect((await supervisor('GET', '/api/value-model')).json()).toEqual(saved.json());

    const [audit] = audits();
    expect(audit).toMatchObject({ actor: 3, entityType: 'value_model' });
    expect(JSON.parse(audit!.details)).toMatchObject({
      changes: {
        'exchangeRates.AUD': { from: null, to: 4.7 },
        'exchangeRates.EUR': { from: 7.8, to: null },
        'weights.recentSpend': { from: 2, to: 0 },
        'tiers.platinum': { from: 1, to: 10 },
        recomputeCron: { from: '0 2 * * *', to: '30 3 * * *' },
      },
    });

    // At once: the new rates are accepted, and a recomputation with the new shares has started.
    expect((await purchase('AUD-2')).statusCode).toBe(201);
    await ctx.app.ready();
    const tierCounts = () =>
      ctx.db.prepare('SELECT tier, count(*) AS n FROM customers GROUP BY tier ORDER BY tier').all();
    await until(
      () =>
        JSON.stringify(tierCounts()) ===
        JSON.stringify([
          { tier: 'bronze', n: 70 },
          { tier: 'gold', n: 10 },
          { tier: 'platinum', n: 10 },
          { tier: 'silver', n: 10 },
        ]),
      'the recomputation with the new model',
      30_000,
    );
    // The nightly run follows the new schedule and reads the model in force when it runs.
    expect(await ctx.app.customerValueJobs.schedules()).toEqual([
      expect.objectContaining({ id: NIGHTLY_SCHEDULER_ID, pattern: '30 3 * * *' }),
    ]);
    // Saved in the database: another process (or this one restarted) finds it there.
    const elsewhere = createValueModelService({
      repository: createValueModelRepository(ctx.db),
      audit: { record: () => undefined },
      clock: ctx.clock,
      fileModel: loadValueModel(ctx.config.valueModelFile),
      changed: async () => undefined,
    });
    expect(elsewhere.current()).toEqual(EDITED);
    expect(elsewhere.view().source).toBe('console');
  });

  it('fills the fields an edit leaves out with their defaults', async () => {
    const { admin } = await users();
    const saved = await admin('PUT', '/api/value-model', { recentDays: 60 });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().model).toEqual({
      currency: 'CNY',
      exchangeRates: {},
      recentDays: 60,
      weights: { lifetimeValue: 1, recentSpend: 2, tenureYears: 500, contacts: 0 },
      tiers: { by: 'percentiles', platinum: 1, gold: 4, silver: 15 },
      recomputeCron: '0 2 * * *',
      lifecycle: LIFECYCLE_DEFAULTS,
    });
  });
});
