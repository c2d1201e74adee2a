import { parse } from 'csv-parse/sync';
import { Queue } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connection.js';
import { createInteractionsRepository } from '../interactions/index.js';
import { playInboundCall as call } from '../testing/played-calls.js';
import { makeAgent, makeCustomer, makeQueue } from '../testing/factories.js';
import { REDIS_URL, as, createTestContext, login, until, type TestContext } from '../testing/harness.js';
import { createCustomerReportsRepository } from './customers.repository.js';
import { createIvrReportsRepository } from './ivr.repository.js';
import { interactionRows } from './export.js';
import { EXPORT_JOBS } from './export.jobs.js';
import { createReportsRepository } from './reports.repository.js';
import { createReportsService } from './reports.service.js';

const NAMES = ['=HYPERLINK("http://evil.example","click")', '+1 sale', '-minus', '@at', '\tTab', '张伟'];
const range = 'from=2026-11-20T00:00:00Z&to=2026-11-23T00:00:00Z';
const csvRows = (body: string) => parse<Record<string, string>>(body, { bom: true, columns: true });

describe('report exports', () => {
  let ctx: TestContext;
  let ids: { queue: number; ana: number };

  beforeEach(async () => {
    ctx = await createTestContext({
      arrange: async (db: Db) => {
        const ana = await makeAgent(db, { username: 'ana', displayName: '@ana', role: 'agent' });
        await makeAgent(db, { username: 'sue', role: 'supervisor' });
        await makeAgent(db, { username: 'sam', role: 'supervisor' });
        await makeAgent(db, { username: 'ada', role: 'admin' });
        const queue = makeQueue(db, '-Support');
        const repo = createInteractionsRepository(db);
        // Twelve calls over two days, every other one abandoned, the customers' names formula-like.
        for (let n = 0; n < 12; n += 1) {
          const customerId = makeCustomer(db, { name: NAMES[n % NAMES.length]! });
          const arrivedAt = new Date(Date.parse('2026-11-20T17:50:00Z') + n * 3 * 3600_000).toISOString();
          call(repo, n, {
            queueId: queue,
            arrivedAt,
            wait: 10,
            customerId,
            ...(n % 2 ? {} : { agentId: ana }),
          });
        }
        ids = { queue, ana };
      },
    });
  });
  afterEach(() => ctx.close());

  const user = async (name: string) => as(ctx.app, await login(ctx.app, name, 'test-password'));
  const audits = () =>
    ctx.db
      .prepare(
        "SELECT action, entity_id AS id, details FROM audit_log WHERE entity_type = 'report_export' ORDER BY audit_log.id",
      )
      .all() as { action: string; id: string | null; details: string }[];

  it("streams a summary's table as CSV: the JSON rows, a BOM, formula-safe names", async () => {
    const sue = await user('sue');
    const query = `${range}&interval=day&by=queue&timeZone=Asia/Kolkata`;
    const json = (await sue('GET', `/api/reports/summary?${query}`)).json();
    const response = await sue('GET', `/api/reports/summary.csv?${query}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="summary-2026-11-20-2026-11-23.csv"',
    );
    expect([...response.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = csvRows(response.body);
    expect(rows).toHaveLength(json.rows.length);
    json.rows.forEach((row: { periodLabel: string; metrics: Record<string, number | null> }, i: number) => {
      expect(rows[i]).toMatchObject({
        period: row.periodLabel,
        groupId: String(ids.queue),
        group: "'-Support",
      });
      for (const [name, value] of Object.entries(row.metrics))
        expect(rows[i]![name], name).toBe(value === null ? '' : String(value));
    });
    expect(rows[0]!.period).toBe('2026-11-20T05:30:00+05:30');
    // Without interval or by, the one row is the totals.
    const totals = csvRows((await sue('GET', `/api/reports/summary.csv?${range}`)).body);
    expect(totals).toHaveLength(1);
    expect(totals[0]).toMatchObject({ period: '', group: '', offered: '12', abandoned: '6' });
  });

  it('streams every interaction behind a figure, local times, formula injection defused', async () => {
    const sue = await user('sue');
    const query = `${range}&metric=offered&timeZone=America/New_York`;
    const json = (await sue('GET', `/api/reports/interactions?${query}&limit=200`)).json();
    const response = await sue('GET', `/api/reports/interactions.csv?${query}`);
    expect(response.statusCode).toBe(200);
    expect(response.body.startsWith('\uFEFFinteractionId,arrivedAt,')).toBe(true);
    const rows = csvRows(response.body);
    expect(rows.map((r) => Number(r.interactionId))).toEqual(
      json.items.map((i: { interactionId: number }) => i.interactionId),
    );
    expect(rows[0]).toMatchObject({
      arrivedAt: '2026-11-20T12:50:00-05:00',
      queue: "'-Support",
      agent: "'@ana",
      customer: '\'=HYPERLINK("http://evil.example","click")',
      outcome: json.items[0].outcome ?? '',
    });
    expect(rows.slice(0, 6).map((r) => r.customer)).toEqual([
      '\'=HYPERLINK("http://evil.example","click")',
      "'+1 sale",
      "'-minus",
      "'@at",
      "'\tTab",
      '张伟',
    ]);
    expect(rows[1]!.agent).toBe('');
  });

  it('reads the interactions a keyset page at a time, whatever the page size', () => {
    const reports = createReportsService({
      repository: createReportsRepository(ctx.db),
      customers: createCustomerReportsRepository(ctx.db),
      ivr: createIvrReportsRepository(ctx.db),
      segments: () => null,
      clock: ctx.clock,
    });
    const query = {
      from: '2026-11-20T00:00:00Z',
      to: '2026-11-23T00:00:00Z',
      timeZone: 'UTC',
      metric: 'abandoned' as const,
    };
    const progress: number[] = [];
    const small = [...interactionRows(reports, query, 4, (n) => progress.push(n))];
    expect(small).toEqual([...interactionRows(reports, query, 1000)]);
    expect(small).toHaveLength(6);
    expect(progress).toEqual([4, 6]);
  });

  it('runs a long export as a job: queued, running, done, and the file equals the direct CSV', async () => {
    const sue = await user('sue');
    const filters = { from: '2026-11-20T00:00:00Z', to: '2026-11-23T00:00:00Z', timeZone: 'Asia/Kolkata' };
    const started = await sue('POST', '/api/reports/exports', {
      kind: 'interactions',
      query: { ...filters, metric: 'offered', queueId: ids.queue },
    });
    expect(started.statusCode).toBe(202);
    const { id } = started.json();
    let state = (await sue('GET', `/api/reports/exports/${id}`)).json();
    expect(['queued', 'running', 'done']).toContain(state.status);
    await until(async () => {
      state = (await sue('GET', `/api/reports/exports/${id}`)).json();
      return state.status === 'done';
    }, 'the export to finish');
    expect(state).toEqual({
      id,
      status: 'done',
      rowsWritten: 12,
      totalRows: 12,
      fileName: 'interactions-offered-2026-11-20-2026-11-23.csv',
    });
    const file = await sue('GET', `/api/reports/exports/${id}/file`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-disposition']).toBe(`attachment; filename="${state.fileName}"`);
    const direct = await sue(
      'GET',
      `/api/reports/interactions.csv?${new URLSearchParams({ ...filters, metric: 'offered', queueId: String(ids.queue) })}`,
    );
    expect(file.body).toBe(direct.body);

    // Only the requester or an admin sees it; another supervisor is told it does not exist.
    const sam = await user('sam');
    expect((await sam('GET', `/api/reports/exports/${id}`)).statusCode).toBe(404);
    expect((await sam('GET', `/api/reports/exports/${id}/file`)).statusCode).toBe(404);
    const ada = await user('ada');
    expect((await ada('GET', `/api/reports/exports/${id}/file`)).body).toBe(direct.body);

    // The summary kind too.
    const summary = await sue('POST', '/api/reports/exports', {
      kind: 'summary',
      query: { ...filters, by: 'queue' },
    });
    await until(
      async () => (await sue('GET', `/api/reports/exports/${summary.json().id}`)).json().status === 'done',
      'the summary export',
    );
    const summaryFile = await sue('GET', `/api/reports/exports/${summary.json().id}/file`);
    expect(summaryFile.body).toBe(
      (await sue('GET', `/api/reports/summary.csv?${new URLSearchParams({ ...filters, by: 'queue' })}`)).body,
    );

    // Every export audited, with filters but no names.
    const entries = audits();
    expect(entries.map((e) => [e.action, e.id])).toEqual([
      ['reports.export_started', id],
      ['reports.export_downloaded', id],
      ['reports.export', null],
      ['reports.export_downloaded', id],
      ['reports.export_started', summary.json().id],
      ['reports.export_downloaded', summary.json().id],
      ['reports.export', null],
    ]);
    expect(JSON.parse(entries[0]!.details)).toMatchObject({
      kind: 'interactions',
      query: { metric: 'offered' },
    });
    for (const entry of entries) expect(entry.details).not.toMatch(/HYPERLINK|张伟|Support/);
  });

  it('removes the file and its record a day after the request', async () => {
    const sue = await user('sue');
    const { id } = (
      await sue('POST', '/api/reports/exports', {
        kind: 'summary',
        query: { from: '2026-11-20T00:00:00Z', to: '2026-11-23T00:00:00Z' },
      })
    ).json();
    await until(
      async () => (await sue('GET', `/api/reports/exports/${id}`)).json().status === 'done',
      'the export',
    );
    const queue = new Queue('report-exports', {
      connection: { url: REDIS_URL },
      prefix: `${ctx.app.callStatePrefix}bull`,
    });
    try {
      const removal = (await queue.getDelayed()).find((job) => job.name === EXPORT_JOBS.remove)!;
      expect(removal.opts.delay).toBe(86_400_000);
      await removal.promote();
      await until(
        async () => (await sue('GET', `/api/reports/exports/${id}`)).statusCode === 404,
        'the removal',
      );
    } finally {
      await queue.close();
    }
  });

  it('lets only supervisors and admins export, and refuses bad input before running anything', async () => {
    const ana = await user('ana');
    const body = { kind: 'summary', query: { from: '2026-11-20T00:00:00Z', to: '2026-11-23T00:00:00Z' } };
    for (const [method, url] of [
      ['GET', `/api/reports/summary.csv?${range}`],
      ['GET', `/api/reports/interactions.csv?${range}&metric=offered`],
      ['POST', '/api/reports/exports'],
      ['GET', '/api/reports/exports/3f1c1b9e-2c7a-4a57-9b36-0c3c3c3c3c3c'],
      ['GET', '/api/reports/exports/3f1c1b9e-2c7a-4a57-9b36-0c3c3c3c3c3c/file'],
    ] as const) {
      expect((await ana(method, url, method === 'POST' ? body : undefined)).statusCode, url).toBe(403);
    }
    const sue = await user('sue');
    const bad: [string, unknown, RegExp][] = [
      [`/api/reports/summary.csv?${range}&queueId=999`, undefined, /Unknown call queue 999/],
      [
        `/api/reports/summary.csv?from=2026-10-01T00:00:00Z&to=2026-11-05T00:00:00Z&interval=15min`,
        undefined,
        /at most 31 days/,
      ],
      [
        `/api/reports/interactions.csv?${range}&metric=offered&timeZone=Mars/Base`,
        undefined,
        /Unknown time zone/,
      ],
      [
        `/api/reports/interactions.csv?from=2026-11-22T00:00:00Z&to=2026-11-20T00:00:00Z&metric=offered`,
        undefined,
        /before/,
      ],
      ['/api/reports/exports', { kind: 'interactions', query: body.query }, /metric/],
      [
        '/api/reports/exports',
        { kind: 'summary', query: { ...body.query, agentId: 999 } },
        /Unknown agent 999/,
      ],
      ['/api/reports/exports', { kind: 'nonsense', query: body.query }, /kind/],
    ];
    for (const [url, payload, message] of bad) {
      const response = await sue(payload ? 'POST' : 'GET', url, payload);
      expect(response.statusCode, url).toBe(400);
      expect(response.json().message, url).toMatch(message);
    }
    expect((await sue('GET', '/api/reports/exports/not-an-id')).statusCode).toBe(400);
    expect(audits()).toEqual([]);
    expect(ctx.db.prepare('SELECT count(*) FROM report_exports').pluck().get()).toBe(0);
  });

  it('documents the export routes in the OpenAPI document', async () => {
    const spec = (await ctx.app.inject({ method: 'GET', url: '/docs/json' })).json();
    for (const path of ['summary.csv', 'interactions.csv', 'exports', 'exports/{id}', 'exports/{id}/file'])
      expect(spec.paths, path).toHaveProperty([`/api/reports/${path}`]);
  });
});
