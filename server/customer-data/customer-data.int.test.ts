import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCustomersRepository } from '../customers/index.js';
import { makeAgent, makeCustomer, makeFollowUp, makeInteraction } from '../testing/factories.js';
import { as, createTestContext, login, type TestContext } from '../testing/harness.js';
import { customersCsv } from './customer-export.js';
import { openCustomerExport, type ExportCursor } from './customer-export.repository.js';

const FORMULAS = ['=HYPERLINK("http://evil.example","x")', '+1 sale', '-minus', '@at', '\tTab', '\rCR'];
const AT = '2026-11-21T09:00:00.000Z';
const csvRows = (body: string) => parse<Record<string, string>>(body, { bom: true, columns: true });

describe('customer export and data package', () => {
  let ctx: TestContext;
  let ids: { olivia: number; ana: number; call: number };

  beforeEach(async () => {
    ctx = await createTestContext({
      arrange: async (db) => {
        const ana = await makeAgent(db, { username: 'ana' });
        await makeAgent(db, { username: 'sue', role: 'supervisor' });
        await makeAgent(db, { username: 'ada', role: 'admin' });
        for (const name of FORMULAS) makeCustomer(db, { name, tier: 'silver' });
        const olivia = makeCustomer(db, {
          name: 'Olivia "Liv" Carter, jr.\nsecond line',
          company: 'Carter & Co',
          tier: 'gold',
          phones: ['+14155550123'],
          emails: ['olivia@example.com'],
        });
        makeCustomer(db, { name: '张伟', tier: 'gold' });
        makeCustomer(db, { name: 'Gone Person', tier: 'gold', erased: true });
        const call = makeInteraction(db, {
          customerId: olivia,
          agentId: ana,
          arrivedAt: AT,
          callerNumber: '+14155550123',
          notes: 'Asked about the invoice',
          recordingRef: `RE${'a'.repeat(32)}`,
          events: [{ type: 'arrived', at: AT, data: { provider: 'demo' } }],
        });
        createCustomersRepository(db).addNote(olivia, ana, 'VIP, be quick', AT);
        makeFollowUp(db, { customerId: olivia, note: 'Send the invoice' });
        db.prepare(
          `INSERT INTO customer_value_events (customer_id, reference, amount, currency, occurred_at, created_at)
           VALUES (?, 'ORDER-1', 120, 'USD', ?, ?)`,
        ).run(olivia, AT, AT);
        db.prepare(
          `INSERT INTO interaction_surveys (interaction_id, customer_id, status, score, resolved, ended_at, created_at)
           VALUES (?, ?, 'completed', 5, 1, ?, ?)`,
        ).run(call, olivia, AT, AT);
        db.prepare(
          `INSERT INTO customer_lifecycle_changes (customer_id, from_stage, to_stage, source, at)
           VALUES (?, 'new', 'active', 'rules', ?)`,
        ).run(olivia, AT);
        ids = { olivia, ana, call };
      },
    });
  });
  afterEach(() => ctx.close());

  const user = async (name: string) => as(ctx.app, await login(ctx.app, name, 'test-password'));

  it('streams every customer but the erased as formula-safe CSV; a search and a segment export their customers', async () => {
    const sue = await user('sue');
    const all = await sue('GET', '/api/customers/export.csv');
    expect(all.statusCode, all.body).toBe(200);
    expect(all.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(all.headers['content-disposition']).toMatch(
      /^attachment; filename="customers-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect(all.body.startsWith('\uFEFFcustomerId,name,')).toBe(true);
    const rows = csvRows(all.body);
    expect(rows.map((row) => row.name)).toEqual([
      ...FORMULAS.map((name) => `'${name}`),
      'Olivia "Liv" Carter, jr.\nsecond line',
      '张伟',
    ]);
    expect(rows[6]).toMatchObject({
      company: 'Carter & Co',
      tier: 'gold',
      phones: "'+14155550123",
      emails: 'olivia@example.com',
      doNotCall: '0',
    });

    const search = csvRows((await sue('GET', '/api/customers/export.csv?q=Carter')).body);
    expect(search.map((row) => Number(row.customerId))).toEqual([ids.olivia]);
    const byPhone = csvRows((await sue('GET', '/api/customers/export.csv?q=%2B14155550123')).body);
    expect(byPhone.map((row) => Number(row.customerId))).toEqual([ids.olivia]);

    const segment = await sue('POST', '/api/segments', { name: 'Gold', filter: { tiers: ['gold'] } });
    expect(segment.statusCode, segment.body).toBe(201);
    const gold = csvRows((await sue('GET', `/api/customers/export.csv?segment=${segment.json().id}`)).body);
    expect(gold.map((row) => row.name)).toEqual(['Olivia "Liv" Carter, jr.\nsecond line', '张伟']);

    expect((await sue('GET', '/api/customers/export.csv?segment=999')).statusCode).toBe(404);
    expect((await sue('GET', '/api/customers/export.csv?q=x&segment=1')).statusCode).toBe(400);
    expect((await (await user('ana'))('GET', '/api/customers/export.csv')).statusCode).toBe(403);

    const audits = ctx.db
      .prepare("SELECT details FROM audit_log WHERE action = 'customer.export' ORDER BY id")
      .pluck()
      .all() as string[];
    expect(audits.map((details) => JSON.parse(details))).toEqual([
      { scope: 'all' },
      { scope: 'search' },
      { scope: 'search' },
      { scope: 'segment', segmentId: segment.json().id },
    ]);
  });

  it('reads rows only as fast as the reader takes them, and closes its connection when the reader goes', async () => {
    const many = ctx.db.prepare(
      "INSERT INTO customers (name, created_at, updated_at) VALUES ('Customer ' || ?, ?, ?)",
    );
    ctx.db.transaction(() => {
      for (let n = 0; n < 50_000; n += 1) many.run(n, AT, AT);
    })();
    const cursor = openCustomerExport(ctx.config.databaseFile, { idsSql: null, params: [] });
    let read = 0;
    let closed = 0;
    const counted: ExportCursor = {
      rows: {
        next: () => {
          read += 1;
          return cursor.rows.next();
        },
        [Symbol.iterator]() {
          return this;
        },
      } as IterableIterator<never>,
      close: () => {
        closed += 1;
        cursor.close();
      },
    };
    const stream = customersCsv(counted);
    // A reader that takes one chunk, then nothing for a while.
    await new Promise((resolve) => stream.once('readable', resolve));
    expect(stream.read()).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(read).toBeGreaterThan(0);
    expect(read).toBeLessThan(5_000);
    stream.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBeGreaterThan(0);

    // Read to the end, it holds every customer.
    const all = await (await user('sue'))('GET', '/api/customers/export.csv');
    expect(csvRows(all.body)).toHaveLength(50_000 + FORMULAS.length + 2);
  });

  it('packages everything held about a customer for a subject-access request, for supervisors and admins', async () => {
    const ada = await user('ada');
    const response = await ada('GET', `/api/customers/${ids.olivia}/data-package`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="customer-${ids.olivia}-data.json"`,
    );
    const data = response.json();
    expect(data.customer).toMatchObject({ id: ids.olivia, company: 'Carter & Co', erased: false });
    expect(data.phones).toEqual([{ e164: '+14155550123', label: 'mobile', createdAt: expect.any(String) }]);
    expect(data.emails).toMatchObject([{ email: 'olivia@example.com' }]);
    expect(data.notes).toEqual([{ body: 'VIP, be quick', authorName: expect.any(String), createdAt: AT }]);
    expect(data.interactions).toMatchObject([
      {
        id: ids.call,
        callerNumber: '+14155550123',
        notes: 'Asked about the invoice',
        events: [{ type: 'arrived', at: AT, data: { provider: 'demo' } }],
      },
    ]);
    expect(data.followUps).toMatchObject([{ kind: 'callback', note: 'Send the invoice', status: 'open' }]);
    expect(data.valueEvents).toEqual([
      { reference: 'ORDER-1', amount: 120, currency: 'USD', occurredAt: AT },
    ]);
    expect(data.surveys).toEqual([
      { interactionId: ids.call, status: 'completed', score: 5, resolved: true, endedAt: AT },
    ]);
    expect(data.lifecycleHistory).toEqual([{ from: 'new', to: 'active', source: 'rules', at: AT }]);
    expect(data.recordings).toEqual([
      {
        interactionId: ids.call,
        kind: 'recording',
        arrivedAt: AT,
        url: `/api/interactions/${ids.call}/recording`,
      },
    ]);
    expect(JSON.stringify(data)).not.toContain(`RE${'a'.repeat(32)}`);

    expect((await (await user('sue'))('GET', `/api/customers/${ids.olivia}/data-package`)).statusCode).toBe(
      200,
    );
    expect((await (await user('ana'))('GET', `/api/customers/${ids.olivia}/data-package`)).statusCode).toBe(
      403,
    );
    expect((await ada('GET', '/api/customers/99999/data-package')).statusCode).toBe(404);
    expect(
      ctx.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'customer.data_package'").pluck().get(),
    ).toBe(2);
  });
});
