import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from './connection.js';
import { loadMigrations, migrate } from './migrate.js';

describe('database', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cti-db-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('opens with WAL, foreign keys and a busy timeout', () => {
    const db = openDatabase({ file: join(dir, 'nested', 'x.sqlite') });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    db.close();
  });

  it('applies every migration once and records the version', () => {
    const db = openDatabase({ file: join(dir, 'x.sqlite') });
    const all = loadMigrations().map((m) => m.version);
    expect(migrate(db)).toEqual(all);
    expect(migrate(db)).toEqual([]);
    expect(db.pragma('user_version', { simple: true })).toBe(all.at(-1));
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
    ).map((t) => t.name);
    for (const table of [
      'agents',
      'customers',
      'customer_phones',
      'interactions',
      'interaction_events',
      'follow_ups',
      'audit_log',
      'call_queues',
      'wrap_up_codes',
    ]) {
      expect(tables).toContain(table);
    }
    db.close();
  });

  it('rolls back a failing migration and keeps the previous version', () => {
    const migrations = join(dir, 'migrations');
    mkdirSync(migrations);
    writeFileSync(join(migrations, '001_one.sql'), 'CREATE TABLE one (id INTEGER PRIMARY KEY);');
    writeFileSync(
      join(migrations, '002_bad.sql'),
      'CREATE TABLE two (id INTEGER); INSERT INTO nowhere VALUES (1);',
    );
    const db = openDatabase({ file: join(dir, 'x.sqlite') });
    expect(() => migrate(db, loadMigrations(migrations))).toThrow(/nowhere/);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'two'").get()).toEqual({ n: 0 });
    db.close();
  });

  it('refuses gaps and odd names in migration files', () => {
    const migrations = join(dir, 'migrations');
    mkdirSync(migrations);
    writeFileSync(join(migrations, '001_one.sql'), 'SELECT 1;');
    writeFileSync(join(migrations, '003_three.sql'), 'SELECT 1;');
    expect(() => loadMigrations(migrations)).toThrow(/without gaps/);
    writeFileSync(join(migrations, 'two.sql'), 'SELECT 1;');
    expect(() => loadMigrations(migrations)).toThrow(/must look like 001_name.sql/);
  });

  it('enforces the schema: unique phones, valid tiers, append-only audit log', () => {
    const db = openDatabase({ file: join(dir, 'x.sqlite') });
    migrate(db);
    const now = new Date().toISOString();
    db.prepare("INSERT INTO customers (name, created_at, updated_at) VALUES ('A', ?, ?)").run(now, now);
    db.prepare(
      "INSERT INTO customer_phones (customer_id, e164, created_at) VALUES (1, '+14155550123', ?)",
    ).run(now);
    expect(() =>
      db
        .prepare("INSERT INTO customer_phones (customer_id, e164, created_at) VALUES (1, '+14155550123', ?)")
        .run(now),
    ).toThrow(/UNIQUE/);
    expect(() =>
      db
        .prepare("INSERT INTO customers (name, tier, created_at, updated_at) VALUES ('B', 'diamond', ?, ?)")
        .run(now, now),
    ).toThrow(/CHECK/);
    expect(() =>
      db
        .prepare("INSERT INTO customer_phones (customer_id, e164, created_at) VALUES (99, '+14155550124', ?)")
        .run(now),
    ).toThrow(/FOREIGN KEY/);
    db.prepare("INSERT INTO audit_log (at, action, entity_type) VALUES (?, 'x', 'customer')").run(now);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    db.close();
  });
});
