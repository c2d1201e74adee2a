import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeAgent, makeCustomer, makeFollowUp } from '../testing/factories.js';
import { as, createTestContext, login, ORIGIN, type TestContext } from '../testing/harness.js';

describe('customers API', () => {
  let ctx: TestContext;
  let api: ReturnType<typeof as>;
  let olivia: number;
  let wang: number;

  beforeEach(async () => {
    ctx = await createTestContext({
      arrange: async (db) => {
        await makeAgent(db, { username: 'ana', role: 'agent' });
        olivia = makeCustomer(db, {
          name: 'Olivia Carter',
          company: 'Northwind Traders',
          tier: 'gold',
          phones: ['+14155550123', '+447911123456'],
          emails: ['olivia.carter@northwind.example'],
        });
        wang = makeCustomer(db, {
          name: '王芳',
          company: '上海华信贸易有限公司',
          phones: ['+8613800138000'],
        });
        makeCustomer(db, { name: 'Oliver Stone', phones: ['+12125550199'] });
        makeCustomer(db, { name: 'Erased Person', phones: ['+12125550100'], erased: true });
      },
    });
    api = as(ctx.app, await login(ctx.app, 'ana', 'test-password'));
  });
  afterEach(() => ctx.close());

  const search = async (q: string) => {
    const response = await api('GET', `/api/customers?q=${encodeURIComponent(q)}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ items: { id: number; name: string }[] }>().items.map((c) => c.name);
  };

  it.each([
    ['(415) 555-0123'],
    ['415.555.0123'],
    ['+1 415 555 0123'],
    ['1-415-555-0123'],
    ['+44 7911 123456'],
    ['0044 7911 123456'],
  ])('finds the customer by the full number written as %s', async (q) => {
    expect(await search(q)).toEqual(['Olivia Carter']);
  });

  it.each([['555-012'], ['5550123'], ['07911 12'], ['0013 8']])(
    'finds customers by a fragment of a number: %s',
    async (q) => {
      const names = await search(q);
      expect(names.length).toBeGreaterThan(0);
      expect(names).not.toContain('Oliver Stone');
    },
  );

  it('finds by name, company, email, Chinese name, and a short second word', async () => {
    expect(await search('olivia')).toEqual(['Olivia Carter']);
    expect((await search('Oli')).sort()).toEqual(['Oliver Stone', 'Olivia Carter']);
    expect(await search('northwind')).toEqual(['Olivia Carter']);
    expect(await search('OLIVIA.CARTER@northwind.example')).toEqual(['Olivia Carter']);
    expect(await search('王芳')).toEqual(['王芳']);
    expect(await search('华信贸易')).toEqual(['王芳']);
    expect(await search('Carter Ol')).toEqual(['Olivia Carter']);
  });

  it('never returns an erased customer and hides their data on the 360 view', async () => {
    expect(await search('Erased')).toEqual([]);
    expect(await search('(212) 555-0100')).toEqual([]);
    const erasedId = (
      ctx.db.prepare("SELECT id FROM customers WHERE name = 'Erased Person'").get() as { id: number }
    ).id;
    const view = (await api('GET', `/api/customers/${erasedId}`)).json();
    expect(view.customer.erased).toBe(true);
    expect(view.phones).toEqual([]);
    expect((await api('PATCH', `/api/customers/${erasedId}`, { name: 'Back' })).statusCode).toBe(409);
  });

  it.each([
    ["' OR 1=1 --"],
    ['"; DROP TABLE customers; --'],
    ['Robert"); DELETE FROM customers WHERE ("1'],
    ['NEAR(a b)'],
    ['%_%'],
    ['*'],
  ])('treats SQL- or FTS-looking text as plain text: %s', async (q) => {
    expect(await search(q)).toEqual([]);
    expect(ctx.db.prepare('SELECT count(*) AS n FROM customers').get()).toEqual({ n: 4 });
  });

  it('rejects a phone fragment too short to search and a missing query', async () => {
    const short = await api('GET', '/api/customers?q=12');
    expect(short.statusCode).toBe(400);
    expect(short.json().message).toMatch(/at least 3 digits/);
    expect((await api('GET', '/api/customers')).statusCode).toBe(400);
    expect((await api('GET', `/api/customers?q=${'x'.repeat(101)}`)).statusCode).toBe(400);
  });

  it('returns the 360 view with national phone forms, follow-ups, notes and stats', async () => {
    makeFollowUp(ctx.db, {
      customerId: olivia,
      dueAt: '2026-11-23T09:00:00.000Z',
      note: 'Call back about invoice',
      createdAt: '2026-11-22T09:00:00.000Z',
    });
    const response = await api('GET', `/api/customers/${olivia}`);
    expect(response.statusCode).toBe(200);
    const view = response.json();
    expect(view.customer).toMatchObject({
      name: 'Olivia Carter',
      tier: 'gold',
      lifecycleStage: 'new',
      erased: false,
    });
    expect(view.phones.map((p: { display: string }) => p.display)).toEqual([
      '(415) 555-0123',
      '07911 123456',
    ]);
    expect(view.openFollowUps).toHaveLength(1);
    expect(view.openFollowUps[0]).toMatchObject({ kind: 'callback', note: 'Call back about invoice' });
    expect(view.stats).toEqual({
      interactions: 0,
      answered: 0,
      abandoned: 0,
      lastContactAt: null,
      lastSurveyScore: null,
      lastSurveyAt: null,
    });
  });

  it('creates a customer with normalized phones, searchable at once, and audits it', async () => {
    const response = await api('POST', '/api/customers', {
      name: ' Li Wei ',
      phones: [{ number: '+86 139 1234 5678', label: 'mobile' }],
      emails: [{ email: 'li.wei@example.cn' }],
    });
    expect(response.statusCode, response.body).toBe(201);
    const created = response.json();
    expect(created.customer.name).toBe('Li Wei');
    expect(created.phones[0].e164).toBe('+8613912345678');
    expect(await search('1391234')).toEqual(['Li Wei']);
    const audit = ctx.db
      .prepare("SELECT actor_agent_id, entity_id FROM audit_log WHERE action = 'customer.create'")
      .get();
    expect(audit).toEqual({ actor_agent_id: 1, entity_id: String(created.customer.id) });
  });

  it('updates fields and keeps the search index in step', async () => {
    const response = await api('PATCH', `/api/customers/${wang}`, {
      name: '王芳芳',
      lifecycleStage: 'at_risk',
      tags: ['vip-prospect'],
      doNotCall: true,
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().customer).toMatchObject({
      name: '王芳芳',
      lifecycleStage: 'at_risk',
      doNotCall: true,
      tags: ['vip-prospect'],
    });
    expect(await search('王芳芳')).toEqual(['王芳芳']);
  });

  it('lets an agent send the tier unchanged, as a form does, but not change it', async () => {
    const same = await api('PATCH', `/api/customers/${olivia}`, { tier: 'gold', company: 'Northwind' });
    expect(same.statusCode, same.body).toBe(200);
    expect(same.json().customer).toMatchObject({ tier: 'gold', company: 'Northwind' });
  });

  it('tells a supervisor that a tier changes only through an override', async () => {
    await makeAgent(ctx.db, { username: 'sam', role: 'supervisor' });
    const supervisor = as(ctx.app, await login(ctx.app, 'sam', 'test-password'));
    const response = await supervisor('PATCH', `/api/customers/${olivia}`, { tier: 'platinum' });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/tier .*override/);
    expect((await supervisor('POST', '/api/customers', { name: 'VIP', tier: 'gold' })).statusCode).toBe(400);
    expect(ctx.db.prepare('SELECT tier FROM customers WHERE id = ?').get(olivia)).toEqual({ tier: 'gold' });
  });

  it('adds a phone in any written form and finds the customer by it', async () => {
    const response = await api('POST', `/api/customers/${wang}/phones`, {
      number: '(650) 253-0000',
      label: 'work',
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().phones.map((p: { e164: string }) => p.e164)).toContain('+16502530000');
    expect(await search('650-253-0000')).toEqual(['王芳']);
  });

  it('adds a note with its author', async () => {
    const response = await api('POST', `/api/customers/${olivia}/notes`, { body: 'Prefers email follow-up' });
    expect(response.statusCode).toBe(200);
    expect(response.json().notes[0]).toMatchObject({ body: 'Prefers email follow-up', authorName: 'ana' });
  });

  describe('bad input changes nothing', () => {
    const snapshot = () =>
      JSON.stringify([
        ctx.db.prepare('SELECT * FROM customers ORDER BY id').all(),
        ctx.db.prepare('SELECT * FROM customer_phones ORDER BY id').all(),
        ctx.db.prepare('SELECT count(*) FROM audit_log').get(),
      ]);

    it.each([
      ['a bad phone number', 'POST', 'phones', { number: '12345' }, 400, /not a valid phone number/],
      ['letters for a phone', 'POST', 'phones', { number: 'call me maybe' }, 400, /not a valid phone number/],
      [
        'a phone of another customer',
        'POST',
        'phones',
        { number: '+1 212 555 0199' },
        409,
        /belongs to customer/,
      ],
      ['a wrong type', 'PATCH', '', { name: 123 }, 400, /name/],
      ['an unknown field', 'PATCH', '', { name: 'x', role: 'admin' }, 400, /additional properties/],
      ['an unknown tier', 'PATCH', '', { tier: 'diamond' }, 400, /tier/],
      ['an agent changing a tier', 'PATCH', '', { tier: 'platinum' }, 403, /Agents cannot change/],
      [
        'an agent creating a customer with a tier',
        'POST',
        '-new',
        { name: 'VIP', tier: 'gold' },
        403,
        /tier/,
      ],
      ['an empty update', 'PATCH', '', {}, 400, /fewer than 1 properties/],
      ['a blank name', 'PATCH', '', { name: '   ' }, 400, /name/],
      ['an empty note', 'POST', 'notes', { body: '' }, 400, /body/],
    ] as const)('%s', async (_label, method, path, payload, status, message) => {
      const before = snapshot();
      // '-new' is the collection itself: a new customer.
      const url = path === '-new' ? '/api/customers' : `/api/customers/${olivia}${path ? `/${path}` : ''}`;
      const response = await api(method, url, payload);
      expect(response.statusCode, response.body).toBe(status);
      expect(response.json().message).toMatch(message);
      expect(snapshot()).toBe(before);
    });

    it('an unknown id is 404, a non-numeric id 400', async () => {
      const missing = await api('GET', '/api/customers/999999');
      expect(missing.statusCode).toBe(404);
      expect(missing.json().message).toBe('Customer 999999 does not exist');
      expect((await api('PATCH', '/api/customers/999999', { name: 'x' })).statusCode).toBe(404);
      expect((await api('GET', '/api/customers/abc')).statusCode).toBe(400);
    });

    it('malformed JSON is 400 and an oversize body 413', async () => {
      const cookie = await login(ctx.app, 'ana', 'test-password');
      const before = snapshot();
      const malformed = await ctx.app.inject({
        method: 'POST',
        url: '/api/customers',
        headers: { cookie, origin: ORIGIN, 'content-type': 'application/json' },
        payload: '{"name": "Broken"',
      });
      expect(malformed.statusCode).toBe(400);
      expect(malformed.json().message).toMatch(/JSON/i);
      const oversize = await as(ctx.app, cookie)('POST', `/api/customers/${olivia}/notes`, {
        body: 'x'.repeat(70_000),
      });
      expect(oversize.statusCode).toBe(413);
      expect(oversize.json().message).toMatch(/too large/i);
      expect(snapshot()).toBe(before);
    });

    it('a duplicate phone in a new customer is 409 and creates nothing', async () => {
      const response = await api('POST', '/api/customers', {
        name: 'Copycat',
        phones: [{ number: '415-555-0123' }],
      });
      expect(response.statusCode).toBe(409);
      expect(ctx.db.prepare("SELECT count(*) AS n FROM customers WHERE name = 'Copycat'").get()).toEqual({
        n: 0,
      });
    });
  });
});
