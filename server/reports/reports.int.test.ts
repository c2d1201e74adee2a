import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connection.js';
import { createInteractionsRepository } from '../interactions/index.js';
import { playInboundCall as call } from '../testing/played-calls.js';
import { makeAgent, makeCustomer, makeQueue } from '../testing/factories.js';
import { as, createTestContext, login, until, type TestContext } from '../testing/harness.js';

describe('reports API', () => {
  let ctx: TestContext;
  let ids: { ana: number; queue: number; other: number; abandoned: number[] };

  beforeEach(async () => {
    ctx = await createTestContext({
      arrange: async (db: Db) => {
        const ana = await makeAgent(db, { username: 'ana', role: 'agent' });
        await makeAgent(db, { username: 'bo', role: 'agent' });
        await makeAgent(db, { username: 'sue', role: 'supervisor' });
        const queue = makeQueue(db, 'Support');
        const other = makeQueue(db, 'Sales');
        const customerId = makeCustomer(db, { name: 'Olivia', tier: 'gold' });
        const repo = createInteractionsRepository(db);
        const abandoned: number[] = [];
        // Today (the test clock is 2026-11-22T10:00Z): two answered, three abandoned (one short).
        call(repo, 1, {
          queueId: queue,
          arrivedAt: '2026-11-22T08:00:00.000Z',
          wait: 12,
          agentId: ana,
          customerId,
        });
        call(repo, 2, {
          queueId: queue,
          arrivedAt: '2026-11-22T08:20:00.000Z',
          wait: 35,
          agentId: ana,
          talk: 200,
        });
        abandoned.push(call(repo, 3, { queueId: queue, arrivedAt: '2026-11-22T09:00:00.000Z', wait: 3 }));
        abandoned.push(call(repo, 4, { queueId: queue, arrivedAt: '2026-11-22T09:10:00.000Z', wait: 50 }));
        abandoned.push(call(repo, 5, { queueId: queue, arrivedAt: '2026-11-22T09:40:00.000Z', wait: 70 }));
        // Either side of midnight in Kolkata (18:30 UTC) and of 01:00 repeated in New York (DST ends 1 Nov).
        call(repo, 6, { queueId: other, arrivedAt: '2026-11-01T18:29:00.000Z', wait: 5, agentId: ana });
        call(repo, 7, { queueId: other, arrivedAt: '2026-11-01T18:31:00.000Z', wait: 5, agentId: ana });
        call(repo, 8, { queueId: other, arrivedAt: '2026-11-01T05:10:00.000Z', wait: 5 });
        call(repo, 9, { queueId: other, arrivedAt: '2026-11-01T06:10:00.000Z', wait: 5 });
        ids = { ana, queue, other, abandoned };
      },
    });
  });
  afterEach(() => ctx.close());

  const supervisor = async () => as(ctx.app, await login(ctx.app, 'sue', 'test-password'));
  const today = 'from=2026-11-22T00:00:00Z&to=2026-11-22T10:00:00Z';

  it("agrees with the live wallboard on today's closed calls", async () => {
    const sue = await supervisor();
    const live = (await sue('GET', '/api/supervision/queues')).json();
    const wallboard = live.queues.find((q: { queueId: number }) => q.queueId === ids.queue).today;
    const report = (await sue('GET', `/api/reports/summary?${today}&queueId=${ids.queue}`)).json();
    const t = report.totals;
    expect({
      offered: t.offered,
      answered: t.answered,
      answeredWithinTarget: t.answeredWithinTarget,
      abandoned: t.abandoned,
      shortAbandoned: t.shortAbandoned,
      serviceLevelPercent: t.serviceLevelPercent,
      asaSeconds: t.asaSeconds,
      ahtSeconds: t.ahtSeconds,
      averageHoldSeconds: t.averageHoldSeconds,
      transfers: t.transfers,
    }).toEqual({
      offered: wallboard.offered,
      answered: wallboard.answered,
      answeredWithinTarget: wallboard.answeredWithinTarget,
      abandoned: wallboard.abandoned,
      shortAbandoned: wallboard.shortAbandoned,
      serviceLevelPercent: wallboard.serviceLevelPercent,
      asaSeconds: wallboard.asaSeconds,
      ahtSeconds: wallboard.ahtSeconds,
      averageHoldSeconds: wallboard.averageHoldSeconds,
      transfers: wallboard.transfers,
    });
    // 1 of 4 decided calls (5 offered − 1 short abandon) answered within 20 s.
    expect([t.offered, t.serviceLevelPercent, t.abandonPercent]).toEqual([5, 25, 50]);
  });

  it('groups by local hour and day, exactly, in half-hour zones and on DST days', async () => {
    const sue = await supervisor();
    const range = `from=2026-11-01T00:00:00Z&to=2026-11-03T00:00:00Z&queueId=${ids.other}`;
    const kolkata = (
      await sue('GET', `/api/reports/summary?${range}&interval=day&timeZone=Asia/Kolkata`)
    ).json();
    expect(
      kolkata.rows.map((r: { periodLabel: string; metrics: { offered: number } }) => [
        r.periodLabel,
        r.metrics.offered,
      ]),
    ).toEqual([
      ['2026-11-01T05:30:00+05:30', 3],
      ['2026-11-02T00:00:00+05:30', 1],
    ]);
    const utc = (await sue('GET', `/api/reports/summary?${range}&interval=day`)).json();
    expect(utc.rows.map((r: { metrics: { offered: number } }) => r.metrics.offered)).toEqual([4]);
    const newYork = (
      await sue('GET', `/api/reports/summary?${range}&interval=hour&timeZone=America/New_York`)
    ).json();
    expect(newYork.rows.slice(0, 2).map((r: { periodLabel: string }) => r.periodLabel)).toEqual([
      '2026-11-01T01:00:00-04:00',
      '2026-11-01T01:00:00-05:00',
    ]);
    const byAgent = (await sue('GET', `/api/reports/summary?${range}&by=agent`)).json();
    expect(
      byAgent.rows.map((r: { group: unknown; metrics: { offered: number } }) => [r.group, r.metrics.offered]),
    ).toEqual([
      [{ id: null, name: null }, 2],
      [{ id: ids.ana, name: 'ana' }, 2],
    ]);
  });

  it('refuses bad input with a clear 400', async () => {
    const sue = await supervisor();
    const cases: [string, RegExp][] = [
      ['from=2026-10-01T00:00:00Z&to=2026-11-05T00:00:00Z&interval=15min', /at most 31 days/],
      ['from=2026-11-05T00:00:00Z&to=2026-11-01T00:00:00Z', /from must be before to/],
      ['from=2026-11-01T00:07:00Z&to=2026-11-05T00:00:00Z', /quarter hour/],
      [`${today}&queueId=999`, /Unknown call queue 999/],
      [`${today}&agentId=999`, /Unknown agent 999/],
      [`${today}&wrapUpCodeId=999`, /Unknown wrap-up code 999/],
      [`${today}&timeZone=Mars/Olympus_Mons`, /Unknown time zone "Mars\/Olympus_Mons"/],
      [`${today}&interval=fortnight`, /interval/],
      [`${today}&lifecycleStage=churned`, /lifecycleStage/],
    ];
    for (const [query, message] of cases) {
      const response = await sue('GET', `/api/reports/summary?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().message, query).toMatch(message);
    }
    const drill = await sue(
      'GET',
      `/api/reports/interactions?${today}&metric=abandoned&timeZone=Nowhere/Land`,
    );
    expect(drill.statusCode).toBe(400);
  });

  it("filters and groups by the caller's lifecycle stage when the call closed", async () => {
    const sue = await supervisor();
    const summary = async (query: string) =>
      (await sue('GET', `/api/reports/summary?${today}&${query}`)).json();
    expect((await summary('lifecycleStage=new')).totals.contacts).toBe(1);
    expect((await summary('lifecycleStage=lost')).totals.contacts).toBe(0);
    const byStage = await summary('by=lifecycle');
    expect(byStage.rows.map((row: { group: unknown }) => row.group)).toEqual([
      { id: null, name: null },
      { id: 'new', name: 'new' },
    ]);
  });

  it("shows a queue's agents needed beside those staffed per 15 minutes", async () => {
    const sue = await supervisor();
    const staffing = (
      await sue('GET', `/api/reports/staffing?${today}&queueId=${ids.queue}&timeZone=Asia/Kolkata`)
    ).json();
    expect(staffing).toMatchObject({ queueId: ids.queue, slTargetSeconds: 20, slTargetPercent: 80 });
    expect(staffing.rows).toHaveLength(40);
    const eight = staffing.rows.find(
      (r: { intervalStart: string }) => r.intervalStart === '2026-11-22T08:00:00.000Z',
    );
    expect(eight).toMatchObject({ intervalLabel: '2026-11-22T13:30:00+05:30', offered: 1, agentsStaffed: 0 });
    expect(eight.agentsNeeded).toBeGreaterThanOrEqual(1);
    for (const [query, message] of [
      [`${today}&queueId=999`, /Unknown call queue 999/],
      [`from=2026-10-01T00:00:00Z&to=2026-11-05T00:00:00Z&queueId=${ids.queue}`, /at most 31 days/],
    ] as const) {
      const response = await sue('GET', `/api/reports/staffing?${query}`);
      expect(response.statusCode).toBe(400);
      expect(response.json().message).toMatch(message);
    }
  });

  it('lists the interactions behind a figure, a page at a time', async () => {
    const sue = await supervisor();
    const seen: number[] = [];
    let after = '';
    for (let page = 0; page < 5; page += 1) {
      const body = (
        await sue(
          'GET',
          `/api/reports/interactions?${today}&queueId=${ids.queue}&metric=abandoned&limit=2${after}`,
        )
      ).json();
      seen.push(...body.items.map((i: { interactionId: number }) => i.interactionId));
      if (!body.nextAfter) break;
      after = `&after=${body.nextAfter}`;
    }
    expect(seen).toEqual(ids.abandoned);
    const short = (await sue('GET', `/api/reports/interactions?${today}&metric=shortAbandoned`)).json();
    expect(short.items.map((i: { interactionId: number }) => i.interactionId)).toEqual([ids.abandoned[0]]);
  });

  it('documents every report route in the OpenAPI document', async () => {
    const spec = (await ctx.app.inject({ method: 'GET', url: '/docs/json' })).json();
    for (const route of ['summary', 'interactions', 'staffing', 'agent-times', 'customers', 'me']) {
      expect(spec.paths, route).toHaveProperty([`/api/reports/${route}`]);
    }
    expect(spec.paths['/api/reports/summary'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['from', 'to', 'timeZone', 'queueId', 'interval', 'by']),
    );
  });

  it('lets supervisors see everything and agents only their own figures', async () => {
    const routes = [
      `/api/reports/summary?${today}`,
      `/api/reports/interactions?${today}&metric=offered`,
      `/api/reports/staffing?${today}&queueId=${ids.queue}`,
      `/api/reports/agent-times?${today}`,
      `/api/reports/customers?${today}`,
    ];
    const ana = as(ctx.app, await login(ctx.app, 'ana', 'test-password'));
    const bo = as(ctx.app, await login(ctx.app, 'bo', 'test-password'));
    for (const url of [...routes, `/api/reports/me?${today}`]) {
      expect((await ctx.app.inject({ method: 'GET', url })).statusCode, url).toBe(401);
    }
    for (const url of routes) expect((await ana('GET', url)).statusCode, url).toBe(403);
    const sue = await supervisor();
    for (const url of routes) expect((await sue('GET', url)).statusCode, url).toBe(200);
    expect((await ana('GET', `/api/reports/me?${today}`)).json().totals).toMatchObject({
      answered: 2,
      handled: 2,
    });
    expect((await bo('GET', `/api/reports/me?${today}`)).json().totals).toMatchObject({ answered: 0 });
    // Filters other than the range are not the agent's to choose.
    const sneaky = await ana('GET', `/api/reports/me?${today}&agentId=${ids.ana + 1}`);
    expect(sneaky.json().totals.answered).toBe(2);
  });

  it('records every agent status change the ACD makes, with its reason', async () => {
    const sue = await supervisor();
    for (const body of [
      { status: 'break', reason: 'lunch' },
      { status: 'available' },
      { status: 'offline' },
    ]) {
      expect((await sue('POST', `/api/supervision/agents/${ids.ana}/status`, body)).statusCode).toBe(204);
      ctx.clock.advance(60_000);
    }
    await until(
      () =>
        ctx.db
          .prepare('SELECT count(*) FROM agent_status_history WHERE agent_id = ? AND started_at = ?')
          .pluck()
          .get(ids.ana, '2026-11-22T10:02:00.000Z') === 1,
      'the sign-out in the status history',
    );
    const rows = ctx.db
      .prepare(
        'SELECT status, reason, started_at FROM agent_status_history WHERE agent_id = ? ORDER BY started_at, id',
      )
      .all(ids.ana);
    // Signing in (by the supervisor's break) starts on the login break; the reason changes in place.
    expect(rows.map((r) => Object.values(r as object).slice(0, 2))).toEqual([
      ['offline', null],
      ['break', 'login'],
      ['break', 'lunch'],
      ['available', null],
      ['offline', null],
    ]);
    expect(rows.slice(-3)).toEqual([
      { status: 'break', reason: 'lunch', started_at: '2026-11-22T10:00:00.000Z' },
      { status: 'available', reason: null, started_at: '2026-11-22T10:01:00.000Z' },
      { status: 'offline', reason: null, started_at: '2026-11-22T10:02:00.000Z' },
    ]);
    // The clock is at 10:03: a minute each on break, available and signed out so far.
    const times = (
      await sue(
        'GET',
        `/api/reports/agent-times?from=2026-11-22T10:00:00Z&to=2026-11-22T10:15:00Z&agentId=${ids.ana}`,
      )
    ).json();
    expect(times.agents).toEqual([
      {
        agentId: ids.ana,
        agentName: 'ana',
        seconds: { offline: 60, available: 60, reserved: 0, on_call: 0, wrap_up: 0, break: 60 },
        signedInSeconds: 120,
        occupancyPercent: 0,
        utilisationPercent: 0,
      },
    ]);
  });
});
