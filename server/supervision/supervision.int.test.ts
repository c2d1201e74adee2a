import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Me } from '../auth/auth.schemas.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../realtime/realtime.events.js';
import { buildApp } from '../app.js';
import { makeAgent, makeCustomer, makeQueue } from '../testing/factories.js';
import { until, as, createTestContext, login, type TestContext } from '../testing/harness.js';
import type { AgentsLive, QueueLive, QueuesLive } from './supervision.schemas.js';

type ConsoleSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const me = (id: number, username: string, role: Me['role'] = 'agent'): Me => ({
  id,
  username,
  displayName: username,
  role,
  uiLanguage: 'en',
});

describe('supervision: live views and interventions', () => {
  let ctx: TestContext;
  let origin: string;
  let ana: Me;
  let bob: Me;
  let sockets: ConsoleSocket[];
  let callSeq: number;

  beforeEach(async () => {
    ctx = await createTestContext({
      app: { callTimers: false },
      env: { SHORT_ABANDON_SECONDS: '5' },
      arrange: async (db) => {
        await makeAgent(db, { username: 'ana', displayName: 'Ana Silva' });
        await makeAgent(db, { username: 'bob' });
        await makeAgent(db, { username: 'sue', displayName: 'Sue Park', role: 'supervisor' });
        makeQueue(db, 'Support', { slTargetSeconds: 20, acwPolicy: 'optional' });
        makeQueue(db, 'Sales', { slTargetSeconds: 20, acwPolicy: 'optional' });
        makeCustomer(db, { name: 'Olivia Carter', tier: 'gold', phones: ['+14155550123'] });
      },
    });
    ana = me(1, 'ana');
    bob = me(2, 'bob');
    sockets = [];
    callSeq = 0;
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    origin = `http://127.0.0.1:${(ctx.app.server.address() as { port: number }).port}`;
  });

  afterEach(async () => {
    for (const socket of sockets) socket.disconnect();
    await ctx.close();
  });

  async function openSocket(username: string, url = origin): Promise<ConsoleSocket> {
    const cookie = await login(ctx.app, username, 'test-password');
    const socket: ConsoleSocket = connect(url, {
      transports: ['websocket'],
      extraHeaders: { cookie, origin: url },
      reconnection: false,
    });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.on('connect', resolve);
      socket.on('connect_error', reject);
    });
    return socket;
  }

  const join = (socket: ConsoleSocket, view: 'queues' | 'agents') =>
    new Promise<{ ok: boolean; error?: string }>((resolve) =>
      socket.emit('supervision:join', { view }, resolve),
    );

  /** A call arrives and waits in a queue, as the IVR hands it over. */
  async function queued(queueName = 'Support', from = '+14155550123', app = ctx.app) {
    callSeq += 1;
    const { interactionId } = await app.calls.arrive({
      provider: 'twilio',
      providerCallId: `CA${String(callSeq).padStart(32, '0')}`,
      from,
      to: '+14155550100',
    });
    await app.calls.enqueue(interactionId, { queueName, priorityBoostSeconds: 0, ivrAnswers: {} });
    return interactionId;
  }

  async function available(agent: Me) {
    await ctx.app.calls.setStatus(agent, { status: 'available' });
  }

  /** The agent takes the call offered to them; their phone answers. */
  async function answer(agent: Me) {
    const state = await ctx.app.calls.deskState(agent.id);
    if (!state.offer) throw new Error(`${agent.username} has no offer`);
    await ctx.app.calls.accept(agent, state.offer.reservationId);
    await ctx.app.calls.agentLegAnswered(state.offer.interactionId);
    return state.offer.interactionId;
  }

  const queuesLive = async (user = 'sue') =>
    (
      await as(ctx.app, await login(ctx.app, user, 'test-password'))('GET', '/api/supervision/queues')
    ).json<QueuesLive>();

  /** The same figures, computed here from the stored interactions with the formulas the README states. */
  function fromInteractions(queueId: number, shortAbandonSeconds: number): QueueLive['today'] {
    const rows = ctx.db
      .prepare(
        "SELECT * FROM interactions WHERE queue_id = ? AND queued_at IS NOT NULL AND arrived_at >= '2026-11-22'",
      )
      .all(queueId) as Record<string, string | number | null>[];
    const t = (v: unknown) => Date.parse(String(v));
    const answered = rows.filter((r) => r.answered_at);
    const abandoned = rows.filter((r) => !r.answered_at && r.outcome === 'abandoned');
    const short = abandoned.filter((r) => t(r.ended_at) - t(r.queued_at) < shortAbandonSeconds * 1000);
    const waiting = rows.filter((r) => !r.answered_at && !r.ended_at);
    const within = answered.filter((r) => t(r.answered_at) - t(r.queued_at) <= 20_000);
    const finished = answered.filter((r) => r.state === 'completed');
    const mean = (values: number[]) =>
      values.length ? Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 10) / 10 : null;
    const decided = rows.length - short.length - waiting.length;
    return {
      since: '2026-11-22T00:00:00.000Z',
      offered: rows.length,
      answered: answered.length,
      answeredWithinTarget: within.length,
      abandoned: abandoned.length,
      shortAbandoned: short.length,
      serviceLevelPercent: decided ? Math.round((within.length / decided) * 1000) / 10 : null,
      asaSeconds: mean(answered.map((r) => (t(r.answered_at) - t(r.queued_at)) / 1000)),
      ahtSeconds: mean(finished.map((r) => (t(r.wrap_up_ended_at ?? r.ended_at) - t(r.answered_at)) / 1000)),
      averageHoldSeconds: mean(finished.map((r) => Number(r.held_seconds))),
      transfers: rows.filter((r) => r.outcome === 'transferred').length,
    };
  }

  it("computes today's queue figures that match the stored interactions", async () => {
    const clock = ctx.clock;
    await available(ana);
    // 1: answered after 8 s, 60 s of talk, 15 s of wrap-up.
    clock.advance(8000);
    const first = await queued();
    await ctx.app.calls.dispatch();
    clock.advance(8000);
    await answer(ana);
    clock.advance(60_000);
    await ctx.app.calls.callerEnded(first);
    clock.advance(15_000);
    await ctx.app.calls.submitWrapUp(ana, { interactionId: first, wrapUpCodeId: null, notes: 'ok' });
    // 2: a short abandon (3 s) and 3: a long one (40 s), both while nobody was free.
    await ctx.app.calls.setStatus(ana, { status: 'break', reason: 'lunch' });
    const shortGone = await queued();
    clock.advance(3000);
    await ctx.app.calls.callerEnded(shortGone);
    const longGone = await queued();
    clock.advance(40_000);
    await ctx.app.calls.callerEnded(longGone);
    // 4: answered late (35 s), still in wrap-up. 5: still waiting.
    const late = await queued();
    clock.advance(35_000);
    await available(ana);
    await answer(ana);
    clock.advance(30_000);
    await ctx.app.calls.callerEnded(late);
    await queued();
    clock.advance(12_000);
    // 6: a call of the other queue does not count here.
    await queued('Sales');

    const live = await queuesLive();
    const support = live.queues.find((q) => q.name === 'Support')!;
    expect(support.today).toEqual(fromInteractions(support.queueId, 5));
    // The formulas' results, spelled out: 5 offered, 2 answered (1 within 20 s), 2 abandoned (1 short),
    // 1 waiting: SL = 1 / (5 − 1 − 1).
    expect(support.today).toMatchObject({
      offered: 5,
      answered: 2,
      answeredWithinTarget: 1,
      abandoned: 2,
      shortAbandoned: 1,
      serviceLevelPercent: 33.3,
      asaSeconds: 21.5,
      ahtSeconds: 75,
    });
    expect(support.waiting).toHaveLength(1);
    expect(support.waiting[0]).toMatchObject({ position: 1, customerName: 'Olivia Carter', tier: 'gold' });
    expect(Date.parse(support.waiting[0]!.waitingSince)).toBe(clock.now().getTime() - 12_000);
    // Only agents who ever signed in to routing are known to the ACD: ana.
    expect(support.agents).toEqual({
      offline: 0,
      available: 0,
      reserved: 0,
      on_call: 0,
      wrap_up: 1,
      break: 0,
    });
    expect(live.queues.find((q) => q.name === 'Sales')!.today.offered).toBe(1);

    const agents = (
      await as(ctx.app, await login(ctx.app, 'sue', 'test-password'))('GET', '/api/supervision/agents')
    ).json<AgentsLive>();
    const anaLive = agents.agents.find((a) => a.username === 'ana')!;
    expect(anaLive).toMatchObject({
      status: 'wrap_up',
      // Neither queue asks for a skill: ana qualifies for both.
      queueIds: [1, 2],
      handledToday: 2,
      call: { interactionId: late, customerName: 'Olivia Carter', queueName: 'Support' },
    });
  });

  it("adds up each agent's busy and staffed time today from their status changes", async () => {
    const supervisor = as(ctx.app, await login(ctx.app, 'sue', 'test-password'));
    const anaNow = async () =>
      (await supervisor('GET', '/api/supervision/agents'))
        .json<AgentsLive>()
        .agents.find((a) => a.agentId === ana.id)!;
    await available(ana);
    await anaNow();
    ctx.clock.advance(60_000);
    await queued();
    await ctx.app.calls.dispatch();
    expect(await anaNow()).toMatchObject({ status: 'reserved', busyMs: 0, staffedMs: 60_000 });
    ctx.clock.advance(5000);
    await answer(ana);
    expect(await anaNow()).toMatchObject({ status: 'on_call', busyMs: 5000, staffedMs: 65_000 });
    ctx.clock.advance(30_000);
    await ctx.app.calls.setStatus(bob, { status: 'break', reason: 'lunch' });
    const interactionId = (await ctx.app.acd.getAgent(ana.id))!.interactionId!;
    await ctx.app.calls.callerEnded(interactionId);
    // Computed again (bob's change, the timer): nothing counted twice.
    await anaNow();
    expect(await anaNow()).toMatchObject({ status: 'wrap_up', busyMs: 35_000, staffedMs: 95_000 });
    // A break is not staffed time. (A status shorter than the time between two computations counts
    // in the status before it; live, computations follow changes within a second.)
    await ctx.app.calls.submitWrapUp(ana, { interactionId, wrapUpCodeId: null, notes: '' });
    await ctx.app.calls.setStatus(ana, { status: 'break', reason: 'lunch' });
    await anaNow();
    ctx.clock.advance(600_000);
    await ctx.app.calls.setStatus(ana, { status: 'available' });
    expect(await anaNow()).toMatchObject({ status: 'available', busyMs: 35_000, staffedMs: 95_000 });
  });

  it('pushes a burst of changes to a supervisor room at most once a second, ending with every call', async () => {
    const supervisor = await openSocket('sue');
    const received: { at: number; live: QueuesLive }[] = [];
    supervisor.on('supervision:queues', (live) => received.push({ at: Date.now(), live }));
    expect(await join(supervisor, 'queues')).toEqual({ ok: true });
    await until(() => received.length >= 1, 'the current view on joining');

    const started = Date.now();
    for (let i = 0; i < 60; i += 1) {
      await queued();
      if (i % 20 === 19) await new Promise((resolve) => setTimeout(resolve, 400));
    }
    const waitingNow = (r: (typeof received)[number]) =>
      r.live.queues.find((q) => q.name === 'Support')!.waiting.length;
    await until(() => waitingNow(received.at(-1)!) === 60, 'all 60 calls on the wallboard');
    const pushes = received.slice(1);
    const elapsed = Date.now() - started;
    expect(pushes.length).toBeGreaterThanOrEqual(2);
    expect(pushes.length).toBeLessThanOrEqual(Math.ceil(elapsed / 1000) + 1);
    for (let i = 1; i < pushes.length; i += 1) {
      // The sends are a second apart; delivery on a loaded machine can delay one of two by a little.
      expect(pushes[i]!.at - pushes[i - 1]!.at).toBeGreaterThanOrEqual(750);
    }
    // Nothing changes any more: no more messages.
    const count = received.length;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(received.length).toBe(count);
  });

  it('keeps to one message a second per room with two server processes publishing', async () => {
    const other = await buildApp(ctx.config, { clock: ctx.clock, callTimers: false });
    try {
      await other.listen({ port: 0, host: '127.0.0.1' });
      const otherUrl = `http://127.0.0.1:${(other.server.address() as { port: number }).port}`;
      const supervisor = await openSocket('sue', otherUrl);
      const received: { at: number; waiting: number }[] = [];
      supervisor.on('supervision:queues', (live) =>
        received.push({
          at: Date.now(),
          waiting: live.queues.find((q) => q.name === 'Support')!.waiting.length,
        }),
      );
      expect(await join(supervisor, 'queues')).toEqual({ ok: true });
      await until(() => received.length >= 1, 'the current view on joining');
      // Calls arrive through both processes; each process sees only its own.
      for (let i = 0; i < 40; i += 1) {
        await queued('Support', '+14155550123', i % 2 ? other : ctx.app);
        if (i % 10 === 9) await new Promise((resolve) => setTimeout(resolve, 300));
      }
      await until(() => received.at(-1)!.waiting === 40, 'all 40 calls', 4000);
      const pushes = received.slice(1);
      expect(pushes.length).toBeGreaterThanOrEqual(2);
      for (let i = 1; i < pushes.length; i += 1) {
        expect(pushes[i]!.at - pushes[i - 1]!.at).toBeGreaterThanOrEqual(950);
      }
    } finally {
      // Its sockets first: a server closing under a connected client waits for it.
      for (const socket of sockets) socket.disconnect();
      await other.close();
    }
  });

  it('refuses agents the live views and the interventions, and changes nothing', async () => {
    const agentSocket = await openSocket('ana');
    const got: unknown[] = [];
    agentSocket.on('supervision:queues', (live) => got.push(live));
    agentSocket.on('supervision:agents', (live) => got.push(live));
    expect(await join(agentSocket, 'queues')).toMatchObject({
      ok: false,
      error: 'This needs the role supervisor or admin; you are agent',
    });
    expect(await join(agentSocket, 'agents')).toMatchObject({ ok: false });

    const call = await queued();
    await available(bob);
    await new Promise((resolve) => setTimeout(resolve, 1300));
    expect(got).toEqual([]);

    const agent = as(ctx.app, await login(ctx.app, 'ana', 'test-password'));
    expect((await agent('GET', '/api/supervision/queues')).statusCode).toBe(403);
    expect((await agent('GET', '/api/supervision/agents')).statusCode).toBe(403);
    const before = await ctx.app.acd.snapshot();
    for (const [url, body] of [
      [`/api/supervision/agents/2/status`, { status: 'offline' }],
      [`/api/supervision/calls/${call}/move`, { queueId: 2 }],
      [`/api/supervision/calls/${call}/priority`, { seconds: 60 }],
      [`/api/supervision/reservations/${before.reservations[0]!.id}/end`, undefined],
    ] as const) {
      const response = await agent('POST', url, body);
      expect(response.statusCode, url).toBe(403);
    }
    expect(await ctx.app.acd.snapshot()).toEqual({ ...before, atMs: before.atMs });
    expect(
      ctx.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action LIKE 'supervision.%'").get(),
    ).toEqual({
      n: 0,
    });
  });

  it('moves a waiting call, raises its priority, ends a stuck reservation and sets statuses, each audited', async () => {
    const supervisor = as(ctx.app, await login(ctx.app, 'sue', 'test-password'));
    // Sales takes a call first, so the ACD routes to it.
    await ctx.app.calls.callerEnded(await queued('Sales'));
    const first = await queued();
    const second = await queued();

    const moved = await supervisor('POST', `/api/supervision/calls/${second}/move`, { queueId: 2 });
    expect(moved.statusCode).toBe(204);
    expect(await ctx.app.acd.getCall(second)).toMatchObject({ state: 'queued', queueId: 2 });
    expect(ctx.db.prepare('SELECT queue_id FROM interactions WHERE id = ?').get(second)).toEqual({
      queue_id: 2,
    });

    const raised = await supervisor('POST', `/api/supervision/calls/${first}/priority`, { seconds: 120 });
    expect(raised.statusCode).toBe(204);
    const score = (await ctx.app.acd.snapshot()).waiting.find(
      (c) => c.interactionId === first,
    )!.priorityScore;
    expect(score).toBeGreaterThanOrEqual(120);

    // bob goes available and the first call rings on his desk; he does not answer.
    await available(bob);
    const [reservation] = (await ctx.app.acd.snapshot()).reservations;
    expect(reservation).toMatchObject({ interactionId: first, agentId: bob.id });
    const ended = await supervisor('POST', `/api/supervision/reservations/${reservation!.id}/end`);
    expect(ended.statusCode).toBe(204);
    expect(await ctx.app.acd.getCall(first)).toMatchObject({ state: 'queued' });
    expect(await ctx.app.acd.getAgent(bob.id)).toMatchObject({ status: 'break', reason: 'rona' });

    expect(
      (await supervisor('POST', `/api/supervision/agents/${bob.id}/status`, { status: 'offline' }))
        .statusCode,
    ).toBe(204);
    expect(await ctx.app.acd.getAgent(bob.id)).toMatchObject({ status: 'offline' });
    const lunch = await supervisor('POST', `/api/supervision/agents/${ana.id}/status`, {
      status: 'break',
      reason: 'lunch',
    });
    expect(lunch.statusCode).toBe(204);
    expect(await ctx.app.acd.getAgent(ana.id)).toMatchObject({ status: 'break', reason: 'lunch' });

    const audit = ctx.db
      .prepare(
        "SELECT action, entity_type, entity_id, actor_agent_id FROM audit_log WHERE action LIKE 'supervision.%' ORDER BY id",
      )
      .all();
    expect(audit).toEqual([
      {
        action: 'supervision.call_moved',
        entity_type: 'interaction',
        entity_id: String(second),
        actor_agent_id: 3,
      },
      {
        action: 'supervision.priority_raised',
        entity_type: 'interaction',
        entity_id: String(first),
        actor_agent_id: 3,
      },
      {
        action: 'supervision.reservation_ended',
        entity_type: 'interaction',
        entity_id: String(first),
        actor_agent_id: 3,
      },
      {
        action: 'supervision.agent_status',
        entity_type: 'agent',
        entity_id: String(bob.id),
        actor_agent_id: 3,
      },
      {
        action: 'supervision.agent_status',
        entity_type: 'agent',
        entity_id: String(ana.id),
        actor_agent_id: 3,
      },
    ]);
    const timeline = (
      ctx.db
        .prepare('SELECT type, data FROM interaction_events WHERE interaction_id = ? ORDER BY id')
        .all(second) as {
        type: string;
        data: string;
      }[]
    ).map((e) => [e.type, JSON.parse(e.data).reason ?? null]);
    expect(timeline.at(-1)).toEqual(['queued', 'moved by supervisor Sue Park']);
  });

  it('refuses bad interventions with a clear 4xx and changes nothing', async () => {
    const supervisor = as(ctx.app, await login(ctx.app, 'sue', 'test-password'));
    const call = await queued();
    await available(ana);
    await answer(ana);
    const before = await ctx.app.acd.snapshot();
    const cases: [string, unknown, number, RegExp][] = [
      [`/api/supervision/calls/${call}/move`, { queueId: 'two' }, 400, /Invalid body/],
      [`/api/supervision/calls/${call}/move`, { queueId: 2 }, 409, /not waiting \(it is connected\)/],
      [`/api/supervision/calls/999/move`, { queueId: 2 }, 404, /Call 999/],
      [`/api/supervision/calls/${call}/priority`, { seconds: 0 }, 400, /Invalid body/],
      [`/api/supervision/calls/${call}/priority`, { seconds: 60, extra: 1 }, 400, /Invalid body/],
      [`/api/supervision/agents/${ana.id}/status`, { status: 'offline' }, 409, /on a call/],
      [
        `/api/supervision/agents/${bob.id}/status`,
        { status: 'break', reason: 'nap' },
        400,
        /Unknown break reason/,
      ],
      [
        `/api/supervision/agents/${bob.id}/status`,
        { status: 'available', reason: 'x' },
        400,
        /only with a break/,
      ],
      [`/api/supervision/agents/99/status`, { status: 'available' }, 404, /Agent 99/],
      [`/api/supervision/reservations/42/end`, undefined, 404, /Reservation 42/],
    ];
    for (const [url, body, status, message] of cases) {
      const response = await supervisor('POST', url, body);
      expect(response.statusCode, url).toBe(status);
      expect(response.json().message, url).toMatch(message);
    }
    expect(await ctx.app.acd.snapshot()).toEqual(before);
    expect(
      ctx.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action LIKE 'supervision.%'").get(),
    ).toEqual({
      n: 0,
    });
  });
});
