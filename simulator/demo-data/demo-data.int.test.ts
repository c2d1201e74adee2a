import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isValidPhoneNumber, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../db/connection.js';
import { migrate } from '../../db/migrate.js';
import { seedDemoData, type DemoDataOptions } from './index.js';

const SMALL: DemoDataOptions = {
  customers: 300,
  days: 10,
  interactionsPerDay: 100,
  seed: 42,
  now: new Date('2026-11-22T10:00:00.000Z'),
  passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$ZGVtby1zYWx0$ZGVtby1oYXNo',
};

const openDbs: Db[] = [];
const tempDirs: string[] = [];

afterEach(() => {
  for (const db of openDbs.splice(0)) db.close();
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function freshDb(): Db {
  const dir = mkdtempSync(join(tmpdir(), 'cti-seed-'));
  tempDirs.push(dir);
  const db = openDatabase({ file: join(dir, 'cti.db') });
  openDbs.push(db);
  migrate(db);
  return db;
}

const scalar = (db: Db, sql: string) => db.prepare(sql).pluck().get() as number;
const column = <T>(db: Db, sql: string) => db.prepare(sql).pluck().all() as T[];
const tableHash = (db: Db, sql: string) =>
  createHash('sha256')
    .update(JSON.stringify(db.prepare(sql).raw().all()))
    .digest('hex');

describe('seedDemoData', () => {
  it('writes what its summary reports and marks the database as demo data', () => {
    const db = freshDb();
    const summary = seedDemoData(db, SMALL);

    expect(summary).toEqual({
      customers: scalar(db, 'SELECT count(*) FROM customers'),
      phones: scalar(db, 'SELECT count(*) FROM customer_phones'),
      emails: scalar(db, 'SELECT count(*) FROM customer_emails'),
      agents: scalar(db, 'SELECT count(*) FROM agents'),
      queues: scalar(db, 'SELECT count(*) FROM call_queues'),
      interactions: scalar(db, 'SELECT count(*) FROM interactions'),
      events: scalar(db, 'SELECT count(*) FROM interaction_events'),
      followUps: scalar(db, 'SELECT count(*) FROM follow_ups'),
    });
    expect(summary).toMatchObject({ customers: 300, interactions: 1000, agents: 22, queues: 4 });
    expect(summary.followUps).toBeGreaterThan(0);
    expect(
      JSON.parse(db.prepare("SELECT value FROM app_meta WHERE key = 'demo_data'").pluck().get() as string),
    ).toMatchObject({ seed: 42, customers: 300, days: 10, interactionsPerDay: 100 });
    // The customers repository owns the search index and rebuilds it after seeding.
    expect(scalar(db, 'SELECT count(*) FROM customer_search')).toBe(0);
  });

  it('gives identical rows for the same seed and options, and different ones for another seed', () => {
    const tables = [
      'SELECT * FROM agents ORDER BY id',
      'SELECT * FROM call_queues ORDER BY id',
      'SELECT * FROM customers ORDER BY id',
      'SELECT * FROM customer_phones ORDER BY id',
      'SELECT * FROM customer_emails ORDER BY id',
      'SELECT * FROM interactions ORDER BY id',
      'SELECT * FROM interaction_events ORDER BY id',
      'SELECT * FROM follow_ups ORDER BY id',
    ];
    const first = freshDb();
    const second = freshDb();
    const other = freshDb();
    seedDemoData(first, SMALL);
    seedDemoData(second, SMALL);
    seedDemoData(other, { ...SMALL, seed: 43 });

    for (const sql of tables) expect(tableHash(second, sql), sql).toBe(tableHash(first, sql));
    expect(tableHash(other, tables[2] ?? '')).not.toBe(tableHash(first, tables[2] ?? ''));
  });

  it('stores every phone number as valid E.164, unknown callers outside the customer phones', () => {
    const db = freshDb();
    seedDemoData(db, SMALL);
    const numbers = [
      ...column<string>(db, 'SELECT e164 FROM customer_phones'),
      ...column<string>(db, 'SELECT phone_number FROM agents WHERE phone_number IS NOT NULL'),
      ...column<string>(
        db,
        'SELECT DISTINCT caller_number FROM interactions WHERE caller_number IS NOT NULL',
      ),
    ];

    expect(numbers.length).toBeGreaterThan(300);
    const invalid = numbers.filter(
      (number) => !isValidPhoneNumber(number) || parsePhoneNumberFromString(number)?.number !== number,
    );
    expect(invalid).toEqual([]);
    expect(
      scalar(
        db,
        `SELECT count(*) FROM interactions i WHERE i.customer_id IS NULL
           AND EXISTS (SELECT 1 FROM customer_phones p WHERE p.e164 = i.caller_number)`,
      ),
    ).toBe(0);
    expect(
      scalar(
        db,
        `SELECT count(*) FROM interactions i WHERE i.caller_number IS NOT NULL AND i.customer_id IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM customer_phones p WHERE p.e164 = i.caller_number AND p.customer_id = i.customer_id)`,
      ),
    ).toBe(0);
  });

  it('shapes customers realistically: a tier pyramid, both languages, erased ones without contact data', () => {
    const db = freshDb();
    seedDemoData(db, SMALL);
    const tiers = Object.fromEntries(
      db.prepare('SELECT tier, count(*) FROM customers GROUP BY tier').raw().all() as [string, number][],
    );
    const chinese = scalar(db, "SELECT count(*) FROM customers WHERE language = 'zh-CN'");

    expect(tiers.platinum).toBeGreaterThan(0);
    expect(tiers.platinum).toBeLessThan(tiers.gold ?? 0);
    expect(tiers.gold).toBeLessThan(tiers.silver ?? 0);
    expect(tiers.silver).toBeLessThan(tiers.bronze ?? 0);
    expect(chinese).toBeGreaterThan(100);
    expect(chinese).toBeLessThan(200);
    expect(
      scalar(
        db,
        "SELECT count(DISTINCT json_extract(attributes, '$.accountNumber')) FROM customers WHERE erased_at IS NULL",
      ),
    ).toBe(scalar(db, 'SELECT count(*) FROM customers WHERE erased_at IS NULL'));
    expect(scalar(db, 'SELECT count(*) FROM customers WHERE erased_at IS NOT NULL')).toBeGreaterThan(0);
    expect(
      scalar(
        db,
        `SELECT count(*) FROM customers c WHERE c.erased_at IS NOT NULL AND (c.name <> '(erased)'
           OR EXISTS (SELECT 1 FROM customer_phones WHERE customer_id = c.id)
           OR EXISTS (SELECT 1 FROM customer_emails WHERE customer_id = c.id))`,
      ),
    ).toBe(0);
  });

  it('answers calls after they queue, by an agent with the skill the queue requires', () => {
    const db = freshDb();
    seedDemoData(db, SMALL);

    expect(
      scalar(db, "SELECT count(*) FROM interactions WHERE outcome IN ('answered', 'transferred')"),
    ).toBeGreaterThan(800);
    expect(
      scalar(
        db,
        `SELECT count(*) FROM interactions i WHERE i.outcome IN ('answered', 'transferred') AND (
           i.agent_id IS NULL OR i.answered_at < i.queued_at OR i.ended_at <= i.answered_at
           OR i.wrap_up_ended_at < i.ended_at
           OR EXISTS (SELECT 1 FROM queue_skills qs WHERE qs.queue_id = i.queue_id AND NOT EXISTS (
             SELECT 1 FROM agent_skills s
             WHERE s.agent_id = i.agent_id AND s.skill_id = qs.skill_id AND s.proficiency >= qs.min_proficiency)))`,
      ),
    ).toBe(0);
    expect(
      scalar(
        db,
        `SELECT count(*) FROM interactions WHERE outcome NOT IN ('answered', 'transferred')
           AND (agent_id IS NOT NULL OR answered_at IS NOT NULL OR wrap_up_code_id IS NOT NULL)`,
      ),
    ).toBe(0);
    expect(
      scalar(
        db,
        `SELECT count(*) FROM interactions i JOIN call_queues q ON q.id = i.queue_id
           WHERE i.wrap_up_code_id IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM wrap_up_codes c WHERE c.id = i.wrap_up_code_id AND c.set_id = q.wrap_up_code_set_id)`,
      ),
    ).toBe(0);
    const skilledAgentsPerQueue = column<number>(
      db,
      `SELECT (SELECT count(*) FROM agent_skills s
                 WHERE s.skill_id = qs.skill_id AND s.proficiency >= qs.min_proficiency)
         FROM queue_skills qs`,
    );
    expect(skilledAgentsPerQueue).toHaveLength(4);
    for (const agents of skilledAgentsPerQueue) expect(agents).toBeGreaterThanOrEqual(5);
  });

  it('records interactions in arrival order, each with a timeline in time order that matches it', () => {
    const db = freshDb();
    seedDemoData(db, SMALL);

    expect(
      scalar(
        db,
        `SELECT count(*) FROM (SELECT arrived_at, lag(arrived_at) OVER (ORDER BY id) AS previous FROM interactions)
           WHERE previous > arrived_at`,
      ),
    ).toBe(0);
    expect(
      scalar(
        db,
        `SELECT count(*) FROM (
           SELECT at, lag(at) OVER (PARTITION BY interaction_id ORDER BY id) AS previous FROM interaction_events)
         WHERE previous > at`,
      ),
    ).toBe(0);
    expect(
      scalar(
        db,
        `SELECT count(*) FROM interactions i WHERE
           (SELECT type || '@' || at FROM interaction_events WHERE interaction_id = i.id ORDER BY id LIMIT 1)
             IS NOT 'arrived@' || i.arrived_at
           OR (SELECT at FROM interaction_events WHERE interaction_id = i.id ORDER BY id DESC LIMIT 1)
             IS NOT coalesce(i.wrap_up_ended_at, i.ended_at)
           OR (SELECT json_extract(data, '$.outcome') FROM interaction_events
                WHERE interaction_id = i.id AND type = 'ended') IS NOT i.outcome`,
      ),
    ).toBe(0);
    expect(scalar(db, `SELECT count(*) FROM interactions WHERE ended_at > '2026-11-22T10:00:00.000Z'`)).toBe(
      0,
    );
  });

  it('refuses a database that already has agents, leaving it untouched', () => {
    const db = freshDb();
    seedDemoData(db, SMALL);
    const customers = scalar(db, 'SELECT count(*) FROM customers');

    expect(() => seedDemoData(db, SMALL)).toThrow(/agents table is not empty/);
    expect(scalar(db, 'SELECT count(*) FROM customers')).toBe(customers);
  });

  it('leaves no dangling foreign keys', () => {
    const db = freshDb();
    seedDemoData(db, SMALL);

    expect(db.pragma('foreign_key_check')).toEqual([]);
  });

  it('seeds the default set: about 60,000 calls over 90 days', () => {
    const db = freshDb();
    const summary = seedDemoData(db, { passwordHash: SMALL.passwordHash, now: SMALL.now });

    expect(summary.customers).toBe(5000);
    expect(summary.interactions).toBeGreaterThanOrEqual(54_000);
    expect(summary.interactions).toBeLessThanOrEqual(66_000);
    expect(scalar(db, 'SELECT count(*) FROM call_queues')).toBeGreaterThanOrEqual(4);
    expect(scalar(db, 'SELECT count(*) FROM agents')).toBe(22);
    expect(scalar(db, 'SELECT count(*) FROM interactions')).toBe(summary.interactions);
  }, 60_000);
});
