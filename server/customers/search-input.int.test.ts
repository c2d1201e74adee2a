import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeAgent, makeCustomer } from '../testing/factories.js';
import { as, createTestContext, login, type TestContext } from '../testing/harness.js';

/** Whatever an agent types into the customer search reaches FTS5 or LIKE: none of it may answer 500. */
describe('customer search input', () => {
  let ctx: TestContext;
  let api: ReturnType<typeof as>;

  beforeEach(async () => {
    ctx = await createTestContext({
      arrange: async (db) => {
        await makeAgent(db, { username: 'ana', role: 'agent' });
        makeCustomer(db, {
          name: 'Olivia Carter',
          phones: ['+14155550123'],
          emails: ['olivia@northwind.example'],
        });
      },
    });
    api = as(ctx.app, await login(ctx.app, 'ana', 'test-password'));
  });
  afterEach(() => ctx.close());

  const search = (encoded: string) => api('GET', `/api/customers?q=${encoded}`);

  it.each([['oli%00via'], ['%00%00%00'], ['555%00123'], ['%00'], ['a%00'], ['%001234567'], ['oli%01via']])(
    'refuses a control character with a clear 400: %s',
    async (encoded) => {
      const response = await search(encoded);
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().message).toMatch(/control character/);
    },
  );

  it.each([
    ['"'],
    ['""olivia'],
    ['oli*'],
    ['*'],
    ['NEAR(olivia carter)'],
    ['name:olivia'],
    ['phones : 555'],
    ['{name company}:olivia'],
    ['^olivia'],
    ['-olivia'],
    ['olivia AND OR NOT'],
    ['%'],
    ['_'],
    ['\\'],
    ["'; DROP TABLE customers; --"],
    ['x'.repeat(100)],
    ['ä'.repeat(100)],
    ['%ED%A0%80'],
    ['%FF%FE'],
  ])('treats FTS syntax and odd text as plain words: %s', async (q) => {
    const response = await search(q.startsWith('%') && q.length > 1 ? q : encodeURIComponent(q));
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().items.map((c: { name: string }) => c.name)).not.toContain('Olivia Carter');
  });

  it('still finds a name typed with tabs between words', async () => {
    const response = await search(encodeURIComponent('olivia\tcarter'));
    expect(response.json().items.map((c: { name: string }) => c.name)).toEqual(['Olivia Carter']);
  });

  it('refuses a query over 100 characters with 400', async () => {
    expect((await search('x'.repeat(101))).statusCode).toBe(400);
  });
});

describe('customer text input', () => {
  let ctx: TestContext;
  let api: ReturnType<typeof as>;
  let olivia: number;

  beforeEach(async () => {
    ctx = await createTestContext({
      arrange: async (db) => {
        await makeAgent(db, { username: 'ana', role: 'agent' });
        olivia = makeCustomer(db, { name: 'Olivia Carter' });
      },
    });
    api = as(ctx.app, await login(ctx.app, 'ana', 'test-password'));
  });
  afterEach(() => ctx.close());

  const rows = () =>
    ctx.db
      .prepare('SELECT (SELECT count(*) FROM customers) + (SELECT count(*) FROM customer_notes) AS n')
      .get();

  it('refuses a NUL in what is stored about a customer with 400, changing nothing', async () => {
    const before = rows();
    for (const [method, url, body] of [
      ['POST', '/api/customers', { name: 'Nul\u0000 Name' }],
      ['POST', '/api/customers', { name: 'Ok', company: 'Acme\u0000' }],
      ['POST', '/api/customers', { name: 'Ok', tags: ['vip\u0000'] }],
      ['PATCH', `/api/customers/${olivia}`, { name: 'x\u0000' }],
      ['PATCH', `/api/customers/${olivia}`, { attributes: { plan: 'gold\u0000' } }],
      ['POST', `/api/customers/${olivia}/notes`, { body: 'call back\u0000' }],
      ['POST', `/api/customers/${olivia}/phones`, { number: '+14155550123', label: 'mob\u0007' }],
    ] as const) {
      const response = await api(method, url, body);
      expect(response.statusCode, `${method} ${url} ${response.body}`).toBe(400);
    }
    expect(rows()).toEqual(before);
    expect(ctx.db.prepare('SELECT name FROM customers WHERE id = ?').get(olivia)).toEqual({
      name: 'Olivia Carter',
    });
  });

  it('keeps tabs and line breaks in a note', async () => {
    const response = await api('POST', `/api/customers/${olivia}/notes`, {
      body: 'line one\n\tline two\r\n',
    });
    expect(response.statusCode, response.body).toBe(200);
  });
});
