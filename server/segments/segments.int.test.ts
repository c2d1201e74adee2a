import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connection.js';
import { createInteractionsRepository } from '../interactions/index.js';
import { makeAgent, makeCustomer, makeInteraction, makeQueue } from '../testing/factories.js';
import { as, createTestContext, login, type TestContext } from '../testing/harness.js';
import { playInboundCall } from '../testing/played-calls.js';
import type { SegmentFilter } from './segments.schemas.js';

const NOW = Date.parse('2026-11-22T10:00:00.000Z'); // the harness's manual clock
const DAY = 86_400_000;
const TIERS = ['platinum', 'gold', 'silver', 'bronze'] as const;
const STAGES = ['new', 'active', 'at_risk', 'lost', 'won_back'] as const;
const TAGS = ['vip', 'press', 'beta', 'smb'];

/** mulberry32: a repeatable stream of numbers in [0, 1). */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

interface Generated {
  id: number;
  tier: string;
  stage: string;
  tags: string[];
  erased: boolean;
  score: number | null;
  /** The lifecycle's churn score; null: not evaluated yet. */
  churn: number | null;
  /** ms of each interaction's arrival */
  contacts: number[];
  /** [ended ms, score] of each answered survey */
  surveys: [number, number][];
}

/** Random customers with values, interactions and surveys, written directly; returned for the naive count. */
function generate(db: Db, seed: number, count: number): Generated[] {
  const random = seeded(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const iso = new Date(NOW).toISOString();
  const out: Generated[] = [];
  for (let n = 0; n < count; n++) {
    const c: Generated = {
      id: 0,
      tier: pick(TIERS),
      stage: pick(STAGES),
      tags: [...new Set(Array.from({ length: Math.floor(random() * 3) }, () => pick(TAGS)))],
      erased: random() < 0.05,
      score: random() < 0.8 ? Math.floor(random() * 11) * 10 : null,
      churn: random() < 0.8 ? Math.floor(random() * 11) * 10 : null,
      contacts: Array.from(
        { length: Math.floor(random() * 4) },
        () => NOW - Math.floor(random() * 120 * DAY),
      ),
      surveys: [],
    };
    c.id = Number(
      db
        .prepare(
          `INSERT INTO customers (name, tier, lifecycle_stage, tags, created_at, updated_at, erased_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(`C${n}`, c.tier, c.stage, JSON.stringify(c.tags), iso, iso, c.erased ? iso : null)
        .lastInsertRowid,
    );
    if (c.score !== null)
      db.prepare(
        `INSERT INTO customer_values (customer_id, score, tier, top_percent, reason, computed_at) VALUES (?, ?, ?, 0, '{}', ?)`,
      ).run(c.id, c.score, c.tier, iso);
    if (c.churn !== null)
      db.prepare(
        `INSERT INTO customer_lifecycle (customer_id, stage_since, stage_source, churn_score, evaluated_at)
         VALUES (?, ?, 'rules', ?, ?)`,
      ).run(c.id, iso, c.churn, iso);
    for (const at of c.contacts) {
      const interactionId = makeInteraction(db, { customerId: c.id, arrivedAt: new Date(at).toISOString() });
      if (random() < 0.5) {
        const score = random() < 0.2 ? null : 1 + Math.floor(random() * 5);
        db.prepare(
          `INSERT INTO interaction_surveys (interaction_id, customer_id, status, score, ended_at, created_at)
           VALUES (?, ?, ?, ?, ?, ?)`,
        ).run(
          interactionId,
          c.id,
          score === null ? 'no_answer' : 'completed',
          score,
          new Date(at + 60_000).toISOString(),
          iso,
        );
        if (score !== null) c.surveys.push([at + 60_000, score]);
      }
    }
    out.push(c);
  }
  return out;
}

const within = (value: number, range: { min?: number; max?: number }) =>
  (range.min === undefined || value >= range.min) && (range.max === undefined || value <= range.max);

/** The segment's definition read literally, one customer at a time. */
function naive(customer: Generated, f: SegmentFilter): boolean {
  if (customer.erased) return false;
  if (f.tiers && !f.tiers.includes(customer.tier as never)) return false;
  if (f.lifecycleStages && !f.lifecycleStages.includes(customer.stage as never)) return false;
  if (f.tags && !customer.tags.some((tag) => f.tags!.includes(tag))) return false;
  if (f.value && (customer.score === null || !within(customer.score, f.value))) return false;
  if (f.churnRisk && (customer.churn === null || !within(customer.churn, f.churnRisk))) return false;
  if (f.lastContactDays) {
    if (customer.contacts.length === 0) {
      if (f.lastContactDays.max !== undefined) return false;
    } else if (!within(Math.floor((NOW - Math.max(...customer.contacts)) / DAY), f.lastContactDays))
      return false;
  }
  if (f.satisfaction) {
    const latest = [...customer.surveys].sort((a, b) => b[0] - a[0])[0];
    if (!latest || !within(latest[1], f.satisfaction)) return false;
  }
  return true;
}

function randomFilter(random: () => number): SegmentFilter {
  const range = (lo: number, hi: number) => {
    const a = lo + Math.floor(random() * (hi - lo + 1));
    const b = lo + Math.floor(random() * (hi - lo + 1));
    const r = random();
    return r < 0.33
      ? { min: Math.min(a, b) }
      : r < 0.66
        ? { max: Math.max(a, b) }
        : { min: Math.min(a, b), max: Math.max(a, b) };
  };
  const f: SegmentFilter = {};
  if (random() < 0.4) f.tiers = TIERS.filter(() => random() < 0.5).slice(0, 4);
  if (random() < 0.4) f.lifecycleStages = STAGES.filter(() => random() < 0.5);
  if (random() < 0.4) f.tags = TAGS.filter(() => random() < 0.5);
  if (random() < 0.4) f.value = range(0, 100);
  if (random() < 0.4) f.churnRisk = range(0, 100);
  if (random() < 0.4) f.lastContactDays = range(0, 120);
  if (random() < 0.4) f.satisfaction = range(1, 5);
  for (const key of ['tiers', 'lifecycleStages', 'tags'] as const) if (f[key]?.length === 0) delete f[key];
  return f;
}

describe('segments API', () => {
  let ctx: TestContext;
  let customers: Generated[];

  beforeEach(async () => {
    ctx = await createTestContext({
      arrange: async (db: Db) => {
        await makeAgent(db, { username: 'ana', role: 'agent', displayName: 'Ana' });
        await makeAgent(db, { username: 'sue', role: 'supervisor', displayName: 'Sue' });
        customers = generate(db, 7, 250);
      },
    });
  });
  afterEach(() => ctx.close());

  const user = async (name: string) => as(ctx.app, await login(ctx.app, name, 'test-password'));
  const auditRows = () =>
    ctx.db
      .prepare<[], { action: string; entity_id: string; details: string; actor: string }>(
        `SELECT l.action, l.entity_id, l.details, a.username AS actor FROM audit_log l
         JOIN agents a ON a.id = l.actor_agent_id WHERE l.entity_type = 'segment' ORDER BY l.id`,
      )
      .all();

  it('counts equal a naive reading of the definition, for random filters (unsaved, saved, and the customer list)', async () => {
    const sue = await user('sue');
    const random = seeded(99);
    for (let n = 0; n < 60; n++) {
      const filter = randomFilter(random);
      const expected = customers.filter((c) => naive(c, filter)).map((c) => c.id);
      const count = await sue('POST', '/api/segments/count', { filter });
      expect(count.statusCode, JSON.stringify(filter)).toBe(200);
      expect(count.json().count, JSON.stringify(filter)).toBe(expected.length);
      if (n % 10 === 0) {
        const saved = (await sue('POST', '/api/segments', { name: `S${n}`, filter })).json();
        expect(saved.count).toBe(expected.length);
        const page = (await sue('GET', `/api/customers?segment=${saved.id}&limit=7&offset=2`)).json();
        expect(page.total).toBe(expected.length);
        expect(page.items.map((c: { id: number }) => c.id)).toEqual(expected.slice(2, 9));
      }
    }
    const list = (await sue('GET', '/api/segments')).json();
    expect(list.items).toHaveLength(6);
  });

  it('last contact and satisfaction at their boundaries', async () => {
    const sue = await user('sue');
    const a = makeCustomer(ctx.db, { name: 'Exactly 30 days' });
    const first = makeInteraction(ctx.db, {
      customerId: a,
      arrivedAt: new Date(NOW - 40 * DAY).toISOString(),
    });
    const latest = makeInteraction(ctx.db, {
      customerId: a,
      arrivedAt: new Date(NOW - 30 * DAY).toISOString(),
    });
    const b = makeCustomer(ctx.db, { name: 'Just under 30 days' });
    makeInteraction(ctx.db, { customerId: b, arrivedAt: new Date(NOW - 30 * DAY + 1).toISOString() });
    const survey = ctx.db.prepare(
      `INSERT INTO interaction_surveys (interaction_id, customer_id, status, score, ended_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    // a's latest answered score is 4; a later unanswered survey does not replace it.
    survey.run(first, a, 'completed', 2, new Date(NOW - 40 * DAY).toISOString(), new Date(NOW).toISOString());
    survey.run(
      latest,
      a,
      'completed',
      4,
      new Date(NOW - 30 * DAY).toISOString(),
      new Date(NOW).toISOString(),
    );
    const unanswered = makeInteraction(ctx.db, {
      customerId: b,
      arrivedAt: new Date(NOW - 50 * DAY).toISOString(),
    });
    survey.run(
      unanswered,
      a,
      'no_answer',
      null,
      new Date(NOW - DAY).toISOString(),
      new Date(NOW).toISOString(),
    );
    ctx.db.prepare(`UPDATE customers SET tags = '["edge"]' WHERE id IN (?, ?)`).run(a, b);
    const ids = async (filter: SegmentFilter) => {
      const name = JSON.stringify(filter);
      const saved = (
        await sue('POST', '/api/segments', { name, filter: { ...filter, tags: ['edge'] } })
      ).json();
      const page = (await sue('GET', `/api/customers?segment=${saved.id}`)).json();
      return page.items.map((c: { id: number }) => c.id);
    };
    // a is 30 whole days ago, b 29 days and 23:59:59.999.
    expect(await ids({ lastContactDays: { min: 30 } })).toEqual([a]);
    expect(await ids({ lastContactDays: { max: 29 } })).toEqual([b]);
    expect(await ids({ lastContactDays: { min: 29, max: 30 } })).toEqual([a, b]);
    expect(await ids({ lastContactDays: { min: 31 } })).toEqual([]);
    expect(await ids({ satisfaction: { min: 4, max: 4 } })).toEqual([a]);
    expect(await ids({ satisfaction: { max: 3 } })).toEqual([]);
    expect(await ids({ satisfaction: { min: 1 } })).toEqual([a]);
  });

  it('refuses bad filters with 400 naming the field', async () => {
    const sue = await user('sue');
    const cases: [unknown, RegExp][] = [
      [{ colour: ['red'] }, /additional properties \(colour\)/],
      [{ value: { min: 5, max: 1 } }, /filter\.value: min \(5\) is above max \(1\)/],
      [{ satisfaction: { min: 0 } }, /filter\/satisfaction\/min must be >= 1/],
      [{ tiers: ['diamond'] }, /filter\/tiers\/0/],
      [{ lastContactDays: {} }, /filter\/lastContactDays must NOT have fewer than 1 properties/],
      [{ churnRisk: { min: 50, max: 10 } }, /filter\.churnRisk: min \(50\) is above max \(10\)/],
      [{ churnRisk: { max: 101 } }, /filter\/churnRisk\/max must be <= 100/],
    ];
    for (const [filter, message] of cases) {
      const count = await sue('POST', '/api/segments/count', { filter });
      expect(count.statusCode, JSON.stringify(filter)).toBe(400);
      expect(count.json().message).toMatch(message);
      const save = await sue('POST', '/api/segments', { name: 'Bad', filter });
      expect(save.statusCode).toBe(400);
    }
    expect((await sue('GET', '/api/segments')).json().items).toEqual([]);
    expect((await sue('GET', '/api/customers?segment=12345')).statusCode).toBe(404);
    expect((await sue('GET', '/api/customers?segment=1&q=ana')).statusCode).toBe(400);
    expect((await sue('GET', '/api/customers')).statusCode).toBe(400);
  });

  it('agents list and use segments; supervisors save, rename, delete and export them, audited', async () => {
    const ana = await user('ana');
    const sue = await user('sue');
    const filter = { tiers: ['gold'] };
    expect((await ana('POST', '/api/segments', { name: 'Gold', filter })).statusCode).toBe(403);
    const created = await sue('POST', '/api/segments', { name: 'Gold', filter });
    expect(created.statusCode).toBe(201);
    const { id } = created.json();
    expect(created.json()).toMatchObject({ name: 'Gold', filter, createdByName: 'Sue' });
    expect((await sue('POST', '/api/segments', { name: 'gold', filter })).statusCode).toBe(409);
    expect((await ana('GET', '/api/segments')).json().items.map((s: { id: number }) => s.id)).toEqual([id]);
    expect((await ana('POST', '/api/segments/count', { filter })).statusCode).toBe(200);
    expect((await ana('GET', `/api/customers?segment=${id}`)).statusCode).toBe(200);
    expect((await ana('PATCH', `/api/segments/${id}`, { name: 'Mine' })).statusCode).toBe(403);
    expect((await ana('DELETE', `/api/segments/${id}`)).statusCode).toBe(403);
    expect((await ana('GET', `/api/segments/${id}/customers.csv`)).statusCode).toBe(403);
    const renamed = await sue('PATCH', `/api/segments/${id}`, { name: 'Gold customers' });
    expect(renamed.json().name).toBe('Gold customers');
    expect((await sue('GET', `/api/segments/${id}/customers.csv`)).statusCode).toBe(200);
    expect((await sue('DELETE', `/api/segments/${id}`)).statusCode).toBe(204);
    expect((await sue('GET', `/api/segments/${id}`)).statusCode).toBe(404);
    expect(auditRows()).toEqual([
      {
        action: 'segment.create',
        entity_id: String(id),
        actor: 'sue',
        details: JSON.stringify({ name: 'Gold', filter }),
      },
      {
        action: 'segment.update',
        entity_id: String(id),
        actor: 'sue',
        details: JSON.stringify({ name: 'Gold customers' }),
      },
      {
        action: 'segment.export',
        entity_id: String(id),
        actor: 'sue',
        details: JSON.stringify({ name: 'Gold customers', filter }),
      },
      {
        action: 'segment.delete',
        entity_id: String(id),
        actor: 'sue',
        details: JSON.stringify({ name: 'Gold customers' }),
      },
    ]);
  });

  it('exports the segment as CSV: every customer in it, formula cells escaped', async () => {
    const sue = await user('sue');
    const evil = makeCustomer(ctx.db, {
      name: '=HYPERLINK("http://x","y")',
      company: '+cmd',
      tier: 'platinum',
      lifecycleStage: 'lost',
      phones: ['+14155550199'],
      emails: ['e@example.com'],
    });
    const plain = makeCustomer(ctx.db, {
      name: 'Zhang, "Wei"\n张伟',
      tier: 'platinum',
      lifecycleStage: 'lost',
    });
    ctx.db.prepare(`UPDATE customers SET tags = '["-1","vip"]' WHERE id = ?`).run(evil);
    makeInteraction(ctx.db, { customerId: evil, arrivedAt: '2026-11-20T08:00:00.000Z' });
    const { id } = (
      await sue('POST', '/api/segments', {
        name: 'Lost platinum',
        filter: { tiers: ['platinum'], lifecycleStages: ['lost'] },
      })
    ).json();
    const response = await sue('GET', `/api/segments/${id}/customers.csv`);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="segment-${id}-2026-11-22.csv"`,
    );
    const expectedIds = customers
      .filter((c) => naive(c, { tiers: ['platinum'], lifecycleStages: ['lost'] }))
      .map((c) => c.id);
    const lines = response.body.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe(
      'customerId,name,company,tier,lifecycleStage,tags,phones,emails,value,lastContactAt',
    );
    expect(lines.at(-1)).toBe('');
    const rows = lines.slice(1, -1);
    // The name with a line break stays one row: its cell is quoted.
    expect(rows.map((line) => Number(line.split(',')[0]))).toEqual([...expectedIds, evil, plain]);
    expect(response.body).toContain(
      `${evil},"'=HYPERLINK(""http://x"",""y"")",'+cmd,platinum,lost,'-1 vip,'+14155550199,e@example.com,,2026-11-20T08:00:00.000Z`,
    );
    expect(response.body).toContain(`${plain},"Zhang, ""Wei""\n张伟",,platinum,lost,,,,,\r\n`);
  });

  it('a summary by segment counts the interactions of its customers now, as worked out by hand', async () => {
    const sue = await user('sue');
    const ana = ctx.db.prepare("SELECT id FROM agents WHERE username = 'ana'").pluck().get() as number;
    const queue = makeQueue(ctx.db, 'Support');
    const vip = makeCustomer(ctx.db, { name: 'In', tier: 'gold', lifecycleStage: 'active' });
    const other = makeCustomer(ctx.db, { name: 'Out', tier: 'bronze', lifecycleStage: 'active' });
    const repo = createInteractionsRepository(ctx.db);
    playInboundCall(repo, 1, {
      queueId: queue,
      arrivedAt: '2026-11-22T08:00:00.000Z',
      wait: 10,
      agentId: ana,
      customerId: vip,
    });
    playInboundCall(repo, 2, {
      queueId: queue,
      arrivedAt: '2026-11-22T09:05:00.000Z',
      wait: 30,
      agentId: ana,
      customerId: vip,
    });
    playInboundCall(repo, 3, {
      queueId: queue,
      arrivedAt: '2026-11-22T09:10:00.000Z',
      wait: 50,
      customerId: vip,
    });
    playInboundCall(repo, 4, {
      queueId: queue,
      arrivedAt: '2026-11-22T08:30:00.000Z',
      wait: 20,
      agentId: ana,
      customerId: other,
    });
    playInboundCall(repo, 5, { queueId: queue, arrivedAt: '2026-11-22T08:40:00.000Z', wait: 40 });
    // Outside the range: not counted.
    playInboundCall(repo, 6, {
      queueId: queue,
      arrivedAt: '2026-11-21T23:50:00.000Z',
      wait: 5,
      agentId: ana,
      customerId: vip,
    });
    // The generated customers: none gold and named "In"; a segment of one, by tag.
    ctx.db.prepare(`UPDATE customers SET tags = '["segment-test"]' WHERE id = ?`).run(vip);
    const { id } = (
      await sue('POST', '/api/segments', { name: 'Tagged', filter: { tags: ['segment-test'] } })
    ).json();
    const range = 'from=2026-11-22T00:00:00Z&to=2026-11-22T10:00:00Z';
    const report = (await sue('GET', `/api/reports/summary?${range}&segmentId=${id}`)).json();
    expect(report.totals).toMatchObject({
      contacts: 3,
      offered: 3,
      answered: 2,
      abandoned: 1,
      asaSeconds: 20, // (10 + 30) / 2
      averageAbandonWaitSeconds: 50,
      longestWaitSeconds: 50,
    });
    const byHour = (await sue('GET', `/api/reports/summary?${range}&segmentId=${id}&interval=hour`)).json();
    expect(
      byHour.rows.map((row: { periodStart: string; metrics: { offered: number; answered: number } }) => [
        row.periodStart,
        row.metrics.offered,
        row.metrics.answered,
      ]),
    ).toEqual([
      ['2026-11-22T08:00:00.000Z', 1, 1],
      ['2026-11-22T09:00:00.000Z', 2, 1],
    ]);
    expect(byHour.totals).toEqual(report.totals);
    const byQueue = (await sue('GET', `/api/reports/summary?${range}&segmentId=${id}&by=queue`)).json();
    expect(byQueue.rows).toMatchObject([{ group: { id: queue, name: 'Support' }, metrics: { offered: 3 } }]);
    // The same filter applies on top: only the answered agent's calls.
    const withAgent = (
      await sue('GET', `/api/reports/summary?${range}&segmentId=${id}&agentId=${ana}`)
    ).json();
    expect(withAgent.totals.answered).toBe(2);
    const csv = await sue('GET', `/api/reports/summary.csv?${range}&segmentId=${id}`);
    expect(csv.statusCode).toBe(200);
    expect((await sue('GET', `/api/reports/summary?${range}&segmentId=9999`)).statusCode).toBe(400);
  });
});
