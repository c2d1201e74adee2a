import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { agentIdOf, makeAgent, makeCustomer, makeFollowUp, makeInteraction } from '../testing/factories.js';
import { as, createTestContext, login, type TestContext } from '../testing/harness.js';

interface Pair {
  customers: { id: number; name: string }[];
  reasons: string[];
}

describe('duplicate customers and merge', () => {
  let ctx: TestContext;
  let agent: ReturnType<typeof as>;
  let supervisor: ReturnType<typeof as>;
  let ids: Record<
    'olivia' | 'oliviaAgain' | 'legacyPhone' | 'phone' | 'legacyEmail' | 'email' | 'erased' | 'unrelated',
    number
  >;

  beforeEach(async () => {
    ctx = await createTestContext({
      arrange: async (db) => {
        await makeAgent(db, { username: 'ana', role: 'agent' });
        await makeAgent(db, { username: 'sam', role: 'supervisor' });
        ids = {} as typeof ids;
        ids.olivia = makeCustomer(db, {
          name: 'Olivia Carter',
          company: 'Northwind Traders',
          phones: ['+14155550123'],
          emails: ['olivia@northwind.example'],
        });
        ids.oliviaAgain = makeCustomer(db, { name: '  olivia CARTER ', company: 'NORTHWIND TRADERS' });
        // Written around the normalisation, as an import or older data may have it.
        ids.legacyPhone = makeCustomer(db, { name: 'Lee Wong', phones: ['+1 (415) 555-0199'] });
        ids.phone = makeCustomer(db, { name: 'L. Wong', phones: ['+14155550199'] });
        ids.legacyEmail = makeCustomer(db, { name: 'Mia Chen', emails: [' Mia@Example.com'] });
        ids.email = makeCustomer(db, { name: 'Mia C.', emails: ['mia@example.com'] });
        ids.erased = makeCustomer(db, { name: 'Olivia Carter', company: 'Northwind Traders', erased: true });
        ids.unrelated = makeCustomer(db, { name: 'Olivia Carter', phones: ['+12125550100'] });
      },
    });
    agent = as(ctx.app, await login(ctx.app, 'ana', 'test-password'));
    supervisor = as(ctx.app, await login(ctx.app, 'sam', 'test-password'));
  });
  afterEach(() => ctx.close());

  const listAll = async () => {
    const pairs: Pair[] = [];
    let after: string | null = null;
    do {
      const response = await supervisor(
        'GET',
        `/api/customers/duplicates?limit=1${after ? `&after=${after}` : ''}`,
      );
      expect(response.statusCode, response.body).toBe(200);
      const page = response.json<{ items: Pair[]; next: string | null }>();
      pairs.push(...page.items);
      after = page.next;
    } while (after !== null);
    return pairs.map((pair) => ({ ids: pair.customers.map((c) => c.id), reasons: pair.reasons }));
  };

  const snapshot = () =>
    JSON.stringify(
      ['customers', 'customer_phones', 'customer_emails', 'customer_duplicate_dismissals', 'audit_log'].map(
        (table) => ctx.db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all(),
      ),
    );

  it('lists each kind of pair page by page, never an erased customer, and not to agents', async () => {
    expect(await listAll()).toEqual([
      { ids: [ids.olivia, ids.oliviaAgain], reasons: ['name_company'] },
      { ids: [ids.legacyPhone, ids.phone], reasons: ['phone'] },
      { ids: [ids.legacyEmail, ids.email], reasons: ['email'] },
    ]);
    expect((await agent('GET', '/api/customers/duplicates')).statusCode).toBe(403);
  });

  it('leaves a dismissed pair out of the list', async () => {
    const dismissed = await supervisor('POST', '/api/customers/duplicates/dismiss', {
      customerIds: [ids.phone, ids.legacyPhone],
    });
    expect(dismissed.statusCode, dismissed.body).toBe(204);
    expect((await listAll()).map((pair) => pair.reasons)).toEqual([['name_company'], ['email']]);
    const self = await supervisor('POST', '/api/customers/duplicates/dismiss', {
      customerIds: [ids.email, ids.email],
    });
    expect(self.statusCode).toBe(400);
  });

  it('moves every reference to the survivor in one go, redirects the old id, recomputes the tier, audited', async () => {
    const survivor = ids.olivia;
    const merged = ids.oliviaAgain;
    const { db } = ctx;
    const sam = agentIdOf(db, 'sam');
    db.prepare(
      "INSERT INTO customer_phones (customer_id, e164, created_at) VALUES (?, '+447911123456', ?)",
    ).run(merged, '2026-11-01T00:00:00.000Z');
    db.prepare(
      "INSERT INTO customer_emails (customer_id, email, created_at) VALUES (?, 'oc@home.example', ?)",
    ).run(merged, '2026-11-01T00:00:00.000Z');
    db.prepare(
      "INSERT INTO customer_notes (customer_id, author_agent_id, body, created_at) VALUES (?, ?, 'VIP', ?)",
    ).run(merged, sam, '2026-11-01T00:00:00.000Z');
    const [, mergedCall] = [
      makeInteraction(db, {
        customerId: survivor,
        arrivedAt: '2026-11-21T09:00:00.000Z',
        outcome: 'answered',
      }),
      makeInteraction(db, { customerId: merged, arrivedAt: '2026-11-21T10:00:00.000Z', outcome: 'answered' }),
      makeInteraction(db, {
        customerId: merged,
        arrivedAt: '2026-11-21T11:00:00.000Z',
        outcome: 'abandoned',
      }),
    ];
    makeFollowUp(db, { customerId: merged, interactionId: mergedCall });
    db.prepare(
      `INSERT INTO interaction_surveys (interaction_id, customer_id, status, score, created_at, ended_at)
       VALUES (?, ?, 'completed', 5, ?, ?)`,
    ).run(mergedCall, merged, '2026-11-21T10:10:00.000Z', '2026-11-21T10:10:00.000Z');
    db.prepare(
      `INSERT INTO customer_lifecycle_changes (customer_id, from_stage, to_stage, source, at)
       VALUES (?, 'new', 'active', 'rules', ?)`,
    ).run(merged, '2026-11-21T10:00:00.000Z');
    db.prepare(
      `INSERT INTO tier_overrides (customer_id, tier, reason, expires_at, set_by, set_at)
       VALUES (?, 'gold', 'Key account', '2026-11-01T00:00:00.000Z', ?, ?)`,
    ).run(merged, sam, '2026-10-01T00:00:00.000Z');
    db.prepare(
      `INSERT INTO customer_duplicate_dismissals (low_customer_id, high_customer_id, dismissed_at)
       VALUES (?, ?, ?)`,
    ).run(merged, ids.unrelated, '2026-11-01T00:00:00.000Z');
    const value = await supervisor('POST', `/api/customers/${merged}/value-events`, {
      amount: 90_000,
      currency: 'USD',
      occurredAt: '2026-11-20T09:30:00.000Z',
      reference: 'ORD-1',
    });
    expect(value.statusCode, value.body).toBe(201);
    await ctx.app.customerValue.recomputeAll();
    const scoreOf = (id: number) =>
      (db.prepare('SELECT score FROM customer_values WHERE customer_id = ?').get(id) as { score: number })
        .score;
    const mergedScore = scoreOf(merged);
    const survivorTier = (
      db.prepare('SELECT tier FROM customers WHERE id = ?').get(survivor) as { tier: string }
    ).tier;
    const range = 'from=2026-11-20T00:00:00.000Z&to=2026-11-22T10:00:00.000Z';
    const reportBefore = (await supervisor('GET', `/api/reports/summary?${range}`)).json();

    const response = await supervisor('POST', `/api/customers/${survivor}/merge`, {
      mergeId: merged,
      keep: { name: 'merged', company: 'survivor' },
    });
    expect(response.statusCode, response.body).toBe(200);
    const view = response.json();
    expect(view.customer).toMatchObject({
      id: survivor,
      name: '  olivia CARTER ',
      company: 'Northwind Traders',
    });
    expect(view.phones.map((phone: { e164: string }) => phone.e164).sort()).toEqual([
      '+14155550123',
      '+447911123456',
    ]);

    // Every column that names a customer, in every table, points away from the merged one.
    const tables = db
      .prepare<[], { name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql IS NOT NULL",
      )
      .all()
      .map((table) => table.name);
    const customerColumns = tables.flatMap((table) =>
      db
        .prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}')`)
        .all()
        .filter((column) => /(^|_)customer_id$/.test(column.name))
        .map((column) => [table, column.name] as const),
    );
    expect(customerColumns.map(([table]) => table)).toEqual(
      expect.arrayContaining([
        'interactions',
        'follow_ups',
        'customer_value_events',
        'customer_lifecycle_changes',
      ]),
    );
    for (const [table, column] of customerColumns) {
      const left = db.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${column} = ?`).get(merged) as {
        n: number;
      };
      expect(left.n, `${table}.${column}`).toBe(0);
    }
    expect(db.prepare('SELECT id FROM customers WHERE merged_into = ?').all(survivor)).toEqual([
      { id: merged },
    ]);

    // The value of both, placed again; the merged one's override (expired) did not come along.
    expect(scoreOf(survivor)).toBeGreaterThanOrEqual(mergedScore);
    const valueNow = (await supervisor('GET', `/api/customers/${survivor}/value`)).json();
    expect(valueNow.computed.tier).not.toBe(survivorTier);
    expect(valueNow.tier).toBe(valueNow.computed.tier);
    expect((await supervisor('GET', `/api/reports/summary?${range}`)).json()).toEqual(reportBefore);

    const redirect = await agent('GET', `/api/customers/${merged}`);
    expect(redirect.statusCode).toBe(301);
    expect(redirect.headers.location).toBe(`/api/customers/${survivor}`);
    expect(redirect.json()).toEqual({ mergedInto: survivor });
    expect((await agent('PATCH', `/api/customers/${merged}`, { name: 'Back' })).statusCode).toBe(409);
    expect((await agent('GET', '/api/customers?q=%2B44%207911%20123456')).json().items).toMatchObject([
      { id: survivor },
    ]);

    const audit = db
      .prepare("SELECT actor_agent_id, entity_id, details FROM audit_log WHERE action = 'customer.merge'")
      .all();
    expect(audit).toEqual([
      {
        actor_agent_id: sam,
        entity_id: String(survivor),
        details: JSON.stringify({ mergedCustomerId: merged, fromMerged: ['name'] }),
      },
    ]);
    expect((await listAll()).map((pair) => pair.reasons)).toEqual([['phone'], ['email']]);
  });

  it('refuses agents, itself, erased, unknown and already merged customers, changing nothing', async () => {
    const before = snapshot();
    const merge = (as: typeof agent, survivor: number, mergeId: number) =>
      as('POST', `/api/customers/${survivor}/merge`, { mergeId });
    expect((await merge(agent, ids.olivia, ids.oliviaAgain)).statusCode).toBe(403);
    expect((await merge(supervisor, ids.olivia, ids.olivia)).statusCode).toBe(400);
    expect((await merge(supervisor, ids.olivia, ids.erased)).statusCode).toBe(409);
    expect((await merge(supervisor, ids.erased, ids.olivia)).statusCode).toBe(409);
    expect((await merge(supervisor, ids.olivia, 999_999)).statusCode).toBe(404);
    expect(snapshot()).toBe(before);

    expect((await merge(supervisor, ids.phone, ids.legacyPhone)).statusCode).toBe(200);
    const afterMerge = snapshot();
    const again = await merge(supervisor, ids.olivia, ids.legacyPhone);
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toMatch(/already merged into customer/);
    expect((await merge(supervisor, ids.legacyPhone, ids.olivia)).statusCode).toBe(409);
    expect(snapshot()).toBe(afterMerge);
  });
});
