import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeAgent, makeQueue } from '../testing/factories.js';
import { as, createTestContext, login, type TestContext } from '../testing/harness.js';

describe('service-level targets per tier of a call queue', () => {
  let ctx: TestContext;
  let admin: ReturnType<typeof as>;
  let sue: ReturnType<typeof as>;
  let queueId: number;

  beforeEach(async () => {
    ctx = await createTestContext({
      arrange: async (db) => {
        await makeAgent(db, { username: 'root', role: 'admin' });
        await makeAgent(db, { username: 'sue', role: 'supervisor' });
        queueId = makeQueue(db, 'Support', { slTargetSeconds: 30, slTargetPercent: 80 });
      },
    });
    admin = as(ctx.app, await login(ctx.app, 'root', 'test-password'));
    sue = as(ctx.app, await login(ctx.app, 'sue', 'test-password'));
  });
  afterEach(() => ctx.close());

  const gold = { slTargetSeconds: 10, slTargetPercent: 90 };

  it('lets an admin set, replace and clear them, each change audited; others only read', async () => {
    expect((await sue('GET', `/api/queues/${queueId}`)).json()).toMatchObject({ tierTargets: {} });
    expect((await sue('PATCH', `/api/queues/${queueId}`, { tierTargets: { gold } })).statusCode).toBe(403);

    const set = await admin('PATCH', `/api/queues/${queueId}`, {
      tierTargets: { gold, platinum: { slTargetSeconds: 5, slTargetPercent: 95 } },
    });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({
      slTargetSeconds: 30,
      tierTargets: { gold, platinum: { slTargetSeconds: 5, slTargetPercent: 95 } },
    });
    // The map is replaced as a whole, like skills: a tier left out goes back to the queue's target.
    const replaced = await admin('PATCH', `/api/queues/${queueId}`, { tierTargets: { gold } });
    expect(replaced.json().tierTargets).toEqual({ gold });
    expect((await sue('GET', '/api/queues')).json().items[0].tierTargets).toEqual({ gold });
    expect((await admin('PATCH', `/api/queues/${queueId}`, { tierTargets: {} })).json().tierTargets).toEqual(
      {},
    );

    const created = await admin('POST', '/api/queues', { name: 'VIP', tierTargets: { platinum: gold } });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().tierTargets).toEqual({ platinum: gold });

    const audit = ctx.db
      .prepare("SELECT action, details FROM audit_log WHERE action LIKE 'call_queue.%' ORDER BY id")
      .all() as { action: string; details: string }[];
    expect(audit.map((a) => a.action)).toEqual([
      'call_queue.update',
      'call_queue.update',
      'call_queue.update',
      'call_queue.create',
    ]);
    expect(JSON.parse(audit[1]!.details)).toEqual({ changes: { tierTargets: { gold } } });
  });

  it('refuses a target out of range or a tier not in the glossary, changing nothing', async () => {
    await admin('PATCH', `/api/queues/${queueId}`, { tierTargets: { gold } });
    const cases: [unknown, RegExp][] = [
      [{ gold: { slTargetSeconds: 0, slTargetPercent: 90 } }, /slTargetSeconds/],
      [{ gold: { slTargetSeconds: 10, slTargetPercent: 0 } }, /slTargetPercent/],
      [{ gold: { slTargetSeconds: 10, slTargetPercent: 101 } }, /slTargetPercent/],
      [{ gold: { slTargetSeconds: 10 } }, /slTargetPercent/],
      [{ diamond: gold }, /diamond|additional/],
      [{ gold: { ...gold, extra: 1 } }, /extra|additional/],
    ];
    for (const [tierTargets, message] of cases) {
      const response = await admin('PATCH', `/api/queues/${queueId}`, { tierTargets });
      expect(response.statusCode, JSON.stringify(tierTargets)).toBe(400);
      expect(response.json().message).toMatch(message);
    }
    expect((await admin('GET', `/api/queues/${queueId}`)).json().tierTargets).toEqual({ gold });
  });

  it('documents them in the OpenAPI document', async () => {
    const spec = (await ctx.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const body = spec.paths['/api/queues/{id}'].patch.requestBody.content['application/json'].schema;
    expect(Object.keys(body.properties.tierTargets.properties)).toEqual([
      'platinum',
      'gold',
      'silver',
      'bronze',
    ]);
  });
});
