import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeAgent, makeCustomer } from '../testing/factories.js';
import { as, createTestContext, login, type TestContext } from '../testing/harness.js';

const EVENT = {
  amount: 480.5,
  currency: 'CNY',
  occurredAt: '2026-11-20T09:30:00.000Z',
  reference: 'ORD-1001',
};
const DAY_MS = 86_400_000;

describe('customer value API', () => {
  let ctx: TestContext;
  let agent: ReturnType<typeof as>;
  let supervisor: ReturnType<typeof as>;
  let olivia: number;
  let wang: number;

  beforeEach(async () => {
    ctx = await createTestContext({
      arrange: async (db) => {
        await makeAgent(db, { username: 'ana', role: 'agent' });
        await makeAgent(db, { username: 'sam', role: 'supervisor', displayName: 'Sam Super' });
        olivia = makeCustomer(db, { name: 'Olivia Carter', tier: 'gold' });
        wang = makeCustomer(db, { name: '王芳' });
      },
    });
    agent = as(ctx.app, await login(ctx.app, 'ana', 'test-password'));
    supervisor = as(ctx.app, await login(ctx.app, 'sam', 'test-password'));
  });
  afterEach(() => ctx.close());

  const snapshot = () =>
    JSON.stringify([
      ctx.db.prepare('SELECT * FROM customers ORDER BY id').all(),
      ctx.db.prepare('SELECT * FROM customer_value_events ORDER BY id').all(),
      ctx.db.prepare('SELECT * FROM tier_overrides ORDER BY customer_id').all(),
      ctx.db.prepare('SELECT count(*) FROM audit_log').get(),
    ]);
  const tierOf = (id: number) =>
    (ctx.db.prepare('SELECT tier FROM customers WHERE id = ?').get(id) as { tier: string }).tier;

  describe('value events', () => {
    it('stores an event once per reference: the same again is 200 with it, different content 409', async () => {
      const first = await supervisor('POST', `/api/customers/${olivia}/value-events`, EVENT);
      expect(first.statusCode, first.body).toBe(201);
      expect(first.json()).toMatchObject({ ...EVENT, customerId: olivia });
      const again = await supervisor('POST', `/api/customers/${olivia}/value-events`, EVENT);
      expect(again.statusCode).toBe(200);
      expect(again.json().id).toBe(first.json().id);
      const before = snapshot();
      const changed = await supervisor('POST', `/api/customers/${olivia}/value-events`, {
        ...EVENT,
        amount: 1,
      });
      expect(changed.statusCode).toBe(409);
      expect(changed.json().message).toMatch(/reference ORD-1001/);
      const elsewhere = await supervisor('POST', `/api/customers/${wang}/value-events`, EVENT);
      expect(elsewhere.statusCode).toBe(409);
      expect(snapshot()).toBe(before);
      const list = await agent('GET', `/api/customers/${olivia}/value-events`);
      expect(list.statusCode).toBe(200);
      expect(list.json()).toMatchObject({ total: 1, items: [{ reference: 'ORD-1001' }] });
    });

    it.each([
      ['a negative amount', { amount: -5 }, /amount must be >= 0/],
      ['a non-numeric amount', { amount: '12.50' }, /amount must be number/],
      ['an unknown currency', { currency: 'XYZ' }, /currency XYZ is not accepted/],
      ['a lowercase currency', { currency: 'usd' }, /currency must match/],
      ['a date that is not one', { occurredAt: '2026-13-45' }, /occurredAt must match format/],
      [
        'a date in the future',
        { occurredAt: '2027-01-01T00:00:00.000Z' },
        /occurredAt must not be in the future/,
      ],
      ['no reference', { reference: '' }, /reference/],
    ])('refuses %s with 400 naming the field and changes nothing', async (_label, change, message) => {
      const before = snapshot();
      const response = await supervisor('POST', `/api/customers/${olivia}/value-events`, {
        ...EVENT,
        ...change,
      });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().message).toMatch(message);
      expect(snapshot()).toBe(before);
    });

    it('lets agents read value but not record it', async () => {
      const before = snapshot();
      expect((await agent('POST', `/api/customers/${olivia}/value-events`, EVENT)).statusCode).toBe(403);
      expect((await agent('POST', '/api/customer-value-events/bulk', { events: [] })).statusCode).toBe(403);
      expect((await agent('GET', `/api/customers/${olivia}/value`)).statusCode).toBe(200);
      expect(snapshot()).toBe(before);
    });

    it('imports in bulk all or nothing, naming the bad item', async () => {
      const events = [
        { ...EVENT, customerId: olivia },
        { ...EVENT, customerId: wang, reference: 'ORD-2', currency: 'USD' },
        { ...EVENT, customerId: wang, reference: 'ORD-3', currency: 'BTC' },
      ];
      const before = snapshot();
      const bad = await supervisor('POST', '/api/customer-value-events/bulk', { events });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().message).toMatch(/events\[2\]\.currency BTC/);
      expect(snapshot()).toBe(before);
      const unknown = await supervisor('POST', '/api/customer-value-events/bulk', {
        events: [{ ...EVENT, customerId: 999 }],
      });
      expect(unknown.json().message).toMatch(/events\[0\]\.customerId 999/);
      const tooMany = await supervisor('POST', '/api/customer-value-events/bulk', {
        events: Array.from({ length: 1001 }, (_, i) => ({
          ...EVENT,
          customerId: olivia,
          reference: `R${i}`,
        })),
      });
      expect(tooMany.statusCode).toBe(400);
      expect(snapshot()).toBe(before);

      const good = await supervisor('POST', '/api/customer-value-events/bulk', {
        events: events.slice(0, 2),
      });
      expect(good.statusCode, good.body).toBe(200);
      expect(good.json()).toEqual({ created: 2, unchanged: 0 });
      const again = await supervisor('POST', '/api/customer-value-events/bulk', {
        events: events.slice(0, 2),
      });
      expect(again.json()).toEqual({ created: 0, unchanged: 2 });
      const value = (await agent('GET', `/api/customers/${wang}/value`)).json();
      // 480.5 USD at the shipped rate of 7.1 CNY.
      expect(value.computed.reason).toMatchObject({ currency: 'CNY', lifetimeValue: 3411.55 });
    });
  });

  describe('tier overrides', () => {
    const override = {
      tier: 'platinum',
      reason: 'Key account in renewal talks',
      expiresAt: '2026-11-29T00:00:00.000Z',
    };

    it('are for supervisors only; an agent gets 403 and nothing changes', async () => {
      const before = snapshot();
      const response = await agent('PUT', `/api/customers/${olivia}/tier-override`, override);
      expect(response.statusCode).toBe(403);
      expect(snapshot()).toBe(before);
    });

    it.each([
      ['in the past', { expiresAt: '2026-11-01T00:00:00.000Z' }, /expiresAt must be in the future/],
      ['too far ahead', { expiresAt: '2028-01-01T00:00:00.000Z' }, /at most 366 days/],
      ['without a reason', { reason: '' }, /reason/],
      ['of an unknown tier', { tier: 'diamond' }, /tier/],
    ])('refuses an override %s', async (_label, change, message) => {
      const before = snapshot();
      const response = await supervisor('PUT', `/api/customers/${olivia}/tier-override`, {
        ...override,
        ...change,
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().message).toMatch(message);
      expect(snapshot()).toBe(before);
    });

    it('sets the tier in force until the expiry, audited, then the computed tier returns', async () => {
      await ctx.app.customerValue.recomputeAll();
      expect(tierOf(olivia)).toBe('bronze');
      const set = await supervisor('PUT', `/api/customers/${olivia}/tier-override`, override);
      expect(set.statusCode, set.body).toBe(200);
      expect(set.json()).toMatchObject({
        tier: 'platinum',
        computed: { tier: 'bronze' },
        override: {
          tier: 'platinum',
          reason: override.reason,
          expiresAt: override.expiresAt,
          setByName: 'Sam Super',
        },
      });
      expect(tierOf(olivia)).toBe('platinum');
      expect(
        ctx.db
          .prepare(
            "SELECT actor_agent_id AS actor, details FROM audit_log WHERE action = 'customer.tier_override'",
          )
          .get(),
      ).toEqual({
        actor: 2,
        details: JSON.stringify({ tier: 'platinum', reason: override.reason, expiresAt: override.expiresAt }),
      });
      // The nightly run keeps an active override in force.
      await ctx.app.customerValue.recomputeAll();
      expect(tierOf(olivia)).toBe('platinum');

      ctx.clock.advance(7 * DAY_MS);
      agent = as(ctx.app, await login(ctx.app, 'ana', 'test-password'));
      const read = (await agent('GET', `/api/customers/${olivia}/value`)).json();
      expect(read).toMatchObject({ tier: 'bronze', override: null });
      ctx.app.customerValue.expireOverrides();
      expect(tierOf(olivia)).toBe('bronze');
      expect(ctx.db.prepare('SELECT count(*) AS n FROM tier_overrides').get()).toEqual({ n: 0 });
      expect(
        ctx.db
          .prepare(
            "SELECT actor_agent_id AS actor FROM audit_log WHERE action = 'customer.tier_override_expired'",
          )
          .get(),
      ).toEqual({ actor: null });
    });

    it('schedules the expiry as a delayed job', async () => {
      await supervisor('PUT', `/api/customers/${olivia}/tier-override`, override);
      const pending = await ctx.app.customerValueJobs.pending();
      expect(pending.map((job) => job.name)).toContain('customer-value.expire-overrides');
    });

    it('ends an override on request, audited', async () => {
      await supervisor('PUT', `/api/customers/${olivia}/tier-override`, override);
      const cleared = await supervisor('DELETE', `/api/customers/${olivia}/tier-override`);
      expect(cleared.statusCode).toBe(200);
      expect(cleared.json().override).toBeNull();
      expect(tierOf(olivia)).toBe('bronze');
      expect(
        ctx.db
          .prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'customer.tier_override_cleared'")
          .get(),
      ).toEqual({ n: 1 });
    });
  });
});

describe('the value model file', () => {
  it('stops the start with a message naming the bad field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cti-value-model-'));
    const file = join(dir, 'value-model.json');
    writeFileSync(file, JSON.stringify({ weights: { recentSpend: 'high' } }));
    await expect(createTestContext({ env: { VALUE_MODEL_FILE: file } })).rejects.toThrow(
      /Invalid value model .*value-model\.json: weights\.recentSpend must be number/,
    );
  });
});
