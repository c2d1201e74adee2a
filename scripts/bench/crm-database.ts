import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../db/connection.js';
import { migrate } from '../../db/migrate.js';
import { seedDemo } from '../../simulator/demo-data/seed-demo.js';

const READY_KEY = 'bench.crm.now';
/** Bumped when the generator changes, so that a stale cached database is not reused. */
const GENERATOR_VERSION = 1;
/** Statements insert this many rows each, so no single transaction grows without bound. */
const CHUNK = 1_000_000;
const DAY_S = 86_400;
const AREA_CODES = ['212', '415', '646', '312', '617', '206', '303', '512', '702', '713'];

export interface CrmDatabaseOptions {
  customers: number;
  /** Value events spread over the customers and the last three years. */
  events: number;
  /** Interactions over the last 120 days (contacts in the value model), `open` of them left in wrap-up. */
  interactions: number;
  open: number;
}

/**
 * The i-th customer's phone number (i ≥ 1): unique below 1,000,000 × 10 and valid per
 * libphonenumber (the same scheme as bench-lookup).
 */
export const crmPhoneOf = (i: number) => {
  const n = Math.floor(i / AREA_CODES.length);
  return `+1${AREA_CODES[i % AREA_CODES.length]}${200 + Math.floor(n / 10_000)}${String(n % 10_000).padStart(4, '0')}`;
};

/** `n` integers from 1, as a recursive CTE named `n(i)` over [from, to]. */
const series = (from: number, to: number) =>
  `WITH RECURSIVE n(i) AS (SELECT ${from} UNION ALL SELECT i + 1 FROM n WHERE i < ${to})`;
/** A deterministic pseudo-random integer in [0, 2^31) from an integer expression (a multiplicative hash). */
const hash = (expr: string, salt: number) =>
  `(((${expr}) * ${2654435761 + salt * 40503} + ${salt}) % 2147483647)`;
const isoOfSeconds = (expr: string) => `strftime('%Y-%m-%dT%H:%M:%fZ', ${expr}, 'unixepoch')`;

/**
 * The benchmark's database, generated once per set of parameters and kept under
 * /tmp/cti-bench-crm/ (or BENCH_DATA_DIR): a rerun with the same parameters reuses it. Rows are
 * written by INSERT … SELECT over recursive CTEs in chunks of a million, with the journal off
 * (a half-built database is thrown away, never reused) and the value events' customer index built
 * after the load. Answers its folder (the server's DATA_DIR), its file and the end of its history.
 */
export async function crmDatabase(options: CrmDatabaseOptions, log: (line: string) => void) {
  const name = [
    `v${GENERATOR_VERSION}`,
    options.customers,
    options.events,
    options.interactions,
    options.open,
  ].join('-');
  const dataDir = join(process.env.BENCH_DATA_DIR ?? join(tmpdir(), 'cti-bench-crm'), name);
  const file = join(dataDir, 'cti.sqlite');
  if (existsSync(file)) {
    const db = openDatabase({ file });
    migrate(db);
    const now = ready(db);
    db.close();
    if (now !== null) {
      log(`reusing ${file}`);
      return { dataDir, file, now };
    }
  }
  const building = `${dataDir}.building`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  const db = openDatabase({ file: join(building, 'cti.sqlite') });
  migrate(db);
  const now = Math.floor(Date.now() / 3_600_000) * 3_600_000;
  await seedDemo(db, { customers: 1, days: 1, interactionsPerDay: 1, now: new Date(now - 86_400_000) });
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -1000000');
  const started = performance.now();
  const step = (what: string, work: () => void) => {
    const at = performance.now();
    work();
    log(`  ${what}: ${((performance.now() - at) / 1000).toFixed(1)} s`);
  };
  log(`generating ${options.customers} customers, ${options.events} value events into ${building}…`);
  step('customers and phones', () => insertCustomers(db, options.customers, now));
  step('interactions', () => insertInteractions(db, options, now));
  // The events' customer index as the migrations define it, built once after the load.
  const eventsIndex = db
    .prepare<[], string>("SELECT sql FROM sqlite_schema WHERE name = 'customer_value_events_by_customer'")
    .pluck()
    .get()!;
  db.exec('DROP INDEX customer_value_events_by_customer');
  step('value events', () => insertEvents(db, options, now));
  step('value events index', () => db.exec(eventsIndex));
  step('ANALYZE', () => db.exec('ANALYZE'));
  log(`generated in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  db.prepare('INSERT INTO app_meta (key, value) VALUES (?, ?)').run(READY_KEY, String(now));
  db.pragma('journal_mode = WAL');
  db.close();
  rmSync(dataDir, { recursive: true, force: true });
  renameSync(building, dataDir);
  return { dataDir, file, now };
}

function insertCustomers(db: Db, customers: number, now: number) {
  const nowS = now / 1000;
  const first = (db.prepare<[], number>('SELECT coalesce(max(id), 0) FROM customers').pluck().get() ?? 0) + 1;
  const areas = AREA_CODES.map((code, index) => `(${index}, '${code}')`).join(', ');
  for (let from = first; from < first + customers; from += CHUNK) {
    const to = Math.min(first + customers - 1, from + CHUNK - 1);
    db.exec(`${series(from, to)}
      INSERT INTO customers (id, name, company, tier, lifecycle_stage, created_at, updated_at)
      SELECT i, 'Customer ' || i, CASE WHEN i % 3 = 0 THEN 'Company ' || (i % 5000) END, 'bronze', 'active',
             ${isoOfSeconds(`${nowS} - ${hash('i', 1)} % (5 * 365 * ${DAY_S})`)},
             ${isoOfSeconds(`${nowS}`)}
      FROM n`);
    // One phone each, numbered as crmPhoneOf(i): +1 AAA EEE NNNN.
    db.exec(`${series(from, to)}, areas(k, code) AS (VALUES ${areas})
      INSERT INTO customer_phones (customer_id, e164, label, created_at)
      SELECT i, '+1' || code || (200 + (i / 10) / 10000) || printf('%04d', (i / 10) % 10000), 'mobile',
             ${isoOfSeconds(`${nowS}`)}
      FROM n JOIN areas ON k = i % 10`);
  }
}

function insertInteractions(db: Db, options: CrmDatabaseOptions, now: number) {
  const nowS = now / 1000;
  // The next-contact triggers (migration 013) look up each row's neighbours, which a bulk load into a
  // table without statistics turns into scans: they are set aside for the load and put back after.
  const triggers = db
    .prepare<[], string>(
      "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'interactions' AND name LIKE 'interactions_next_contact%'",
    )
    .pluck()
    .all();
  db.exec(
    db
      .prepare<[], string>(
        "SELECT group_concat('DROP TRIGGER ' || name, '; ') FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'interactions' AND name LIKE 'interactions_next_contact%'",
      )
      .pluck()
      .get()!,
  );
  const customers = options.customers;
  const queue = db.prepare<[], number>('SELECT min(id) FROM call_queues').pluck().get()!;
  const agent = db.prepare<[], number>("SELECT min(id) FROM agents WHERE role = 'agent'").pluck().get()!;
  const firstCustomer = db.prepare<[], number>('SELECT min(id) FROM customers').pluck().get()!;
  for (let from = 1; from <= options.interactions; from += CHUNK) {
    const to = Math.min(options.interactions, from + CHUNK - 1);
    // The last `open` interactions are still in wrap-up, for the close-cost measurement.
    db.exec(`${series(from, to)}, t(i, arrived) AS (
        SELECT i, ${nowS} - 3600 - ${hash('i', 7)} % (120 * ${DAY_S}) FROM n)
      INSERT INTO interactions (direction, provider, customer_id, queue_id, agent_id, state, arrived_at,
        queued_at, answered_at, ended_at, wrap_up_ended_at, outcome)
      SELECT 'inbound', 'twilio', ${firstCustomer} + ${hash('i', 3)} % ${customers}, ${queue}, ${agent},
             CASE WHEN i > ${options.interactions - options.open} THEN 'wrap_up' ELSE 'completed' END,
             ${isoOfSeconds('arrived')}, ${isoOfSeconds('arrived + 5')}, ${isoOfSeconds('arrived + 25')},
             ${isoOfSeconds('arrived + 300')},
             CASE WHEN i > ${options.interactions - options.open} THEN NULL ELSE ${isoOfSeconds('arrived + 330')} END,
             'answered'
      FROM t`);
  }
  for (const sql of triggers) db.exec(sql);
}

function insertEvents(db: Db, options: CrmDatabaseOptions, now: number) {
  const nowS = now / 1000;
  const firstCustomer = db.prepare<[], number>('SELECT min(id) FROM customers').pluck().get()!;
  for (let from = 1; from <= options.events; from += CHUNK) {
    const to = Math.min(options.events, from + CHUNK - 1);
    // Purchases arrive over time, interleaved across customers (not grouped by customer), in the
    // currencies of config/value-model.json, and 1 % in one without a rate (left out of value).
    db.exec(`${series(from, to)}, t(i, at, h) AS (
        SELECT i, ${nowS} - ${hash('i', 11)} % (3 * 365 * ${DAY_S}), ${hash('i', 13)} FROM n)
      INSERT INTO customer_value_events (customer_id, reference, amount, currency, occurred_at, created_at)
      SELECT ${firstCustomer} + ${hash('i', 5)} % ${options.customers}, 'B' || i, (h % 100000) / 100.0,
             CASE WHEN h % 100 < 80 THEN 'CNY' WHEN h % 100 < 90 THEN 'USD' WHEN h % 100 < 95 THEN 'EUR'
                  WHEN h % 100 < 99 THEN 'JPY' ELSE 'BRL' END,
             ${isoOfSeconds('at')}, ${isoOfSeconds('at')}
      FROM t`);
  }
}

function ready(db: Db): number | null {
  const row = db
    .prepare<[string], { value: string }>('SELECT value FROM app_meta WHERE key = ?')
    .get(READY_KEY);
  return row ? Number(row.value) : null;
}
