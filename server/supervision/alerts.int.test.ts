import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Me } from '../auth/auth.schemas.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../realtime/realtime.events.js';
import { createInteractionsRepository } from '../interactions/index.js';
import { makeAgent, makeCustomer, makeQueue, setQueue } from '../testing/factories.js';
import { playInboundCall as call } from '../testing/played-calls.js';
import { until, as, createTestContext, login, type TestContext } from '../testing/harness.js';
import type { Alert } from './supervision.schemas.js';

type ConsoleSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
const SECRET = 'a-shared-secret-of-the-chat-tool';

describe('supervision alerts', () => {
  let ctx: TestContext;
  let hook: Server;
  let delivered: { headers: Record<string, string | string[] | undefined>; body: string }[];
  let sockets: ConsoleSocket[];

  beforeEach(async () => {
    delivered = [];
    hook = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        delivered.push({ headers: request.headers, body });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    const hookPort = (hook.address() as { port: number }).port;
    ctx = await createTestContext({
      app: { callTimers: false },
      env: { ALERT_WEBHOOK_URL: `http://127.0.0.1:${hookPort}/alerts`, ALERT_WEBHOOK_SECRET: SECRET },
      arrange: async (db) => {
        await makeAgent(db, { username: 'ana' });
        await makeAgent(db, { username: 'sue', role: 'supervisor' });
        makeQueue(db, 'Support');
      },
    });
    sockets = [];
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  });

  afterEach(async () => {
    for (const socket of sockets) socket.disconnect();
    await ctx.close();
    await new Promise((resolve) => hook.close(resolve));
  });

  async function alertsOf(username: string): Promise<Alert[]> {
    const origin = `http://127.0.0.1:${(ctx.app.server.address() as { port: number }).port}`;
    const cookie = await login(ctx.app, username, 'test-password');
    const socket: ConsoleSocket = connect(origin, {
      transports: ['websocket'],
      extraHeaders: { cookie, origin },
      reconnection: false,
    });
    sockets.push(socket);
    const alerts: Alert[] = [];
    socket.on('supervision:alert', (alert) => alerts.push(alert));
    await new Promise<void>((resolve) => socket.on('connect', resolve));
    return alerts;
  }

  async function queued() {
    const { interactionId } = await ctx.app.calls.arrive({
      provider: 'twilio',
      providerCallId: `CA${'1'.repeat(32)}`,
      from: '+14155550123',
      to: '+14155550100',
    });
    await ctx.app.calls.enqueue(interactionId, {
      queueName: 'Support',
      priorityBoostSeconds: 0,
      ivrAnswers: {},
    });
    return interactionId;
  }

  const kinds = (alerts: readonly Alert[]) => alerts.map((a) => a.kind);

  it('tells supervisors, not agents, once per episode, and posts a signed webhook', async () => {
    const supervisorAlerts = await alertsOf('sue');
    const agentAlerts = await alertsOf('ana');
    const supervisor = as(ctx.app, await login(ctx.app, 'sue', 'test-password'));
    const patched = await supervisor('PATCH', '/api/supervision/queues/1/alert-thresholds', {
      longestWaitSeconds: 30,
    });
    expect(patched.json()).toEqual({
      queueId: 1,
      serviceLevelPercent: 80,
      longestWaitSeconds: 30,
      noAgent: true,
      agentStatusSeconds: null,
    });

    // A call waits and nobody is available.
    await queued();
    await until(() => supervisorAlerts.length === 1, 'the no-agent alert');
    expect(supervisorAlerts[0]).toMatchObject({ kind: 'no_agent', queueName: 'Support', value: 1 });

    // Half a minute on, the caller has waited too long.
    ctx.clock.advance(31_000);
    await until(() => supervisorAlerts.length === 2, 'the longest-wait alert');
    expect(supervisorAlerts[1]).toMatchObject({ kind: 'longest_wait', value: 31, threshold: 30 });

    // ana answers late: the service level of the last 15 minutes is 0 %, under the 80 % target.
    const ana: Me = { id: 1, username: 'ana', displayName: 'ana', role: 'agent', uiLanguage: 'en' };
    await ctx.app.calls.setStatus(ana, { status: 'available' });
    const offer = (await ctx.app.calls.deskState(ana.id)).offer!;
    await ctx.app.calls.accept(ana, offer.reservationId);
    await ctx.app.calls.agentLegAnswered(offer.interactionId);
    await ctx.app.calls.callerEnded(offer.interactionId);
    await until(() => supervisorAlerts.length === 3, 'the service-level alert');
    expect(supervisorAlerts[2]).toMatchObject({ kind: 'service_level', value: 0, threshold: 80 });

    // Conditions that persist are not raised again.
    await new Promise((resolve) => setTimeout(resolve, 2200));
    expect(kinds(supervisorAlerts)).toEqual(['no_agent', 'longest_wait', 'service_level']);
    expect(agentAlerts).toEqual([]);

    await until(() => delivered.length === 3, 'three webhooks');
    for (const { headers, body } of delivered) {
      const expected = createHmac('sha256', SECRET)
        .update(`${String(headers['x-cti-timestamp'])}.${body}`)
        .digest('hex');
      expect(headers['x-cti-signature']).toBe(`sha256=${expected}`);
      expect(headers['content-type']).toBe('application/json');
    }
    expect(delivered.map((d) => (JSON.parse(d.body) as Alert).kind)).toEqual(kinds(supervisorAlerts));
    expect(JSON.parse(delivered[0]!.body)).toMatchObject({
      message: 'Support: 1 waiting, no agent available',
    });
  });

  it('tells when an agent stays in one status longer than their queue allows, once per status', async () => {
    const supervisorAlerts = await alertsOf('sue');
    const supervisor = as(ctx.app, await login(ctx.app, 'sue', 'test-password'));
    await supervisor('PATCH', '/api/supervision/queues/1/alert-thresholds', {
      agentStatusSeconds: 60,
      noAgent: false,
    });
    const ana: Me = { id: 1, username: 'ana', displayName: 'ana', role: 'agent', uiLanguage: 'en' };
    await ctx.app.calls.setStatus(ana, { status: 'break', reason: 'lunch' });
    ctx.clock.advance(59_000);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(supervisorAlerts).toEqual([]);
    ctx.clock.advance(2000);
    await until(() => supervisorAlerts.length === 1, 'the agent-status alert');
    expect(supervisorAlerts[0]).toMatchObject({
      kind: 'agent_status',
      agentId: 1,
      agentName: 'ana',
      queueName: 'Support',
      value: 61,
      threshold: 60,
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(supervisorAlerts).toHaveLength(1);
    // A new status starts a new count.
    await ctx.app.calls.setStatus(ana, { status: 'available' });
    ctx.clock.advance(61_000);
    await until(() => supervisorAlerts.length === 2, 'the alert for the new status');
    expect(supervisorAlerts[1]).toMatchObject({ kind: 'agent_status', value: 61 });
  });

  it("alerts on a tier below its own target while the queue's service level meets the queue's", async () => {
    const queueId = setQueue(ctx.db, 'Support', {
      slTargetSeconds: 30,
      tierTargets: { gold: { slTargetSeconds: 10, slTargetPercent: 90 } },
    });
    const gold = makeCustomer(ctx.db, { name: 'Olivia', tier: 'gold' });
    const bronze = makeCustomer(ctx.db, { name: 'Ben', tier: 'bronze' });
    const repo = createInteractionsRepository(ctx.db);
    // In the last 15 minutes: four bronze calls answered in 25 s (within the queue's 30 s) and a gold
    // one in 12 s, past gold's 10 s. The queue: 4 of 5 = 80 %, not below 80 %; gold: 0 of 1, below 90 %.
    for (let n = 1; n <= 4; n += 1) {
      call(repo, n, {
        queueId,
        arrivedAt: `2026-11-22T09:5${n}:00.000Z`,
        wait: 25,
        agentId: 1,
        customerId: bronze,
      });
    }
    call(repo, 5, { queueId, arrivedAt: '2026-11-22T09:55:00.000Z', wait: 12, agentId: 1, customerId: gold });

    const supervisorAlerts = await alertsOf('sue');
    await until(() => supervisorAlerts.length === 1, "gold's service-level alert");
    expect(supervisorAlerts[0]).toMatchObject({
      kind: 'service_level',
      tier: 'gold',
      queueName: 'Support',
      value: 0,
      threshold: 90,
      message: 'Support: gold service level 0% over the last 15 minutes is below 90%',
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(supervisorAlerts).toHaveLength(1);
  });

  it('refuses bad thresholds and agents, changing nothing', async () => {
    const supervisor = as(ctx.app, await login(ctx.app, 'sue', 'test-password'));
    const agent = as(ctx.app, await login(ctx.app, 'ana', 'test-password'));
    const before = (await supervisor('GET', '/api/supervision/alert-thresholds')).json();
    expect(before.items).toEqual([
      {
        queueId: 1,
        serviceLevelPercent: 80,
        longestWaitSeconds: null,
        noAgent: true,
        agentStatusSeconds: null,
      },
    ]);
    for (const body of [
      { serviceLevelPercent: 0 },
      { longestWaitSeconds: 'long' },
      { noAgent: 1 },
      { other: 1 },
    ]) {
      const response = await supervisor('PATCH', '/api/supervision/queues/1/alert-thresholds', body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().message).toMatch(/^Invalid body/);
    }
    expect(
      (await supervisor('PATCH', '/api/supervision/queues/9/alert-thresholds', { noAgent: false }))
        .statusCode,
    ).toBe(404);
    expect(
      (await agent('PATCH', '/api/supervision/queues/1/alert-thresholds', { noAgent: false })).statusCode,
    ).toBe(403);
    expect((await agent('GET', '/api/supervision/alert-thresholds')).statusCode).toBe(403);
    expect((await supervisor('GET', '/api/supervision/alert-thresholds')).json()).toEqual(before);
  });
});
