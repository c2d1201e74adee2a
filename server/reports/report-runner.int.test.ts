import { reportsServiceOn } from './reports-on-db.js';
import type { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connection.js';
import { createInteractionsRepository } from '../interactions/index.js';
import { makeAgent, makeCustomer, makeQueue } from '../testing/factories.js';
import { as, createTestContext, login, type TestContext } from '../testing/harness.js';
import { playInboundCall } from '../testing/played-calls.js';
import { createReportRunner, spawnReportWorker } from './report-runner.js';

const YEAR = 'from=2025-11-01T00:00:00Z&to=2026-11-01T00:00:00Z';

/**
 * A year of 15-minute rollup rows for 12 agents of one queue (about 420,000 rows), written in one
 * statement: a year by month per agent of one tier, which only the 15-minute table answers, then sums
 * them all, for the best part of a second.
 */
function fillAYearOfRollups(db: Db, queueId: number) {
  db.prepare(
    `WITH RECURSIVE
       bucket(t) AS (SELECT unixepoch('2025-11-01') UNION ALL
                     SELECT t + 900 FROM bucket WHERE t + 900 < unixepoch('2026-11-01')),
       agent(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM agent WHERE n < 12)
     INSERT INTO report_rollups
       (bucket_start, queue_id, agent_id, tier, lifecycle_stage, wrap_up_code_id, direction, provider,
        contacts, offered, answered, handled, answer_wait_ms, talk_ms)
     SELECT t, ?, n, 'gold', '', 0, 'inbound', 'twilio', 1, 1, 1, 1, 20000, 90000 FROM bucket, agent`,
  ).run(queueId);
}

describe('report queries on a worker thread', () => {
  let ctx: TestContext;
  let ids: { ana: number; queue: number };

  beforeEach(async () => {
    ctx = await createTestContext({
      arrange: async (db: Db) => {
        const ana = await makeAgent(db, { username: 'ana', role: 'agent' });
        await makeAgent(db, { username: 'sue', role: 'supervisor' });
        const queue = makeQueue(db, 'Support');
        const customerId = makeCustomer(db, { name: 'Olivia', tier: 'gold' });
        const repo = createInteractionsRepository(db);
        const today = (hh: string) => `2026-11-22T${hh}:00.000Z`;
        playInboundCall(repo, 1, {
          queueId: queue,
          arrivedAt: today('08:00'),
          wait: 12,
          agentId: ana,
          customerId,
        });
        playInboundCall(repo, 2, { queueId: queue, arrivedAt: today('08:20'), wait: 35, agentId: ana });
        playInboundCall(repo, 3, { queueId: queue, arrivedAt: today('09:00'), wait: 40, customerId });
        playInboundCall(repo, 4, { queueId: queue, arrivedAt: today('09:10'), wait: 3 });
        ids = { ana, queue };
      },
    });
  });
  afterEach(() => ctx.close());

  it('answers every report route as the service does in process, and refuses bad input with 400', async () => {
    const sue = as(ctx.app, await login(ctx.app, 'sue', 'test-password'));
    const inProcess = reportsServiceOn(ctx.db, ctx.clock);
    const range = { from: '2026-11-22T00:00:00Z', to: '2026-11-22T10:00:00Z', timeZone: 'UTC' };
    const today = `from=${range.from}&to=${range.to}`;
    const cases: [string, unknown][] = [
      [
        `/api/reports/summary?${today}&interval=hour&by=agent`,
        inProcess.summary({ ...range, interval: 'hour', by: 'agent' }),
      ],
      [
        `/api/reports/interactions?${today}&metric=offered&limit=2`,
        inProcess.drill({ ...range, metric: 'offered', limit: 2 }),
      ],
      [
        `/api/reports/staffing?${today}&queueId=${ids.queue}`,
        inProcess.staffing({ ...range, queueId: ids.queue }),
      ],
      [`/api/reports/agent-times?${today}`, inProcess.agentTimes(range)],
      [`/api/reports/customers?${today}`, inProcess.customers({ ...range, repeatDays: 7 })],
    ];
    for (const [url, expected] of cases) {
      const response = await sue('GET', url);
      expect(response.statusCode, url).toBe(200);
      expect(response.json(), url).toEqual(JSON.parse(JSON.stringify(expected)));
    }
    const ana = as(ctx.app, await login(ctx.app, 'ana', 'test-password'));
    expect((await ana('GET', `/api/reports/me?${today}`)).json()).toEqual(
      JSON.parse(JSON.stringify(inProcess.summary({ ...range, agentId: ids.ana }))),
    );

    // Refused inside the worker, which alone reads the database: still 400 with the service's reason.
    const unknownQueue = await sue('GET', `/api/reports/staffing?${today}&queueId=999`);
    expect(unknownQueue.statusCode).toBe(400);
    expect(unknownQueue.json().message).toBe('Unknown call queue 999');
    expect((await sue('GET', `/api/reports/summary?${today}&timeZone=Mars/Base`)).statusCode).toBe(400);
  });

  it('keeps the event loop answering while a year-long report runs', async () => {
    fillAYearOfRollups(ctx.db, ids.queue);
    const sue = as(ctx.app, await login(ctx.app, 'sue', 'test-password'));
    // A first report starts the worker, so that the year below is all query.
    expect(
      (await sue('GET', '/api/reports/summary?from=2026-11-22T00:00:00Z&to=2026-11-22T01:00:00Z')).statusCode,
    ).toBe(200);

    let reportDone = false;
    const year = sue('GET', `/api/reports/summary?${YEAR}&interval=month&by=agent&tier=gold`).then(
      (response) => {
        reportDone = true;
        return response;
      },
    );
    for (let i = 0; i < 3; i += 1) {
      expect((await ctx.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
      expect(reportDone).toBe(false);
    }
    const report = await year;
    expect(report.statusCode).toBe(200);
    expect(report.json().totals.offered).toBe(12 * 365 * 96);
  });

  it('answers 503 for the report a dying worker held, and runs the next one on a new worker', async () => {
    fillAYearOfRollups(ctx.db, ids.queue);
    const workers: Worker[] = [];
    const runner = createReportRunner({
      file: ctx.config.databaseFile,
      workers: 1,
      clock: ctx.clock,
      log: ctx.app.log,
      spawn: (file) => {
        const worker = spawnReportWorker(file);
        workers.push(worker);
        return worker;
      },
    });
    const day = { from: '2026-11-22T00:00:00Z', to: '2026-11-22T10:00:00Z', timeZone: 'UTC' };
    try {
      expect((await runner.summary(day)).totals.offered).toBe(4);
      const held = runner.summary({
        from: '2025-11-01T00:00:00Z',
        to: '2026-11-01T00:00:00Z',
        timeZone: 'UTC',
        interval: 'month',
        by: 'agent',
        tier: 'gold',
      });
      const waiting = runner.summary(day);
      await workers[0]!.terminate();
      await expect(held).rejects.toMatchObject({ statusCode: 503 });
      expect((await waiting).totals.offered).toBe(4);
      expect(workers).toHaveLength(2);
    } finally {
      await runner.close();
    }
    // Once closed, a report is refused at once rather than left waiting.
    await expect(runner.summary(day)).rejects.toMatchObject({ statusCode: 503 });
  });
});
