import iconv from 'iconv-lite';
import { parse } from 'csv-parse/sync';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { makeAgent, makeCustomer } from '../testing/factories.js';
import { ORIGIN, createTestContext, login, until, type TestContext } from '../testing/harness.js';
import type { ImportState, StartBody } from './customer-imports.schemas.js';

const PHONE = (n: number) => `+1415555${String(n).padStart(4, '0')}`;
const lines = (...rows: string[]) => `${rows.join('\r\n')}\r\n`;

describe('customer imports', () => {
  let ctx: TestContext;
  let cookies: Record<'ana' | 'sue' | 'sam' | 'ada', string>;

  const setUp = async (env: Record<string, string> = {}) => {
    ctx = await createTestContext({
      env,
      arrange: async (db) => {
        await makeAgent(db, { username: 'ana', role: 'agent' });
        await makeAgent(db, { username: 'sue', role: 'supervisor' });
        await makeAgent(db, { username: 'sam', role: 'supervisor' });
        await makeAgent(db, { username: 'ada', role: 'admin' });
        makeCustomer(db, {
          name: 'Old Name',
          company: 'Old Co',
          phones: [PHONE(1)],
          emails: ['old@example.com'],
        });
        makeCustomer(db, { name: 'Second', phones: [PHONE(9)], emails: ['second@example.com'] });
      },
    });
    cookies = {
      ana: await login(ctx.app, 'ana', 'test-password'),
      sue: await login(ctx.app, 'sue', 'test-password'),
      sam: await login(ctx.app, 'sam', 'test-password'),
      ada: await login(ctx.app, 'ada', 'test-password'),
    };
  };
  beforeEach(() => setUp());
  afterEach(() => ctx.close());

  const upload = (bytes: Buffer | string, query = '', who: keyof typeof cookies = 'sue', app = ctx.app) =>
    app.inject({
      method: 'POST',
      url: `/api/customer-imports?fileName=people.csv${query}`,
      headers: { cookie: cookies[who], origin: ORIGIN, 'content-type': 'text/csv' },
      payload: bytes,
    });
  const get = (url: string, who: keyof typeof cookies = 'sue', app = ctx.app) =>
    app.inject({ method: 'GET', url, headers: { cookie: cookies[who], origin: ORIGIN } });
  const start = (id: string, body: StartBody, who: keyof typeof cookies = 'sue') =>
    ctx.app.inject({
      method: 'POST',
      url: `/api/customer-imports/${id}/start`,
      headers: { cookie: cookies[who], origin: ORIGIN },
      payload: body,
    });
  const state = async (id: string, app = ctx.app) =>
    (await get(`/api/customer-imports/${id}`, 'sue', app)).json<ImportState>();
  const finished = async (id: string, app = ctx.app) => {
    let last: ImportState | undefined;
    await until(
      async () => ['done', 'failed'].includes((last = await state(id, app)).status),
      `import ${id} ends`,
      30_000,
    );
    return last!;
  };
  /** Uploads, starts with the proposed mapping, waits for the end. */
  const importFile = async (bytes: Buffer | string, duplicates: StartBody['duplicates'] = 'skip') => {
    const uploaded = await upload(bytes);
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const { id, proposedMapping } = uploaded.json<ImportState>();
    expect((await start(id, { mapping: proposedMapping, duplicates })).statusCode).toBe(202);
    return finished(id);
  };
  const customers = () =>
    ctx.db
      .prepare(
        `SELECT c.name, c.company, c.language, c.tags, c.updated_at AS updatedAt,
           (SELECT group_concat(e164) FROM customer_phones WHERE customer_id = c.id) AS phones,
           (SELECT group_concat(email) FROM customer_emails WHERE customer_id = c.id) AS emails
         FROM customers c ORDER BY c.id`,
      )
      .all() as {
      name: string;
      company: string | null;
      tags: string;
      phones: string;
      emails: string | null;
    }[];
  const countOf = (table: string) =>
    ctx.db.prepare(`SELECT count(*) AS n FROM ${table}`).pluck().get() as number;

  it.each([
    ['UTF-8 with a BOM', (text: string) => Buffer.from(`\uFEFF${text}`), 'utf-8'],
    ['UTF-8 without a BOM', (text: string) => Buffer.from(text), 'utf-8'],
    ['GB18030 (Chinese Excel)', (text: string) => iconv.encode(text, 'gb18030'), 'gb18030'],
  ])('reads %s, proposes the mapping from Chinese headers and imports', async (_, encode, encoding) => {
    const text = lines(
      '姓名,手机号码,邮箱,公司,备注',
      '张伟,86 138 0013 8000,zhang@example.cn,北京科技有限公司,VIP',
      '李娜,+86 139 0013 9000,,,',
    );
    const response = await upload(encode(text));
    expect(response.statusCode, response.body).toBe(201);
    const uploaded = response.json<ImportState>();
    expect(uploaded).toMatchObject({
      encoding,
      totalRows: 2,
      headers: ['姓名', '手机号码', '邮箱', '公司', '备注'],
      proposedMapping: { name: 0, phone: 1, email: 2, company: 3 },
      status: 'uploaded',
    });
    expect(uploaded.preview[0]).toEqual([
      '张伟',
      '86 138 0013 8000',
      'zhang@example.cn',
      '北京科技有限公司',
      'VIP',
    ]);
    await start(uploaded.id, { mapping: uploaded.proposedMapping, duplicates: 'skip' });
    expect(await finished(uploaded.id)).toMatchObject({
      status: 'done',
      created: 2,
      invalid: 0,
      processedRows: 2,
    });
    // Without its +, 86… is read as an international number (the default region is US).
    expect(customers().slice(2)).toMatchObject([
      { name: '张伟', company: '北京科技有限公司', phones: '+8613800138000', emails: 'zhang@example.cn' },
      { name: '李娜', company: null, phones: '+8613900139000', emails: null },
    ]);
    // The search index holds the new customers.
    const found = await get(`/api/customers?q=${encodeURIComponent('北京科技')}`);
    expect(found.json<{ items: { name: string }[] }>().items.map((item) => item.name)).toEqual(['张伟']);
  });

  it('refuses invalid rows, imports the rest, and reports why per row and column as CSV', async () => {
    const text = lines(
      'Name,Phone,Email,Language',
      'Good One,+14155550101,good@example.com,en-US',
      ',+14155550102,,',
      'Bad Phone,12,,',
      'Bad Email,+14155550103,not-an-email,english!',
      '',
      'Good Two,(415) 555-0104,,',
    );
    const result = await importFile(text);
    expect(result).toMatchObject({ status: 'done', created: 2, invalid: 3, totalRows: 6, processedRows: 6 });
    const report = await get(`/api/customer-imports/${result.id}/errors.csv`);
    expect(report.statusCode).toBe(200);
    expect(report.headers['content-type']).toMatch(/^text\/csv/);
    expect(report.headers['content-disposition']).toContain('people-errors.csv');
    expect(parse(report.body, { bom: true, columns: true })).toEqual([
      { row: '3', column: 'Name', reason: 'is empty' },
      { row: '4', column: 'Phone', reason: 'is not a valid phone number' },
      { row: '5', column: 'Email', reason: 'is not a valid email address' },
      { row: '5', column: 'Language', reason: 'is not a language tag such as en-US or zh-CN' },
    ]);
    expect(customers().map((c) => c.name)).toEqual(['Old Name', 'Second', 'Good One', 'Good Two']);
  });

  it('skips or updates a duplicate (by phone or email), and a second run of the file changes nothing', async () => {
    const text = lines(
      'name,phone,email,company,tags',
      `New Name,${PHONE(1)},,New Co,vip;wholesale`,
      `Second Renamed,${PHONE(2)},SECOND@example.com,,`,
      `Fresh,${PHONE(3)},fresh@example.com,,`,
    );
    const before = customers();
    const skipped = await importFile(text, 'skip');
    expect(skipped).toMatchObject({ created: 1, skipped: 2, updated: 0 });
    expect(customers().slice(0, 2)).toEqual(before);

    ctx.clock.advance(60_000);
    const updated = await importFile(text, 'update');
    expect(updated).toMatchObject({
      created: 0,
      updated: 2,
      unchanged: 1,
      skipped: 0,
      sameFileAs: skipped.id,
    });
    expect(customers()).toMatchObject([
      {
        name: 'New Name',
        company: 'New Co',
        phones: PHONE(1),
        emails: 'old@example.com',
        tags: '["vip","wholesale"]',
      },
      // Found by its email (in another case), the customer gains the row's phone number.
      { name: 'Second Renamed', phones: `${PHONE(9)},${PHONE(2)}`, emails: 'second@example.com' },
      { name: 'Fresh', phones: PHONE(3), emails: 'fresh@example.com' },
    ]);

    const after = customers();
    ctx.clock.advance(60_000);
    expect(await importFile(text, 'update')).toMatchObject({
      created: 0,
      updated: 0,
      unchanged: 3,
      invalid: 0,
    });
    expect(await importFile(text, 'skip')).toMatchObject({ created: 0, updated: 0, skipped: 3, invalid: 0 });
    // Not even updated_at moved.
    expect(customers()).toEqual(after);
  });

  it('refuses garbage, a wrong encoding, a missing required column and an oversized file, changing nothing', async () => {
    const garbage = await upload(randomBytes(256 * 1024));
    expect(garbage.statusCode).toBe(400);
    expect(garbage.json().message).toMatch(/neither UTF-8 nor GB18030|not a CSV text file/);

    const gb = iconv.encode(lines('姓名,电话', '张伟,+8613800138000'), 'gb18030');
    const wrong = await upload(gb, '&encoding=utf-8');
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().message).toMatch(/not valid UTF-8/);

    const quotes = await upload(lines('name,phone', '"unclosed,+14155550101'));
    expect(quotes.statusCode).toBe(400);
    expect(quotes.json().message).toMatch(/^The file is not a valid CSV/);

    const headerOnly = await upload(lines('name,phone'));
    expect(headerOnly.json().message).toMatch(/no rows/);

    const noPhone = await upload(lines('name,city', 'Ann,Paris'));
    expect(noPhone.statusCode).toBe(201);
    const { id, proposedMapping } = noPhone.json<ImportState>();
    expect(proposedMapping).toEqual({ name: 0 });
    const refused = await start(id, { mapping: proposedMapping, duplicates: 'skip' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().message).toBe('Map a column to each required field: phone');
    expect(countOf('customers')).toBe(2);
    expect(ctx.db.prepare('SELECT count(*) FROM customer_imports').pluck().get()).toBe(1);

    await ctx.close();
    await setUp({ IMPORT_MAX_BYTES: '4096' });
    const big = await upload(
      lines('name,phone', ...Array.from({ length: 200 }, (_, n) => `Person ${n},${PHONE(n)}`)),
    );
    expect(big.statusCode).toBe(413);
    expect(big.json().message).toBe('The file is larger than 0 MB; split it into smaller files');
    expect(countOf('customer_imports')).toBe(0);
  });

  it('is for supervisors and admins: agents get 403, a supervisor sees only their own imports', async () => {
    expect((await upload(lines('name,phone', `A,${PHONE(5)}`), '', 'ana')).statusCode).toBe(403);
    const mine = (await upload(lines('name,phone', `A,${PHONE(5)}`), '', 'sue')).json<ImportState>();
    expect((await get(`/api/customer-imports/${mine.id}`, 'ana')).statusCode).toBe(403);
    expect((await get(`/api/customer-imports/${mine.id}`, 'sam')).statusCode).toBe(404);
    expect((await get(`/api/customer-imports/${mine.id}/errors.csv`, 'sam')).statusCode).toBe(404);
    expect((await get(`/api/customer-imports/${mine.id}`, 'ada')).statusCode).toBe(200);
    await start(mine.id, { mapping: mine.proposedMapping, duplicates: 'skip' });
    await finished(mine.id);
    expect((await start(mine.id, { mapping: mine.proposedMapping, duplicates: 'skip' })).statusCode).toBe(
      409,
    );
    const audits = ctx.db
      .prepare("SELECT action, details FROM audit_log WHERE entity_type = 'customer_import' ORDER BY id")
      .all() as { action: string; details: string }[];
    expect(audits.map((a) => a.action)).toEqual([
      'customers.import_uploaded',
      'customers.import_started',
      'customers.import_finished',
    ]);
    // Counts and field names only: no customer data in the audit log.
    expect(audits.map((a) => a.details).join()).not.toContain(PHONE(5));
  });
});

describe('a customer import interrupted mid-file', () => {
  let ctx: TestContext;
  let second: FastifyInstance | undefined;
  afterEach(async () => {
    await second?.close();
    await ctx.close();
  });

  it('resumes from its checkpoint in the next process: no half-written customer, none twice', async () => {
    ctx = await createTestContext({
      env: { IMPORT_BATCH_ROWS: '100' },
      arrange: (db) => makeAgent(db, { username: 'sue', role: 'supervisor' }),
    });
    const cookie = await login(ctx.app, 'sue', 'test-password');
    const rows = 20_000;
    const text = lines(
      'name,phone,email',
      ...Array.from(
        { length: rows },
        (_, n) => `Person ${n},+1415${String(2_000_000 + n)},p${n}@example.com`,
      ),
    );
    const uploaded = await ctx.app.inject({
      method: 'POST',
      url: '/api/customer-imports',
      headers: { cookie, origin: ORIGIN, 'content-type': 'text/csv' },
      payload: text,
    });
    const { id, proposedMapping } = uploaded.json<ImportState>();
    await ctx.app.inject({
      method: 'POST',
      url: `/api/customer-imports/${id}/start`,
      headers: { cookie, origin: ORIGIN },
      payload: { mapping: proposedMapping, duplicates: 'skip' },
    });
    const checkpoint = () =>
      ctx.db
        .prepare('SELECT next_row AS nextRow, created, status FROM customer_imports WHERE id = ?')
        .get(id) as {
        nextRow: number;
        created: number;
        status: string;
      };
    await until(() => checkpoint().nextRow > 0, 'the first batch');
    await ctx.app.close();

    const stopped = checkpoint();
    expect(stopped.status).toBe('running');
    expect(stopped.nextRow).toBeLessThan(rows);
    expect(stopped.nextRow % 100).toBe(0);
    // Every committed row is whole (customer, phone, email, search row) and nothing past the checkpoint.
    const count = (table: string) => ctx.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get();
    for (const table of ['customers', 'customer_phones', 'customer_emails', 'customer_search'])
      expect(count(table), table).toBe(stopped.nextRow);

    second = await buildApp(ctx.config, { clock: ctx.clock });
    await until(() => checkpoint().status === 'done', 'the resumed import', 60_000);
    expect(checkpoint()).toMatchObject({ nextRow: rows, created: rows });
    for (const table of ['customers', 'customer_phones', 'customer_emails', 'customer_search'])
      expect(count(table), table).toBe(rows);
  }, 90_000);
});
