import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../db/connection.js';
import { loadMigrations, migrate } from '../../db/migrate.js';
import { playCalls } from '../testing/calls-month.js';
import { makeAgent, makeCustomer, makeQueue } from '../testing/factories.js';
import { createRollupRepository } from './rollup.repository.js';
import { ROLLUP_TABLES } from './rollup-tables.js';
import { COUNTERS } from './rollups.js';

/**
 * The rollups, recomputed straight from the interactions in SQL, independently of rollups.ts: what
 * the rollups must always equal.
 */
const RAW = `
WITH calls AS (
  SELECT i.*, coalesce(c.tier, '') AS tier_key, coalesce(c.lifecycle_stage, '') AS stage_key, q.sl_target_seconds AS target,
         (CAST(unixepoch(i.arrived_at) AS INTEGER) / 900) * 900 AS bucket,
         round((unixepoch(coalesce(i.answered_at, i.ended_at), 'subsec') - unixepoch(i.queued_at, 'subsec')) * 1000) AS wait
  FROM interactions i LEFT JOIN customers c ON c.id = i.customer_id LEFT JOIN call_queues q ON q.id = i.queue_id
  WHERE i.state = 'completed'
),
own AS (
  SELECT bucket, coalesce(queue_id, 0) AS q, coalesce(agent_id, 0) AS a, tier_key AS t, stage_key AS s,
         coalesce(wrap_up_code_id, 0) AS w, direction AS d, provider AS p,
         count(*) AS contacts,
         count(queued_at) AS offered,
         sum(queued_at IS NOT NULL AND answered_at IS NOT NULL) AS answered,
         sum(queued_at IS NOT NULL AND answered_at IS NOT NULL AND wait <= target * 1000) AS answered_in_sl,
         sum(queued_at IS NOT NULL AND answered_at IS NULL AND outcome = 'abandoned') AS abandoned,
         sum(queued_at IS NOT NULL AND answered_at IS NULL AND outcome = 'abandoned' AND wait < 5000) AS short_abandoned,
         sum(CASE WHEN queued_at IS NOT NULL AND answered_at IS NOT NULL THEN wait ELSE 0 END) AS answer_wait_ms,
         sum(CASE WHEN queued_at IS NOT NULL AND answered_at IS NULL AND outcome = 'abandoned' THEN wait ELSE 0 END) AS abandon_wait_ms,
         coalesce(max(CASE WHEN queued_at IS NOT NULL THEN max(wait, 0) END), 0) AS wait_max_ms,
         sum(answered_at IS NOT NULL) AS handled,
         sum(CASE WHEN answered_at IS NOT NULL THEN max(0, round((unixepoch(ended_at, 'subsec') - unixepoch(answered_at, 'subsec')) * 1000) - held_seconds * 1000) ELSE 0 END) AS talk_ms,
         sum(CASE WHEN answered_at IS NOT NULL THEN held_seconds * 1000 ELSE 0 END) AS hold_ms,
         sum(answered_at IS NOT NULL AND held_seconds > 0) AS held,
         sum(CASE WHEN answered_at IS NOT NULL AND wrap_up_ended_at IS NOT NULL THEN round((unixepoch(wrap_up_ended_at, 'subsec') - unixepoch(ended_at, 'subsec')) * 1000) ELSE 0 END) AS acw_ms,
         sum(outcome = 'transferred') AS transfers,
         sum(outcome = 'callback') AS callbacks_requested,
         sum(origin IS 'callback' AND answered_at IS NOT NULL) AS callbacks_kept,
         sum(origin IS 'callback' AND answered_at IS NULL) AS callbacks_failed,
         0 AS rona, 0 AS declined,
         sum(outcome = 'voicemail') AS voicemails,
         sum(direction = 'inbound' AND origin IS NULL) AS ivr_entered,
         sum(direction = 'inbound' AND origin IS NULL AND queued_at IS NULL AND outcome NOT IN ('voicemail', 'callback', 'failed')) AS ivr_contained,
         sum(outcome = 'failed') AS failed
  FROM calls GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
),
missed AS (
  SELECT bucket, coalesce(queue_id, 0) AS q, e.agent_id AS a, tier_key AS t, stage_key AS s, 0 AS w, direction AS d, provider AS p,
         0 AS contacts, 0 AS offered, 0 AS answered, 0 AS answered_in_sl, 0 AS abandoned, 0 AS short_abandoned,
         0 AS answer_wait_ms, 0 AS abandon_wait_ms, 0 AS wait_max_ms, 0 AS handled, 0 AS talk_ms, 0 AS hold_ms,
         0 AS held, 0 AS acw_ms, 0 AS transfers, 0 AS callbacks_requested, 0 AS callbacks_kept, 0 AS callbacks_failed,
         sum(json_extract(e.data, '$.reason') = 'timed_out') AS rona,
         sum(json_extract(e.data, '$.reason') = 'rejected') AS declined,
         0 AS voicemails, 0 AS ivr_entered, 0 AS ivr_contained, 0 AS failed
  FROM calls JOIN interaction_events e ON e.interaction_id = calls.id AND e.type = 'offer_declined'
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
)
SELECT bucket AS bucket_start, q AS queue_id, a AS agent_id, t AS tier, s AS lifecycle_stage, w AS wrap_up_code_id, d AS direction, p AS provider,
       sum(contacts) AS contacts, sum(offered) AS offered, sum(answered) AS answered, sum(answered_in_sl) AS answered_in_sl,
       sum(abandoned) AS abandoned, sum(short_abandoned) AS short_abandoned, sum(answer_wait_ms) AS answer_wait_ms,
       sum(abandon_wait_ms) AS abandon_wait_ms, max(wait_max_ms) AS wait_max_ms, sum(handled) AS handled,
       sum(talk_ms) AS talk_ms, sum(hold_ms) AS hold_ms, sum(held) AS held, sum(acw_ms) AS acw_ms,
       sum(transfers) AS transfers, sum(callbacks_requested) AS callbacks_requested, sum(callbacks_kept) AS callbacks_kept,
       sum(callbacks_failed) AS callbacks_failed, sum(rona) AS rona, sum(declined) AS declined,
       sum(voicemails) AS voicemails, sum(ivr_entered) AS ivr_entered, sum(ivr_contained) AS ivr_contained,
       sum(failed) AS failed
FROM (SELECT * FROM own UNION ALL SELECT * FROM missed)
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
ORDER BY 1, 2, 3, 4, 5, 6, 7, 8`;

const ROLLUPS = `SELECT * FROM report_rollups
  ORDER BY bucket_start, queue_id, agent_id, tier, lifecycle_stage, wrap_up_code_id, direction, provider`;

/** Every coarse table must equal the 15-minute table summed to its key, maximum included. */
function expectCoarseTablesInStep(db: Db) {
  for (const { name, seconds, keys } of ROLLUP_TABLES.slice(1)) {
    const dims = keys.slice(1);
    const order = keys.map((_, n) => n + 1).join(', ');
    const summed = db
      .prepare(
        `SELECT bucket_start - bucket_start % ${seconds} AS bucket_start, ${dims.join(', ')},
                ${COUNTERS.map((c) => `${c === 'wait_max_ms' ? 'max' : 'sum'}(${c}) AS ${c}`).join(', ')}
         FROM report_rollups GROUP BY ${order} ORDER BY ${order}`,
      )
      .all();
    // In the key's column order, which a table keyed by queue first does not share.
    const kept = db
      .prepare(`SELECT ${[...keys, ...COUNTERS].join(', ')} FROM ${name} ORDER BY ${order}`)
      .all();
    expect(kept, name).toEqual(summed);
  }
}

const CLEAR =
  ROLLUP_TABLES.map((t) => `DELETE FROM ${t.name};`).join(' ') + ' DELETE FROM report_contributions;';

describe('report rollups', () => {
  let db: Db;
  let world: { queues: number[]; agents: number[]; customers: number[]; codes: number[] };

  beforeEach(async () => {
    db = openDatabase({ file: ':memory:' });
    migrate(db);
    const queues = [makeQueue(db, 'Sales'), makeQueue(db, 'Support')];
    db.prepare('UPDATE call_queues SET sl_target_seconds = 30 WHERE id = ?').run(queues[1]);
    const agents = [];
    for (const name of ['ana', 'bo', 'cy']) agents.push(await makeAgent(db, { username: name }));
    const customers = (['platinum', 'gold', 'silver', 'bronze'] as const).map((tier, n) =>
      makeCustomer(db, { name: `Customer ${n}`, tier }),
    );
    const set = Number(
      db.prepare("INSERT INTO wrap_up_code_sets (name) VALUES ('default')").run().lastInsertRowid,
    );
    const codes = ['billing', 'outage', 'sales'].map((code) =>
      Number(
        db.prepare('INSERT INTO wrap_up_codes (set_id, code, label) VALUES (?, ?, ?)').run(set, code, code)
          .lastInsertRowid,
      ),
    );
    world = { queues, agents, customers, codes };
  });
  afterEach(() => db.close());

  it('equal a raw recomputation of a generated month, repeated and late webhooks included', () => {
    const ids = playCalls(db, world, new Date('2026-10-01T00:00:00.000Z'), 700);
    expect(ids.length).toBeGreaterThan(700);
    const raw = db.prepare(RAW).all();
    expect(db.prepare(ROLLUPS).all()).toEqual(raw);
    expectCoarseTablesInStep(db);
    // Every kind of figure was exercised.
    const totals = db
      .prepare(
        `SELECT sum(short_abandoned) AS s, sum(rona) AS r, sum(declined) AS d, sum(callbacks_kept) AS k,
                sum(callbacks_failed) AS f, sum(transfers) AS t, sum(acw_ms) AS acw, sum(ivr_contained) AS ivr
         FROM report_rollups`,
      )
      .get() as Record<string, number>;
    for (const value of Object.values(totals)) expect(value).toBeGreaterThan(0);

    // Rolling every interaction up again, as a repeated webhook would, changes nothing.
    const rollups = createRollupRepository(db);
    expect(ids.map((id) => rollups.rollUp(id)).filter(Boolean)).toEqual([]);
    expect(db.prepare(ROLLUPS).all()).toEqual(raw);

    // A rebuild from nothing lands on the same rows.
    db.exec(CLEAR);
    expect(rollups.rebuild({ batchSize: 50 })).toBe(
      db.prepare("SELECT count(*) AS n FROM interactions WHERE state = 'completed'").pluck().get(),
    );
    expect(db.prepare(ROLLUPS).all()).toEqual(raw);
    expectCoarseTablesInStep(db);
  });

  it('moves a closed call between keys when a fact changes, leaving no stale row or maximum', () => {
    playCalls(db, world, new Date('2026-10-01T00:00:00.000Z'), 200, 7);
    const rollups = createRollupRepository(db);
    db.prepare("UPDATE customers SET tier = 'gold' WHERE tier = 'platinum'").run();
    const changedIds = db
      .prepare(
        `SELECT i.id FROM interactions i JOIN customers c ON c.id = i.customer_id
         WHERE c.tier = 'gold' AND i.state = 'completed'`,
      )
      .pluck()
      .all() as number[];
    expect(changedIds.map((id) => rollups.rollUp(id)).filter(Boolean).length).toBeGreaterThan(0);
    expect(db.prepare("SELECT count(*) FROM report_rollups WHERE tier = 'platinum'").pluck().get()).toBe(0);
    expect(db.prepare(ROLLUPS).all()).toEqual(db.prepare(RAW).all());
    expectCoarseTablesInStep(db);
  });

  it('keeps the coarse tables and their maxima exact through corrections that lower a wait', () => {
    const ids = playCalls(db, world, new Date('2026-10-01T00:00:00.000Z'), 300, 11);
    const rollups = createRollupRepository(db);
    // Late corrections: every caller moves stage, and the longest waits of each day get shorter,
    // so coarse maxima must be taken again from what is left.
    db.prepare("UPDATE customers SET lifecycle_stage = 'at_risk' WHERE tier IN ('gold', 'bronze')").run();
    const longest = db
      .prepare(
        `SELECT id FROM interactions WHERE state = 'completed' AND queued_at IS NOT NULL AND answered_at IS NOT NULL
         ORDER BY unixepoch(answered_at, 'subsec') - unixepoch(queued_at, 'subsec') DESC LIMIT 40`,
      )
      .pluck()
      .all() as number[];
    db.prepare(
      `UPDATE interactions SET answered_at = strftime('%Y-%m-%dT%H:%M:%fZ', queued_at, '+1 seconds')
       WHERE id IN (${longest.join(', ')})`,
    ).run();
    const changed = ids.map((id) => rollups.rollUp(id)).filter(Boolean).length;
    expect(changed).toBeGreaterThan(40);
    expect(
      db.prepare("SELECT count(*) FROM report_rollups_daily WHERE lifecycle_stage = 'at_risk'").pluck().get(),
    ).toBeGreaterThan(0);
    expect(db.prepare(ROLLUPS).all()).toEqual(db.prepare(RAW).all());
    expectCoarseTablesInStep(db);
  });

  it('counts a changed short-abandon threshold only after a rebuild', () => {
    playCalls(db, world, new Date('2026-10-01T00:00:00.000Z'), 150, 3);
    const rollups = createRollupRepository(db);
    expect(rollups.useShortAbandonSeconds(5)).toBe(false);
    expect(rollups.useShortAbandonSeconds(8)).toBe(true);
    const before = db.prepare('SELECT sum(short_abandoned) FROM report_rollups').pluck().get() as number;
    rollups.rebuild();
    const after = db.prepare('SELECT sum(short_abandoned) FROM report_rollups').pluck().get() as number;
    expect(after).toBeGreaterThan(before);
  });
});

describe('migration 008', () => {
  it("gives existing contributions their caller's stage and fills every rollup table from them", () => {
    const db = openDatabase({ file: ':memory:' });
    migrate(db, loadMigrations().slice(0, 7));
    const now = '2026-10-01T00:00:00.000Z';
    const customer = db.prepare(
      'INSERT INTO customers (name, tier, lifecycle_stage, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
    );
    const ada = customer.run('Ada', 'gold', 'at_risk', now, now).lastInsertRowid;
    const ben = customer.run('Ben', 'silver', 'lost', now, now).lastInsertRowid;
    const call = db.prepare(
      `INSERT INTO interactions (direction, provider, customer_id, state, arrived_at)
       VALUES ('inbound', 'twilio', ?, 'completed', ?)`,
    );
    const calls = [ada, ben, null].map((id) => Number(call.run(id, now).lastInsertRowid));
    const contribution = db.prepare(
      `INSERT INTO report_contributions (interaction_id, seq, bucket_start, queue_id, agent_id, tier,
         wrap_up_code_id, direction, provider, contacts, offered, answered, answer_wait_ms, wait_max_ms, rona)
       VALUES (?, ?, ?, 1, ?, ?, 0, 'inbound', 'twilio', ?, ?, ?, ?, ?, ?)`,
    );
    const day = 1_790_812_800; // 2026-10-01T00:00Z
    contribution.run(calls[0], 0, day + 900, 1, 'gold', 1, 1, 1, 4000, 4000, 0);
    contribution.run(calls[0], 1, day + 900, 2, 'gold', 0, 0, 0, 0, 0, 1);
    contribution.run(calls[1], 0, day + 4500, 1, 'silver', 1, 1, 1, 9000, 9000, 0);
    contribution.run(calls[2], 0, day + 86_400, 0, '', 1, 1, 0, 0, 12_000, 0);
    db.exec(`INSERT INTO report_rollups (bucket_start, queue_id, agent_id, tier, wrap_up_code_id, direction,
               provider, contacts, offered, answered, answer_wait_ms, wait_max_ms, rona)
             SELECT bucket_start, queue_id, agent_id, tier, wrap_up_code_id, direction, provider,
                    sum(contacts), sum(offered), sum(answered), sum(answer_wait_ms), max(wait_max_ms), sum(rona)
             FROM report_contributions GROUP BY 1, 2, 3, 4, 5, 6, 7`);

    migrate(db);
    expect(
      db
        .prepare('SELECT lifecycle_stage FROM report_contributions ORDER BY interaction_id, seq')
        .pluck()
        .all(),
    ).toEqual(['at_risk', 'at_risk', 'lost', '']);
    expect(
      db.prepare('SELECT lifecycle_stage, contacts, rona FROM report_rollups ORDER BY 1, 2').all(),
    ).toEqual([
      { lifecycle_stage: '', contacts: 1, rona: 0 },
      { lifecycle_stage: 'at_risk', contacts: 0, rona: 1 },
      { lifecycle_stage: 'at_risk', contacts: 1, rona: 0 },
      { lifecycle_stage: 'lost', contacts: 1, rona: 0 },
    ]);
    expect(db.prepare('SELECT count(*) FROM report_rollups_daily').pluck().get()).toBe(3);
    expectCoarseTablesInStep(db);
    db.close();
  });
});
