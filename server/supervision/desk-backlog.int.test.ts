import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  ClientToServerEvents,
  QueueBacklog,
  QueueBacklogUpdate,
  ServerToClientEvents,
} from '../realtime/realtime.events.js';
import { makeAgent, makeQueue, queueIdOf } from '../testing/factories.js';
import { as, createTestContext, login, until, type TestContext } from '../testing/harness.js';

type ConsoleSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** What a desk shows, kept as the console keeps it: replaced by a complete list, merged otherwise. */
interface Desk {
  socket: ConsoleSocket;
  backlog: Map<number, QueueBacklog>;
  updates: QueueBacklogUpdate[];
}

describe('desk backlog: the waiting calls of the agent’s own queues', () => {
  let ctx: TestContext;
  let origin: string;
  let desks: Desk[];
  let callSeq: number;

  beforeEach(async () => {
    ctx = await createTestContext({
      app: { callTimers: false },
      arrange: async (db) => {
        await makeAgent(db, { username: 'ana', skills: { billing: 3 } });
        await makeAgent(db, { username: 'root', role: 'admin' });
        makeQueue(db, 'Billing', { skills: { billing: 2 } });
        makeQueue(db, 'Sales', { skills: { sales: 1 } });
      },
    });
    desks = [];
    callSeq = 0;
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    origin = `http://127.0.0.1:${(ctx.app.server.address() as { port: number }).port}`;
  });

  afterEach(async () => {
    for (const desk of desks) desk.socket.disconnect();
    await ctx.close();
  });

  async function openDesk(username: string): Promise<Desk> {
    const cookie = await login(ctx.app, username, 'test-password');
    const socket: ConsoleSocket = connect(origin, {
      transports: ['websocket'],
      extraHeaders: { cookie, origin },
      reconnection: false,
    });
    const desk: Desk = { socket, backlog: new Map(), updates: [] };
    socket.on('desk:backlog', (update) => {
      desk.updates.push(update);
      if (update.complete) desk.backlog.clear();
      for (const queue of update.queues) desk.backlog.set(queue.queueId, queue);
    });
    desks.push(desk);
    await new Promise<void>((resolve, reject) => {
      socket.on('connect', resolve);
      socket.on('connect_error', reject);
    });
    await until(() => desk.updates.some((update) => update.complete), 'the first backlog');
    return desk;
  }

  async function queued(queueName: string) {
    callSeq += 1;
    const { interactionId } = await ctx.app.calls.arrive({
      provider: 'twilio',
      providerCallId: `CA${String(callSeq).padStart(32, '0')}`,
      from: `+1415555${String(callSeq).padStart(4, '0')}`,
      to: '+14155550100',
    });
    await ctx.app.calls.enqueue(interactionId, { queueName, priorityBoostSeconds: 0, ivrAnswers: {} });
    return interactionId;
  }

  it('lists only the queues the agent qualifies for, and counts callers as they wait', async () => {
    const billing = queueIdOf(ctx.db, 'Billing');
    const sales = queueIdOf(ctx.db, 'Sales');
    const ana = await openDesk('ana');
    expect([...ana.backlog.values()]).toEqual([
      { queueId: billing, name: 'Billing', waiting: 0, oldestWaitingSince: null },
    ]);

    await queued('Billing');
    await until(() => ana.backlog.get(billing)?.waiting === 1, 'one caller waiting in Billing');
    expect(Date.parse(ana.backlog.get(billing)!.oldestWaitingSince!)).not.toBeNaN();

    await queued('Sales');
    await queued('Billing');
    await until(() => ana.backlog.get(billing)?.waiting === 2, 'two callers waiting in Billing');
    // Sales is not Ana's: nothing of it reaches her desk, however its calls change.
    expect(ana.updates.flatMap((update) => update.queues).some((queue) => queue.queueId === sales)).toBe(
      false,
    );
  });

  it('follows the agent into a queue when an admin gives them its skill, and out when taken away', async () => {
    const sales = queueIdOf(ctx.db, 'Sales');
    await queued('Sales');
    const ana = await openDesk('ana');
    expect(ana.backlog.has(sales)).toBe(false);
    const admin = as(ctx.app, await login(ctx.app, 'root', 'test-password'));
    const anaId = ctx.app.agents.list().find((agent) => agent.username === 'ana')!.id;

    const gave = await admin('PATCH', `/api/agents/${anaId}`, {
      skills: [
        { skill: 'billing', proficiency: 3 },
        { skill: 'sales', proficiency: 1 },
      ],
    });
    expect(gave.statusCode).toBe(200);
    await until(() => ana.backlog.get(sales)?.waiting === 1, 'Sales on Ana’s desk');

    await queued('Sales');
    await until(() => ana.backlog.get(sales)?.waiting === 2, 'a new Sales caller counted');

    const took = await admin('PATCH', `/api/agents/${anaId}`, {
      skills: [{ skill: 'billing', proficiency: 3 }],
    });
    expect(took.statusCode).toBe(200);
    await until(() => !ana.backlog.has(sales), 'Sales gone from Ana’s desk');
  });

  it('follows a queue whose required skills an admin changes', async () => {
    const sales = queueIdOf(ctx.db, 'Sales');
    const ana = await openDesk('ana');
    const admin = as(ctx.app, await login(ctx.app, 'root', 'test-password'));
    const changed = await admin('PATCH', `/api/queues/${sales}`, {
      skills: [{ skill: 'billing', minProficiency: 1 }],
    });
    expect(changed.statusCode).toBe(200);
    await until(() => ana.backlog.has(sales), 'Sales on Ana’s desk once it needs billing');
  });
});
