import { describe, expect, it } from 'vitest';
import { makeAgent, makeCustomer, makeInteraction, makeQueue } from '../testing/factories.js';
import { as, useTestContext, login } from '../testing/harness.js';

describe('interactions API', () => {
  let customerId: number;
  let agentId: number;
  let firstId: number;

  const ctx = useTestContext({
    arrange: async (db) => {
      agentId = await makeAgent(db, { username: 'ana', role: 'agent', displayName: 'Ana Silva' });
      await makeAgent(db, { username: 'sue', role: 'supervisor' });
      const queueId = makeQueue(db, 'Support');
      customerId = makeCustomer(db, { name: 'Olivia Carter', phones: ['+14155550123'] });
      const other = makeCustomer(db, { name: 'Someone Else' });
      firstId = makeInteraction(db, {
        customerId,
        queueId,
        agentId,
        arrivedAt: '2026-11-01T09:00:00.000Z',
        notes: 'First call',
        events: [
          { type: 'arrived', at: '2026-11-01T09:00:00.000Z' },
          { type: 'queued', at: '2026-11-01T09:00:20.000Z' },
          { type: 'answered', at: '2026-11-01T09:00:40.000Z' },
        ],
      });
      for (let day = 2; day <= 25; day += 1) {
        makeInteraction(db, {
          customerId,
          queueId,
          arrivedAt: `2026-11-${String(day).padStart(2, '0')}T09:00:00.000Z`,
          outcome: day % 5 === 0 ? 'abandoned' : 'answered',
        });
      }
      makeInteraction(db, { customerId: other, arrivedAt: '2026-11-20T12:00:00.000Z' });
    },
  });

  it("pages a customer's timeline newest first with the total", async () => {
    const agent = as(ctx.app, await login(ctx.app, 'ana', 'test-password'));
    const page1 = (await agent('GET', `/api/interactions?customerId=${customerId}&limit=10`)).json();
    expect(page1.total).toBe(25);
    expect(page1.items).toHaveLength(10);
    expect(page1.items[0].arrivedAt).toBe('2026-11-25T09:00:00.000Z');
    const page3 = (
      await agent('GET', `/api/interactions?customerId=${customerId}&limit=10&offset=20`)
    ).json();
    expect(page3.items).toHaveLength(5);
    expect(page3.items.at(-1)).toMatchObject({
      id: firstId,
      arrivedAt: '2026-11-01T09:00:00.000Z',
      queueName: 'Support',
      agentName: 'Ana Silva',
      customerName: 'Olivia Carter',
      notes: 'First call',
    });
    const all = [
      ...page1.items,
      ...(await agent('GET', `/api/interactions?customerId=${customerId}&limit=10&offset=10`)).json().items,
      ...page3.items,
    ];
    expect(new Set(all.map((i: { id: number }) => i.id)).size).toBe(25);
  });

  it('filters by outcome and time range', async () => {
    const supervisor = as(ctx.app, await login(ctx.app, 'sue', 'test-password'));
    const abandoned = (await supervisor('GET', '/api/interactions?outcome=abandoned')).json();
    expect(abandoned.total).toBe(5);
    const ranged = (
      await supervisor('GET', '/api/interactions?from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z')
    ).json();
    expect(ranged.total).toBe(2);
  });

  it('lets agents list one customer or their own calls, but not everything', async () => {
    const agent = as(ctx.app, await login(ctx.app, 'ana', 'test-password'));
    expect((await agent('GET', '/api/interactions')).statusCode).toBe(403);
    expect((await agent('GET', '/api/interactions?agentId=999')).statusCode).toBe(403);
    const own = await agent('GET', `/api/interactions?agentId=${agentId}`);
    expect(own.statusCode).toBe(200);
    expect(own.json().total).toBe(1);
  });

  it('returns one interaction with its timeline in order', async () => {
    const agent = as(ctx.app, await login(ctx.app, 'ana', 'test-password'));
    const detail = (await agent('GET', `/api/interactions/${firstId}`)).json();
    expect(detail.events.map((e: { type: string }) => e.type)).toEqual(['arrived', 'queued', 'answered']);
    expect(detail.waitSeconds).toBe(0);
    expect((await agent('GET', '/api/interactions/424242')).statusCode).toBe(404);
  });

  it('rejects bad filters with 400', async () => {
    const supervisor = as(ctx.app, await login(ctx.app, 'sue', 'test-password'));
    for (const query of [
      'limit=0',
      'limit=101',
      'offset=-1',
      'outcome=won',
      'from=yesterday',
      'customerId=abc',
      'from=2026-12-31T23:59:60Z',
    ]) {
      const response = await supervisor('GET', `/api/interactions?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().message).toMatch(/^Invalid querystring/);
    }
  });

  it('keeps the timeline append-only in the database', () => {
    expect(() => ctx.db.prepare('DELETE FROM interaction_events').run()).toThrow(/append-only/);
    expect(() => ctx.db.prepare("UPDATE interaction_events SET type = 'x'").run()).toThrow(/append-only/);
  });
});
