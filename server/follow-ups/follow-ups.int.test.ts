import type { FastifyInstance } from 'fastify';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FollowUpReminder } from '../../contracts/follow-up.js';
import { FOLLOW_UP_EVENTS } from '../../contracts/follow-up-events.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../contracts/socket.js';
import { buildApp } from '../app.js';
import { agentIdOf, makeAgent, makeCustomer, queueIdOf, makeQueue } from '../testing/factories.js';
import { as, createTestContext, login, ORIGIN, until, type TestContext } from '../testing/harness.js';
import type { FollowUpCounts, FollowUpPage, FollowUpWork } from './follow-ups.schemas.js';

const HOUR = 3_600_000;

describe('follow-ups API', () => {
  let ctx: TestContext;
  let ana: ReturnType<typeof as>;
  let ben: ReturnType<typeof as>;
  let sue: ReturnType<typeof as>;
  let olivia: number;
  let support: number;
  let billing: number;

  beforeEach(async () => {
    ctx = await createTestContext({
      arrange: async (db) => {
        await makeAgent(db, { username: 'ana', displayName: 'Ana Silva', skills: { support: 3 } });
        await makeAgent(db, { username: 'ben', displayName: 'Ben Okafor', skills: { billing: 2 } });
        await makeAgent(db, { username: 'sue', displayName: 'Sue Park', role: 'supervisor' });
        makeQueue(db, 'Support', { skills: { support: 2 } });
        makeQueue(db, 'Billing', { skills: { billing: 1 } });
        olivia = makeCustomer(db, { name: 'Olivia Carter', phones: ['+14155550123'] });
        makeCustomer(db, { name: 'Erased Person', erased: true });
      },
    });
    support = queueIdOf(ctx.db, 'Support');
    billing = queueIdOf(ctx.db, 'Billing');
    ana = as(ctx.app, await login(ctx.app, 'ana', 'test-password'));
    ben = as(ctx.app, await login(ctx.app, 'ben', 'test-password'));
    sue = as(ctx.app, await login(ctx.app, 'sue', 'test-password'));
  });
  afterEach(() => ctx.close());

  const inHours = (hours: number) => new Date(ctx.clock.now().getTime() + hours * HOUR).toISOString();
  const task = (fields: Record<string, unknown> = {}) => ({
    customerId: olivia,
    kind: 'task',
    title: 'Send the contract',
    dueAt: inHours(2),
    ...fields,
  });
  async function created(api: typeof ana, fields: Record<string, unknown> = {}): Promise<FollowUpWork> {
    const response = await api('POST', '/api/follow-ups', task(fields));
    expect(response.statusCode, response.body).toBe(201);
    return response.json<FollowUpWork>();
  }
  const auditOf = (id: number) =>
    ctx.db
      .prepare<[string], { action: string; actor_agent_id: number | null; details: string }>(
        "SELECT action, actor_agent_id, details FROM audit_log WHERE entity_type = 'follow_up' AND entity_id = ? ORDER BY id",
      )
      .all(String(id));

  describe('creating', () => {
    it('lets an agent create one for themselves (the default) and for a team they are in, audited', async () => {
      const mine = await created(ana, { priority: 'high', note: ' Call before noon ' });
      expect(mine).toMatchObject({
        kind: 'task',
        status: 'open',
        priority: 'high',
        title: 'Send the contract',
        note: 'Call before noon',
        overdue: false,
        customer: { id: olivia, name: 'Olivia Carter' },
        owner: { type: 'agent', agentId: agentIdOf(ctx.db, 'ana'), name: 'Ana Silva' },
        source: 'manual',
        createdBy: 'Ana Silva',
      });
      const team = await created(ana, { kind: 'win_back', ownerQueueId: support });
      expect(team.owner).toEqual({ type: 'queue', queueId: support, name: 'Support' });
      expect(auditOf(mine.id)).toEqual([
        expect.objectContaining({ action: 'follow_up.create', actor_agent_id: agentIdOf(ctx.db, 'ana') }),
      ]);
    });

    it('refuses an agent creating for another agent or a team they are not in (403)', async () => {
      const other = await ana('POST', '/api/follow-ups', task({ ownerAgentId: agentIdOf(ctx.db, 'ben') }));
      expect(other.statusCode).toBe(403);
      const team = await ana('POST', '/api/follow-ups', task({ ownerQueueId: billing }));
      expect(team.statusCode).toBe(403);
      expect(ctx.db.prepare('SELECT count(*) AS n FROM follow_ups').get()).toEqual({ n: 0 });
    });

    it('lets a supervisor create for anyone', async () => {
      const forBen = await created(sue, { ownerAgentId: agentIdOf(ctx.db, 'ben') });
      expect(forBen.owner).toMatchObject({ type: 'agent', name: 'Ben Okafor' });
      const forBilling = await created(sue, { ownerQueueId: billing });
      expect(forBilling.owner).toMatchObject({ type: 'queue', name: 'Billing' });
    });

    it.each([
      ['two owners', { ownerAgentId: 1, ownerQueueId: 1 }],
      ['no title', { title: undefined }],
      ['a callback (only the IVR and wrap-up make those)', { kind: 'callback' }],
      ['an unknown priority', { priority: 'asap' }],
      ['an owner agent that does not exist', { ownerAgentId: 999 }],
    ])('answers 400 for %s', async (_what, fields) => {
      const response = await sue('POST', '/api/follow-ups', task(fields));
      expect(response.statusCode, response.body).toBe(400);
    });

    it('answers 404 for a customer that does not exist or was erased', async () => {
      expect((await ana('POST', '/api/follow-ups', task({ customerId: 999 }))).statusCode).toBe(404);
      const erased = ctx.db
        .prepare<[], { id: number }>("SELECT id FROM customers WHERE name = 'Erased Person'")
        .get()!;
      expect((await ana('POST', '/api/follow-ups', task({ customerId: erased.id }))).statusCode).toBe(404);
    });
  });

  describe('worklists and counts', () => {
    it('shows mine, my teams’ (supervisors: every team), with filters and paging', async () => {
      const mine = await created(ana, { dueAt: inHours(-1) });
      await created(ana, { dueAt: inHours(3), kind: 'win_back' });
      const supportTeam = await created(sue, { ownerQueueId: support });
      const billingTeam = await created(sue, { ownerQueueId: billing });

      const list = async (api: typeof ana, url: string) => {
        const response = await api('GET', url);
        expect(response.statusCode, response.body).toBe(200);
        return response.json<FollowUpPage>();
      };
      const anaMine = await list(ana, '/api/follow-ups/mine');
      expect(anaMine.total).toBe(2);
      expect(anaMine.items[0]).toMatchObject({ id: mine.id, overdue: true });
      expect((await list(ana, '/api/follow-ups/mine?overdue=true')).items.map((f) => f.id)).toEqual([
        mine.id,
      ]);
      expect((await list(ana, '/api/follow-ups/mine?kind=win_back')).items).toHaveLength(1);
      const paged = await list(ana, '/api/follow-ups/mine?limit=1&offset=1');
      expect(paged).toMatchObject({ total: 2, limit: 1, offset: 1 });
      expect(paged.items).toHaveLength(1);

      expect((await list(ana, '/api/follow-ups/team')).items.map((f) => f.id)).toEqual([supportTeam.id]);
      expect((await list(ben, '/api/follow-ups/team')).items.map((f) => f.id)).toEqual([billingTeam.id]);
      expect((await list(sue, '/api/follow-ups/team')).total).toBe(2);
      expect((await list(ben, '/api/follow-ups/mine')).total).toBe(0);

      const counts = await ana('GET', '/api/follow-ups/counts');
      expect(counts.json<FollowUpCounts>()).toEqual({
        mine: { open: 2, dueToday: 1, overdue: 1 },
        team: { open: 1, dueToday: 1, overdue: 0 },
      });
      // The end of the caller's day is theirs: a day ending in two hours leaves the 3-hour one out.
      const early = await ana(
        'GET',
        `/api/follow-ups/counts?todayEndsAt=${encodeURIComponent(inHours(2.5))}`,
      );
      expect(early.json<FollowUpCounts>().mine).toEqual({ open: 2, dueToday: 0, overdue: 1 });

      const history = await list(ana, `/api/customers/${olivia}/follow-ups`);
      expect(history.total).toBe(4);
      expect((await ana('GET', '/api/customers/999/follow-ups')).statusCode).toBe(404);
      expect((await ana('GET', '/api/follow-ups/mine?status=finished')).statusCode).toBe(400);
    });
  });

  describe('working', () => {
    it('starts and completes through the table, audits each move, and refuses an illegal one with 409', async () => {
      const followUp = await created(ana);
      const move = (api: typeof ana, action: string) =>
        api('PATCH', `/api/follow-ups/${followUp.id}`, { action });

      expect((await move(ana, 'reopen')).statusCode).toBe(409);
      const started = await move(ana, 'start');
      expect(started.json<FollowUpWork>().status).toBe('in_progress');
      const done = await move(ana, 'complete');
      expect(done.json<FollowUpWork>()).toMatchObject({
        status: 'done',
        completedAt: ctx.clock.now().toISOString(),
      });
      const again = await move(ana, 'complete');
      expect(again.statusCode).toBe(409);
      expect(again.json<{ message: string }>().message).toMatch(/cannot be "complete" while done/);
      expect((await move(ana, 'reopen')).json<FollowUpWork>().status).toBe('open');

      expect(auditOf(followUp.id).map((row) => [row.action, JSON.parse(row.details) as unknown])).toEqual([
        ['follow_up.create', expect.anything()],
        ['follow_up.start', { from: 'open', to: 'in_progress' }],
        ['follow_up.complete', { from: 'in_progress', to: 'done' }],
        ['follow_up.reopen', { from: 'done', to: 'open' }],
      ]);
      expect((await move(ana, 'finish')).statusCode).toBe(400);
      expect((await ana('PATCH', '/api/follow-ups/999', { action: 'start' })).statusCode).toBe(404);
    });

    it('lets only the owner, their team and supervisors work it (403 for others)', async () => {
      const anas = await created(ana);
      const supportTeam = await created(sue, { ownerQueueId: support });
      expect((await ben('PATCH', `/api/follow-ups/${anas.id}`, { action: 'start' })).statusCode).toBe(403);
      expect((await ben('PATCH', `/api/follow-ups/${supportTeam.id}`, { action: 'cancel' })).statusCode).toBe(
        403,
      );
      expect((await ana('PATCH', `/api/follow-ups/${supportTeam.id}`, { action: 'cancel' })).statusCode).toBe(
        200,
      );
      expect((await sue('PATCH', `/api/follow-ups/${anas.id}`, { action: 'complete' })).statusCode).toBe(200);
      expect(auditOf(anas.id).map((row) => row.action)).toEqual(['follow_up.create', 'follow_up.complete']);
    });

    it('reassigns for supervisors and admins only, audited', async () => {
      const followUp = await created(ana);
      const byAgent = await ana('PUT', `/api/follow-ups/${followUp.id}/owner`, { ownerQueueId: support });
      expect(byAgent.statusCode).toBe(403);
      const bySupervisor = await sue('PUT', `/api/follow-ups/${followUp.id}/owner`, {
        ownerQueueId: billing,
      });
      expect(bySupervisor.statusCode, bySupervisor.body).toBe(200);
      expect(bySupervisor.json<FollowUpWork>().owner).toMatchObject({ type: 'queue', queueId: billing });
      expect((await sue('PUT', `/api/follow-ups/${followUp.id}/owner`, {})).statusCode).toBe(400);
      expect((await sue('PUT', '/api/follow-ups/999/owner', { ownerQueueId: billing })).statusCode).toBe(404);
      const reassigned = auditOf(followUp.id).at(-1)!;
      expect(reassigned.action).toBe('follow_up.reassign');
      expect(JSON.parse(reassigned.details)).toMatchObject({
        to: { ownerAgentId: null, ownerQueueId: billing },
      });
      // Now Billing's: ben's team may work it, ana no longer.
      expect((await ana('PATCH', `/api/follow-ups/${followUp.id}`, { action: 'start' })).statusCode).toBe(
        403,
      );
      expect((await ben('PATCH', `/api/follow-ups/${followUp.id}`, { action: 'start' })).statusCode).toBe(
        200,
      );
    });

    it('reads one follow-up, and answers 404 for one that does not exist', async () => {
      const followUp = await created(ana);
      expect((await ben('GET', `/api/follow-ups/${followUp.id}`)).json<FollowUpWork>().id).toBe(followUp.id);
      expect((await ana('GET', '/api/follow-ups/999')).statusCode).toBe(404);
    });
  });

  describe('createByRule', () => {
    it('creates once per source key, owned by the queue’s team, audited without an actor', () => {
      const rule = {
        kind: 'service_recovery' as const,
        customerId: olivia,
        ownerQueueId: support,
        dueAt: inHours(4),
        priority: 'urgent' as const,
        note: 'Survey score 1 of 5',
        sourceKey: 'survey:42',
      };
      const id = ctx.app.followUps.createByRule(rule);
      expect(id).toBeTypeOf('number');
      expect(ctx.app.followUps.createByRule(rule)).toBeNull();
      expect(ctx.app.followUps.createByRule({ ...rule, note: 'fired again' })).toBeNull();
      expect(ctx.db.prepare('SELECT count(*) AS n FROM follow_ups').get()).toEqual({ n: 1 });
      expect(
        ctx.db.prepare('SELECT kind, source, source_key, owner_queue_id, priority FROM follow_ups').get(),
      ).toEqual({
        kind: 'service_recovery',
        source: 'rule',
        source_key: 'survey:42',
        owner_queue_id: support,
        priority: 'urgent',
      });
      expect(auditOf(id!)).toEqual([
        expect.objectContaining({ action: 'follow_up.create', actor_agent_id: null }),
      ]);
    });
  });

  describe('reminders', () => {
    type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
    let second: FastifyInstance | undefined;
    let socket: Client | undefined;
    afterEach(async () => {
      socket?.disconnect();
      await second?.close();
      second = undefined;
    });

    it('pushes each reminder once to the owner’s team, though two server processes sweep at once', async () => {
      // A second process on the same database and the same Redis prefix, as in a scaled deployment.
      second = await buildApp(ctx.config, { clock: ctx.clock, callTimers: false });
      await ctx.app.listen({ port: 0, host: '127.0.0.1' });
      await second.listen({ port: 0, host: '127.0.0.1' });
      const address = ctx.app.server.address() as { port: number };
      const cookie = await login(ctx.app, 'ana', 'test-password');
      socket = connect(`http://127.0.0.1:${address.port}`, {
        transports: ['websocket'],
        extraHeaders: { cookie, origin: ORIGIN },
        reconnection: false,
      });
      const reminders: FollowUpReminder[] = [];
      socket.on(FOLLOW_UP_EVENTS.reminder, (reminder) => reminders.push(reminder));
      await until(() => socket!.connected, 'the socket');

      const id = ctx.app.followUps.createByRule({
        kind: 'win_back',
        customerId: olivia,
        ownerQueueId: support,
        dueAt: inHours(0.5),
        priority: 'high',
        note: 'Lost after 3 years',
        sourceKey: 'lifecycle:lost:1',
      })!;
      // Not due within 15 minutes yet: nothing.
      expect([ctx.app.followUps.sweepReminders(), second.followUps.sweepReminders()]).toEqual([0, 0]);

      ctx.clock.advance(0.3 * HOUR);
      const sent = [ctx.app.followUps.sweepReminders(), second.followUps.sweepReminders()];
      expect(sent.sort()).toEqual([0, 1]);
      await until(() => reminders.length === 1, 'the due reminder');
      expect(reminders[0]).toMatchObject({
        followUpId: id,
        reminder: 'due',
        kind: 'win_back',
        customerName: 'Olivia Carter',
      });

      ctx.clock.advance(0.25 * HOUR);
      const overdue = [second.followUps.sweepReminders(), ctx.app.followUps.sweepReminders()];
      expect(overdue.sort()).toEqual([0, 1]);
      await until(() => reminders.length === 2, 'the overdue reminder');
      expect(reminders[1]).toMatchObject({ followUpId: id, reminder: 'overdue' });
      // Nothing more arrives later, from either process.
      expect([ctx.app.followUps.sweepReminders(), second.followUps.sweepReminders()]).toEqual([0, 0]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(reminders).toHaveLength(2);
    });

    it('settles a follow-up overdue by more than a day without a reminder', async () => {
      await created(ana, { dueAt: inHours(-30) });
      const fresh = await created(ana, { dueAt: inHours(-1) });
      expect(ctx.app.followUps.sweepReminders()).toBe(1);
      expect(
        ctx.db
          .prepare('SELECT id FROM follow_ups WHERE overdue_reminded_at IS NULL OR due_reminded_at IS NULL')
          .all(),
      ).toEqual([]);
      expect(ctx.app.followUps.sweepReminders()).toBe(0);
      expect(fresh.overdue).toBe(true);
    });

    it('tells the owner’s consoles that their worklist changed', async () => {
      await ctx.app.listen({ port: 0, host: '127.0.0.1' });
      const address = ctx.app.server.address() as { port: number };
      const cookie = await login(ctx.app, 'ana', 'test-password');
      socket = connect(`http://127.0.0.1:${address.port}`, {
        transports: ['websocket'],
        extraHeaders: { cookie, origin: ORIGIN },
        reconnection: false,
      });
      const changes: number[] = [];
      socket.on(FOLLOW_UP_EVENTS.changed, ({ followUpId }) => changes.push(followUpId));
      await until(() => socket!.connected, 'the socket');
      const followUp = await created(ana);
      await until(() => changes.includes(followUp.id), 'the change');
      // Ben's follow-up is not ana's business.
      await created(sue, { ownerAgentId: agentIdOf(ctx.db, 'ben') });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(changes).toEqual([followUp.id]);
    });
  });
});
