import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connection.js';
import { makeAgent, makeCustomer, makeInteraction, makeQueue } from '../testing/factories.js';
import { as, createTestContext, login, type TestContext } from '../testing/harness.js';
import type { SatisfactionReport } from './satisfaction.schemas.js';

const DAY = '2026-11-22';

/** One survey row as the survey webhooks leave it. */
function survey(
  db: Db,
  fields: {
    queueId: number;
    agentId: number;
    customerId: number | null;
    status: string;
    score?: number;
    resolved?: 0 | 1;
    endedAt?: string | null;
    offeredAt?: string;
  },
) {
  const id = makeInteraction(db, {
    customerId: fields.customerId,
    arrivedAt: `${DAY}T08:00:00.000Z`,
    queueId: fields.queueId,
    agentId: fields.agentId,
  });
  db.prepare(
    `INSERT INTO interaction_surveys (interaction_id, customer_id, queue_id, agent_id, status, score, resolved,
       language, offered_at, ended_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'en-US', ?, ?, ?)`,
  ).run(
    id,
    fields.customerId,
    fields.queueId,
    fields.agentId,
    fields.status,
    fields.score ?? null,
    fields.resolved ?? null,
    fields.offeredAt ?? `${DAY}T08:10:00.000Z`,
    fields.endedAt === undefined ? `${DAY}T08:11:00.000Z` : fields.endedAt,
    `${DAY}T08:10:00.000Z`,
  );
}

describe('GET /api/reports/satisfaction', () => {
  let ctx: TestContext;
  let supervisor: ReturnType<typeof as>;

  beforeEach(async () => {
    ctx = await createTestContext({
      arrange: async (db: Db) => {
        const ana = await makeAgent(db, { username: 'ana', displayName: 'Ana', role: 'agent' });
        const ben = await makeAgent(db, { username: 'ben', displayName: 'Ben', role: 'agent' });
        await makeAgent(db, { username: 'sue', role: 'supervisor' });
        const support = makeQueue(db, 'Support', { surveyEnabled: true });
        const billing = makeQueue(db, 'Billing', { surveyEnabled: true });
        const gold = makeCustomer(db, { name: 'Olivia', tier: 'gold' });
        survey(db, {
          queueId: support,
          agentId: ana,
          customerId: gold,
          status: 'completed',
          score: 5,
          resolved: 1,
        });
        survey(db, {
          queueId: support,
          agentId: ana,
          customerId: gold,
          status: 'completed',
          score: 4,
          resolved: 0,
        });
        // An unknown caller counts as bronze.
        survey(db, {
          queueId: support,
          agentId: ben,
          customerId: null,
          status: 'completed',
          score: 2,
          resolved: 0,
        });
        survey(db, { queueId: billing, agentId: ben, customerId: gold, status: 'partial', score: 3 });
        survey(db, { queueId: billing, agentId: ana, customerId: null, status: 'no_answer' });
        // Not counted: never offered, still running, ended after the period.
        survey(db, { queueId: support, agentId: ana, customerId: gold, status: 'not_offered' });
        // Offered five minutes before the test clock's now: the sweep of stale surveys leaves it running.
        survey(db, {
          queueId: support,
          agentId: ana,
          customerId: gold,
          status: 'offered',
          endedAt: null,
          offeredAt: `${DAY}T09:55:00.000Z`,
        });
        survey(db, {
          queueId: support,
          agentId: ana,
          customerId: gold,
          status: 'completed',
          score: 1,
          resolved: 0,
          endedAt: '2026-11-23T00:00:00.000Z',
        });
      },
    });
    supervisor = as(ctx.app, await login(ctx.app, 'sue', 'test-password'));
  });
  afterEach(() => ctx.close());

  const report = async (query: string) => {
    const response = await supervisor(
      'GET',
      `/api/reports/satisfaction?from=${DAY}T00:00:00Z&to=2026-11-23T00:00:00Z${query}`,
    );
    expect(response.statusCode).toBe(200);
    return response.json<SatisfactionReport>();
  };

  it('gives CSAT (share of 4-5 among scores), the average and % resolved over the period', async () => {
    const { total } = await report('');
    // Scores 5, 4, 2, 3: two of four are 4-5, mean 3.5; resolved answers yes, no, no.
    expect(total).toEqual({
      offered: 5,
      scored: 4,
      csat: 0.5,
      averageScore: 3.5,
      resolvedAnswered: 3,
      resolvedRate: 1 / 3,
    });
  });

  it('by queue, agent and tier', async () => {
    expect((await report('&by=queue')).groups).toEqual([
      {
        key: '1',
        name: 'Support',
        offered: 3,
        scored: 3,
        csat: 2 / 3,
        averageScore: 11 / 3,
        resolvedAnswered: 3,
        resolvedRate: 1 / 3,
      },
      {
        key: '2',
        name: 'Billing',
        offered: 2,
        scored: 1,
        csat: 0,
        averageScore: 3,
        resolvedAnswered: 0,
        resolvedRate: null,
      },
    ]);
    expect((await report('&by=agent')).groups).toEqual([
      {
        key: '1',
        name: 'Ana',
        offered: 3,
        scored: 2,
        csat: 1,
        averageScore: 4.5,
        resolvedAnswered: 2,
        resolvedRate: 0.5,
      },
      {
        key: '2',
        name: 'Ben',
        offered: 2,
        scored: 2,
        csat: 0,
        averageScore: 2.5,
        resolvedAnswered: 1,
        resolvedRate: 0,
      },
    ]);
    expect((await report('&by=tier')).groups).toEqual([
      {
        key: 'bronze',
        name: 'bronze',
        offered: 2,
        scored: 1,
        csat: 0,
        averageScore: 2,
        resolvedAnswered: 1,
        resolvedRate: 0,
      },
      {
        key: 'gold',
        name: 'gold',
        offered: 3,
        scored: 3,
        csat: 2 / 3,
        averageScore: 4,
        resolvedAnswered: 2,
        resolvedRate: 0.5,
      },
    ]);
  });

  it('filters by tier and agent', async () => {
    const gold = await report('&tier=gold&by=queue');
    expect(gold.groups.map((g) => [g.name, g.csat, g.averageScore])).toEqual([
      ['Support', 1, 4.5],
      ['Billing', 0, 3],
    ]);
    expect((await report('&agentId=2')).total).toMatchObject({ offered: 2, scored: 2, averageScore: 2.5 });
  });

  it('is for supervisors and admins, over a real period', async () => {
    const agent = as(ctx.app, await login(ctx.app, 'ana', 'test-password'));
    const url = `/api/reports/satisfaction?from=${DAY}T00:00:00Z&to=2026-11-23T00:00:00Z`;
    expect((await agent('GET', url)).statusCode).toBe(403);
    const backwards = `/api/reports/satisfaction?from=2026-11-23T00:00:00Z&to=${DAY}T00:00:00Z`;
    expect((await supervisor('GET', backwards)).statusCode).toBe(400);
  });
});
