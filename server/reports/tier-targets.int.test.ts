import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connection.js';
import { createInteractionsRepository } from '../interactions/index.js';
import { playInboundCall as call } from '../testing/played-calls.js';
import { makeAgent, makeCustomer, makeQueue } from '../testing/factories.js';
import { as, createTestContext, login, type TestContext } from '../testing/harness.js';
import type { QueuesLive } from '../supervision/supervision.schemas.js';
import type { Report } from './reports.schemas.js';

describe("service level against the customer's tier's target", () => {
  let ctx: TestContext;
  let queueId: number;

  beforeEach(async () => {
    ctx = await createTestContext({
      arrange: async (db: Db) => {
        const ana = await makeAgent(db, { username: 'ana', role: 'agent' });
        await makeAgent(db, { username: 'sue', role: 'supervisor' });
        queueId = makeQueue(db, 'Support', {
          slTargetSeconds: 30,
          slTargetPercent: 80,
          tierTargets: { gold: { slTargetSeconds: 10, slTargetPercent: 90 } },
        });
        const gold = makeCustomer(db, { name: 'Olivia', tier: 'gold' });
        const bronze = makeCustomer(db, { name: 'Ben', tier: 'bronze' });
        const repo = createInteractionsRepository(db);
        const at = (minute: number) => `2026-11-22T08:${String(minute).padStart(2, '0')}:00.000Z`;
        // Gold (10 s): answered in 5 s and 8 s (within), in 12 s (not), abandoned after 20 s.
        call(repo, 1, { queueId, arrivedAt: at(0), wait: 5, agentId: ana, customerId: gold });
        call(repo, 2, { queueId, arrivedAt: at(5), wait: 12, agentId: ana, customerId: gold });
        call(repo, 3, { queueId, arrivedAt: at(10), wait: 8, agentId: ana, customerId: gold });
        call(repo, 4, { queueId, arrivedAt: at(15), wait: 20, customerId: gold });
        // Bronze (the queue's 30 s): answered in 25 s and 28 s (within), in 35 s (not), a 3 s short abandon.
        call(repo, 5, { queueId, arrivedAt: at(20), wait: 25, agentId: ana, customerId: bronze });
        call(repo, 6, { queueId, arrivedAt: at(25), wait: 28, agentId: ana, customerId: bronze });
        call(repo, 7, { queueId, arrivedAt: at(30), wait: 35, agentId: ana, customerId: bronze });
        call(repo, 8, { queueId, arrivedAt: at(35), wait: 3, customerId: bronze });
      },
    });
  });
  afterEach(() => ctx.close());

  const today = 'from=2026-11-22T00:00:00Z&to=2026-11-22T10:00:00Z';

  it('reports SL per tier against each tier’s target, and the wallboard agrees for today', async () => {
    const sue = as(ctx.app, await login(ctx.app, 'sue', 'test-password'));
    const report = (
      await sue('GET', `/api/reports/summary?${today}&queueId=${queueId}&by=tier`)
    ).json<Report>();
    const byTier = Object.fromEntries(
      report.rows.map((row) => [
        row.group!.id,
        [row.metrics.offered, row.metrics.answeredWithinTarget, row.metrics.serviceLevelPercent, row.target],
      ]),
    );
    // Gold: 2 of 4 within 10 s = 50 %. Bronze: 2 of (4 − 1 short abandon) within 30 s = 66.7 %.
    expect(byTier).toEqual({
      gold: [4, 2, 50, { slTargetSeconds: 10, slTargetPercent: 90 }],
      bronze: [4, 2, 66.7, { slTargetSeconds: 30, slTargetPercent: 80 }],
    });
    // The queue: 4 of 7 = 57.1 % (with gold held only to 30 s it would be 5 of 7).
    expect([report.totals.answeredWithinTarget, report.totals.serviceLevelPercent, report.target]).toEqual([
      4,
      57.1,
      { slTargetSeconds: 30, slTargetPercent: 80 },
    ]);

    const live = (await sue('GET', '/api/supervision/queues')).json<QueuesLive>();
    const tile = live.queues.find((q) => q.queueId === queueId)!;
    expect([tile.today.answeredWithinTarget, tile.today.serviceLevelPercent]).toEqual([
      report.totals.answeredWithinTarget,
      report.totals.serviceLevelPercent,
    ]);
    expect(tile.todayByTier).toEqual([
      {
        tier: 'gold',
        slTargetSeconds: 10,
        slTargetPercent: 90,
        offered: 4,
        answeredWithinTarget: 2,
        serviceLevelPercent: byTier.gold![2],
      },
    ]);
  });

  it('gives row targets only when a queue is filtered and rows are by tier', async () => {
    const sue = as(ctx.app, await login(ctx.app, 'sue', 'test-password'));
    const byAgent = (
      await sue('GET', `/api/reports/summary?${today}&queueId=${queueId}&by=agent`)
    ).json<Report>();
    expect(byAgent.rows.every((row) => row.target === undefined)).toBe(true);
    const allQueues = (await sue('GET', `/api/reports/summary?${today}&by=tier`)).json<Report>();
    expect(allQueues.target).toBeUndefined();
    expect(allQueues.rows.every((row) => row.target === undefined)).toBe(true);
  });
});
