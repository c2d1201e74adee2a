import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Me } from '../auth/auth.schemas.js';
import type { ClientToServerEvents, DeskState, ServerToClientEvents } from '../realtime/realtime.events.js';
import { makeAgent, makeQueue } from '../testing/factories.js';
import { as, createTestContext, login, until, type TestContext } from '../testing/harness.js';
import type { AgentsLive } from './supervision.schemas.js';

type ConsoleSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type AckResult = { ok: true } | { ok: false; error: string };

const ana: Me = { id: 1, username: 'ana', displayName: 'Ana', role: 'agent', uiLanguage: 'en' };

describe('next status: the break an agent takes when their call ends', () => {
  let ctx: TestContext;
  let socket: ConsoleSocket;
  let latest: DeskState | null;

  beforeEach(async () => {
    ctx = await createTestContext({
      app: { callTimers: false },
      arrange: async (db) => {
        await makeAgent(db, { username: 'ana' });
        await makeAgent(db, { username: 'sue', role: 'supervisor' });
        makeQueue(db, 'Support', { acwPolicy: 'none' });
      },
    });
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(ctx.app.server.address() as { port: number }).port}`;
    socket = connect(url, {
      transports: ['websocket'],
      extraHeaders: { cookie: await login(ctx.app, 'ana', 'test-password'), origin: url },
      reconnection: false,
    });
    latest = null;
    socket.on('desk:state', (state) => (latest = state));
    await new Promise<void>((resolve, reject) => {
      socket.on('connect', resolve);
      socket.on('connect_error', reject);
    });
  });

  afterEach(async () => {
    socket.disconnect();
    await ctx.close();
  });

  const planNext = (reason: string | null) =>
    new Promise<AckResult>((resolve) => socket.emit('agent:plan-next', { reason }, resolve));

  /** Ana takes a call from the Support queue; her phone answers. */
  async function onCall(): Promise<number> {
    const { interactionId } = await ctx.app.calls.arrive({
      provider: 'twilio',
      providerCallId: `CA${'1'.padStart(32, '0')}`,
      from: '+14155550123',
      to: '+14155550100',
    });
    await ctx.app.calls.enqueue(interactionId, {
      queueName: 'Support',
      priorityBoostSeconds: 0,
      ivrAnswers: {},
    });
    await ctx.app.calls.setStatus(ana, { status: 'available' });
    const offer = (await ctx.app.calls.deskState(ana.id)).offer;
    if (!offer) throw new Error('ana has no offer');
    await ctx.app.calls.accept(ana, offer.reservationId);
    await ctx.app.calls.agentLegAnswered(interactionId);
    return interactionId;
  }

  it('lets the agent plan a break on a call, shows it on the desk, and takes it on hang-up', async () => {
    expect(await planNext('lunch')).toEqual({
      ok: false,
      error: 'A next status can be planned only while ringing, on a call or in wrap-up',
      code: 'next_status_not_now',
    });
    const call = await onCall();
    expect(await planNext('nap')).toEqual({
      ok: false,
      error: 'Unknown break reason "nap"',
      code: 'unknown_break_reason',
      params: { reason: 'nap' },
    });
    expect(await planNext('')).toMatchObject({ ok: false, error: expect.stringMatching(/Invalid request/) });
    expect((await ctx.app.acd.getAgent(ana.id))?.nextReason).toBeNull();

    expect(await planNext('lunch')).toEqual({ ok: true });
    await until(() => latest?.nextReason === 'lunch', 'the desk shows the plan');
    expect(latest).toMatchObject({ status: 'on_call', nextReason: 'lunch' });

    await ctx.app.calls.callerEnded(call);
    await until(() => latest?.status === 'break', 'the desk shows the break');
    expect(latest).toMatchObject({ status: 'break', reason: 'lunch', nextReason: null });
  });

  it('lets a supervisor plan it for a busy agent, audited, and refuses agents and bad requests', async () => {
    const supervisor = as(ctx.app, await login(ctx.app, 'sue', 'test-password'));
    const agent = as(ctx.app, await login(ctx.app, 'ana', 'test-password'));
    const url = `/api/supervision/agents/${ana.id}/next-status`;
    await onCall();

    const refused: [typeof supervisor, string, unknown, number, RegExp][] = [
      [agent, url, { reason: 'lunch' }, 403, /./],
      [supervisor, url, { reason: 'nap' }, 400, /Unknown break reason "nap"/],
      [supervisor, url, { reason: '' }, 400, /Invalid body/],
      [supervisor, url, {}, 400, /Invalid body/],
      [supervisor, '/api/supervision/agents/99/next-status', { reason: 'lunch' }, 404, /Agent 99/],
    ];
    for (const [who, path, body, status, message] of refused) {
      const response = await who('PUT', path, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(status);
      expect(response.json().message).toMatch(message);
    }
    expect((await ctx.app.acd.getAgent(ana.id))?.nextReason).toBeNull();
    expect(
      ctx.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action LIKE 'supervision.%'").get(),
    ).toEqual({
      n: 0,
    });

    expect((await supervisor('PUT', url, { reason: 'training' })).statusCode).toBe(204);
    await until(() => latest?.nextReason === 'training', 'the agent’s desk shows the plan');
    const live = (await supervisor('GET', '/api/supervision/agents')).json<AgentsLive>();
    expect(live.agents.find((a) => a.agentId === ana.id)).toMatchObject({
      status: 'on_call',
      nextReason: 'training',
    });
    expect((await supervisor('PUT', url, { reason: null })).statusCode).toBe(204);
    expect((await ctx.app.acd.getAgent(ana.id))?.nextReason).toBeNull();
    expect(
      ctx.db
        .prepare(
          "SELECT action, entity_id, actor_agent_id, details FROM audit_log WHERE action LIKE 'supervision.%'",
        )
        .all(),
    ).toEqual([
      {
        action: 'supervision.agent_next_status',
        entity_id: String(ana.id),
        actor_agent_id: 2,
        details: JSON.stringify({ reason: 'training' }),
      },
      {
        action: 'supervision.agent_next_status',
        entity_id: String(ana.id),
        actor_agent_id: 2,
        details: JSON.stringify({ reason: null }),
      },
    ]);
  });

  it('refuses a supervisor’s plan for an agent who is not busy', async () => {
    const supervisor = as(ctx.app, await login(ctx.app, 'sue', 'test-password'));
    const response = await supervisor('PUT', `/api/supervision/agents/${ana.id}/next-status`, {
      reason: 'lunch',
    });
    expect(response.statusCode).toBe(409);
    expect(response.json().message).toMatch(/only while ringing, on a call or in wrap-up/);
  });
});
