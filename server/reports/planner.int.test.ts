import { reportsServiceOn } from './reports-on-db.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../db/connection.js';
import { migrate } from '../../db/migrate.js';
import { createRng } from '../../scripts/fuzz/prng.js';
import { LIFECYCLE_STAGES, TIERS } from '../../contracts/glossary.js';
import { playCalls } from '../testing/calls-month.js';
import { makeAgent, makeCustomer, makeQueue } from '../testing/factories.js';
import { systemClock } from '../clock.js';
import {
  FILTER_COLUMN,
  createReportsRepository,
  type RollupFilter,
  type SecondsRange,
} from './reports.repository.js';
import type { GroupBy, ReportQuery } from './reports.schemas.js';
import { COUNTERS } from './rollups.js';
import { INTERVALS, MAX_RANGE_DAYS, periodsOf, type Interval } from './time-periods.js';

const GROUP_COLUMN: Record<GroupBy, string> = {
  queue: 'queue_id',
  agent: 'agent_id',
  tier: 'tier',
  lifecycle: 'lifecycle_stage',
  code: 'wrap_up_code_id',
};

/** The answer from the 15-minute table alone: what the planner's pieces must add up to. */
function fifteenMinuteSums(db: Db, filter: RollupFilter, periods: SecondsRange[], by?: GroupBy) {
  const set = Object.entries(filter).filter(([, value]) => value !== undefined);
  return db
    .prepare(
      `SELECT CAST(p.key AS INTEGER) AS period, ${by ? `r.${GROUP_COLUMN[by]}` : 'NULL'} AS grp,
              ${COUNTERS.map((c) => `${c === 'wait_max_ms' ? 'max' : 'sum'}(r.${c}) AS ${c}`).join(', ')}
       FROM json_each(@periods) p
       CROSS JOIN report_rollups r ON r.bucket_start >= p.value ->> 0 AND r.bucket_start < p.value ->> 1
       WHERE 1 = 1${set.map(([name]) => ` AND r.${FILTER_COLUMN[name as keyof RollupFilter]} = @${name}`).join('')}
       GROUP BY period, grp ORDER BY period, grp`,
    )
    .all({ ...Object.fromEntries(set), periods: JSON.stringify(periods) });
}

const ZONES = ['UTC', 'Europe/London', 'Asia/Kolkata', 'America/New_York'];
const GROUPS: GroupBy[] = ['queue', 'agent', 'tier', 'lifecycle', 'code'];

describe('report planner', () => {
  let db: Db;
  let world: { queues: number[]; agents: number[]; customers: number[]; codes: number[] };

  beforeAll(async () => {
    db = openDatabase({ file: ':memory:' });
    migrate(db);
    const queues = [makeQueue(db, 'Sales'), makeQueue(db, 'Support')];
    const agents = [];
    for (const name of ['ana', 'bo', 'cy']) agents.push(await makeAgent(db, { username: name }));
    const customers = TIERS.flatMap((tier, t) =>
      LIFECYCLE_STAGES.slice(t, t + 2).map((lifecycleStage) =>
        makeCustomer(db, { name: `Customer ${tier} ${lifecycleStage}`, tier, lifecycleStage }),
      ),
    );
    const set = Number(
      db.prepare("INSERT INTO wrap_up_code_sets (name) VALUES ('default')").run().lastInsertRowid,
    );
    const codes = ['billing', 'outage'].map((code) =>
      Number(
        db.prepare('INSERT INTO wrap_up_codes (set_id, code, label) VALUES (?, ?, ?)').run(set, code, code)
          .lastInsertRowid,
      ),
    );
    world = { queues, agents, customers, codes };
    // 30 days over both autumn DST changes: London on 25 October, New York on 1 November.
    playCalls(db, world, new Date('2026-10-10T00:00:00.000Z'), 1500, 5);
  });
  afterAll(() => db.close());

  it('answers every filter, grouping, interval and zone as the 15-minute table does', () => {
    const repository = createReportsRepository(db);
    const random = createRng(42);
    const pick = <T>(list: readonly T[]) => list[random.int(0, list.length - 1)]!;
    const maybe = <T>(value: T) => (random.next() < 0.3 ? value : undefined);
    const quarter = 900_000;
    const first = Date.parse('2026-10-08T00:00:00.000Z');
    for (let n = 0; n < 300; n += 1) {
      const timeZone = pick(ZONES);
      const interval: Interval | undefined = random.next() < 0.2 ? undefined : pick(INTERVALS);
      const maxQuarters = ((interval ? MAX_RANGE_DAYS[interval] : 40) * 86_400_000) / quarter;
      const fromMs = first + random.int(0, 35 * 96) * quarter;
      const toMs = fromMs + random.int(1, Math.min(maxQuarters, 36 * 96)) * quarter;
      const by = random.next() < 0.3 ? undefined : pick(GROUPS);
      const filter: RollupFilter = {
        queueId: maybe(pick(world.queues)),
        agentId: maybe(pick(world.agents)),
        tier: maybe(pick(TIERS)),
        lifecycleStage: maybe(pick(LIFECYCLE_STAGES)),
        wrapUpCodeId: random.next() < 0.15 ? pick(world.codes) : undefined,
        provider: random.next() < 0.2 ? pick(['twilio', 'sip']) : undefined,
        direction: random.next() < 0.2 ? pick(['inbound', 'outbound']) : undefined,
      };
      const periods: SecondsRange[] = (
        interval ? periodsOf(interval, fromMs, toMs, timeZone) : [{ startMs: fromMs, endMs: toMs }]
      ).map((p) => [p.startMs / 1000, p.endMs / 1000]);
      const context = JSON.stringify({ timeZone, interval, fromMs, toMs, by, filter });
      expect(repository.sums(filter, periods, by), context).toEqual(
        fifteenMinuteSums(db, filter, periods, by),
      );
    }
  });

  it('adds the rows up to the totals, and filters and groups by lifecycle stage', () => {
    const reports = reportsServiceOn(db, systemClock);
    const range = { from: '2026-10-01T00:00:00.000Z', to: '2026-11-15T00:00:00.000Z' };
    const query = (fields: Partial<ReportQuery>) =>
      reports.summary({ ...range, timeZone: 'Asia/Kolkata', ...fields });
    const whole = query({});
    const byStage = query({ by: 'lifecycle' });
    expect(byStage.totals).toEqual(whole.totals);
    const stages = byStage.rows.map((row) => row.group!.id);
    expect(stages).toEqual([null, ...[...LIFECYCLE_STAGES].sort()]);
    for (const row of byStage.rows.filter((r) => r.group!.id !== null)) {
      const lifecycleStage = row.group!.id as ReportQuery['lifecycleStage'];
      expect(query({ lifecycleStage }).totals).toEqual(row.metrics);
      expect(query({ lifecycleStage, interval: 'day' }).totals).toEqual(row.metrics);
    }
    const wonBackContacts = db
      .prepare(
        `SELECT count(*) FROM interactions i JOIN customers c ON c.id = i.customer_id
         WHERE i.state = 'completed' AND c.lifecycle_stage = 'won_back'`,
      )
      .pluck()
      .get();
    expect(query({ lifecycleStage: 'won_back' }).totals.contacts).toBe(wonBackContacts);
  });
});
