// Screen-pop lookup benchmark: builds a database of 1,000,000 customers (override with
// --customers N) and measures normalize + indexed lookup + the 360 summary (profile, last 5
// interactions, open follow-ups) through the real customers service. Prints lookups/s, p50, p99.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { TIERS } from '../contracts/glossary.js';
import { openDatabase, type Db } from '../db/connection.js';
import { migrate } from '../db/migrate.js';
import { createAuditLog } from '../server/audit/index.js';
import { systemClock } from '../server/clock.js';
import { createCustomersRepository, createCustomersService } from '../server/customers/index.js';
import { createInteractionsRepository, createInteractionsService } from '../server/interactions/index.js';
import { createSegmentsRepository, createSegmentsService } from '../server/segments/index.js';

const arg = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};
const CUSTOMERS = arg('customers', 1_000_000);
const LOOKUPS = arg('lookups', 50_000);
const AREA_CODES = ['212', '415', '646', '312', '617', '206', '303', '512', '702', '713'];

// Deterministic PRNG so every run measures the same data.
let state = 42;
const random = () => {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

/** The i-th phone number: unique for every i below 80 million, and valid per libphonenumber. */
const phoneOf = (i: number) => {
  const n = Math.floor(i / AREA_CODES.length);
  return `+1${AREA_CODES[i % AREA_CODES.length]}${200 + Math.floor(n / 10_000)}${String(n % 10_000).padStart(4, '0')}`;
};

function build(db: Db): number {
  const now = Date.parse('2026-11-22T12:00:00Z');
  const iso = (ms: number) => new Date(ms).toISOString();
  let phones = 0;
  db.exec(
    `INSERT INTO call_queues (name, created_at, updated_at) VALUES ('Support', '${iso(now)}', '${iso(now)}')`,
  );
  db.exec(`INSERT INTO agents (username, display_name, role, password_hash, created_at, updated_at)
           VALUES ('bench', 'Bench Agent', 'agent', 'x', '${iso(now)}', '${iso(now)}')`);
  const customer = db.prepare(
    'INSERT INTO customers (id, name, company, tier, lifecycle_stage, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const phone = db.prepare(
    'INSERT INTO customer_phones (customer_id, e164, label, created_at) VALUES (?, ?, ?, ?)',
  );
  const interaction = db.prepare(
    `INSERT INTO interactions (direction, provider, customer_id, caller_number, queue_id, agent_id, state, arrived_at,
                               queued_at, answered_at, ended_at, outcome, notes)
     VALUES ('inbound', 'demo', ?, ?, 1, 1, 'completed', ?, ?, ?, ?, 'answered', ?)`,
  );
  const followUp = db.prepare(
    "INSERT INTO follow_ups (kind, customer_id, owner_agent_id, due_at, note, created_at) VALUES ('callback', ?, 1, ?, ?, ?)",
  );
  const batch = db.transaction((from: number, to: number) => {
    for (let id = from; id < to; id += 1) {
      const created = now - Math.floor(random() * 3 * 365 * 86_400_000);
      customer.run(
        id,
        `Customer ${id}`,
        random() < 0.3 ? `Company ${id % 5000}` : null,
        TIERS[Math.min(3, Math.floor(random() * 5))],
        'active',
        iso(created),
        iso(created),
      );
      const count = 1 + Math.floor(random() * 2);
      for (let k = 0; k < count; k += 1) phone.run(id, phoneOf(phones++), 'mobile', iso(created));
      const calls = Math.floor(random() * random() * 8);
      for (let k = 0; k < calls; k += 1) {
        const arrived = now - Math.floor(random() * 90 * 86_400_000);
        interaction.run(
          id,
          phoneOf(phones - 1),
          iso(arrived),
          iso(arrived + 20_000),
          iso(arrived + 40_000),
          iso(arrived + 400_000),
          'Bench call',
        );
      }
      if (random() < 0.1) followUp.run(id, iso(now + 86_400_000), 'Call back', iso(now));
    }
  });
  for (let from = 1; from <= CUSTOMERS; from += 50_000) batch(from, Math.min(CUSTOMERS + 1, from + 50_000));
  return phones;
}

const dir = mkdtempSync(join(tmpdir(), 'cti-bench-'));
try {
  const file = join(dir, 'lookup.sqlite');
  const db = openDatabase({ file });
  migrate(db);
  let started = performance.now();
  const phones = build(db);
  db.exec('ANALYZE');
  const counts = db
    .prepare<[], Record<string, number>>(
      'SELECT (SELECT count(*) FROM customers) AS customers, (SELECT count(*) FROM interactions) AS interactions, (SELECT count(*) FROM follow_ups) AS followUps',
    )
    .get();
  console.log(
    `built in ${((performance.now() - started) / 1000).toFixed(1)} s:`,
    { ...counts, phones },
    `${(statSync(file).size / 1e6).toFixed(0)} MB`,
  );

  const interactions = createInteractionsService({ interactions: createInteractionsRepository(db) });
  const audit = createAuditLog(db, systemClock);
  const customers = createCustomersService({
    customers: createCustomersRepository(db),
    interactions,
    audit,
    clock: systemClock,
    defaultPhoneRegion: 'US',
    segments: createSegmentsService({ segments: createSegmentsRepository(db), audit, clock: systemClock }),
  });

  // Callers' numbers as they arrive in the wild: E.164, national, and with punctuation.
  const forms = Array.from({ length: LOOKUPS }, () => {
    const e164 = phoneOf(Math.floor(random() * phones));
    const parsed = parsePhoneNumberFromString(e164)!;
    const pick = random();
    return pick < 0.4 ? e164 : pick < 0.8 ? parsed.formatNational() : parsed.formatInternational();
  });
  for (const number of forms.slice(0, 2000)) customers.screenPop(number);

  const durations = new Float64Array(LOOKUPS);
  let found = 0;
  started = performance.now();
  for (let i = 0; i < LOOKUPS; i += 1) {
    const t0 = performance.now();
    const pop = customers.screenPop(forms[i]!);
    durations[i] = performance.now() - t0;
    if (pop.customer) found += 1;
  }
  const elapsed = (performance.now() - started) / 1000;
  durations.sort();
  const pct = (p: number) => durations[Math.min(LOOKUPS - 1, Math.floor((p / 100) * LOOKUPS))]!.toFixed(3);
  if (found !== LOOKUPS) throw new Error(`only ${found} of ${LOOKUPS} numbers were found`);
  console.log(
    `screen-pop lookups: ${LOOKUPS} against ${CUSTOMERS.toLocaleString('en')} customers, all found`,
  );
  console.log(`  throughput: ${Math.round(LOOKUPS / elapsed).toLocaleString('en')} lookups/s (one thread)`);
  console.log(
    `  latency:    p50 ${pct(50)} ms   p99 ${pct(99)} ms   p99.9 ${pct(99.9)} ms   max ${durations[LOOKUPS - 1]!.toFixed(3)} ms`,
  );
  db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
