// Segment counts on a generated database: `npx tsx scripts/bench-segments.ts [--customers N]
// [--interactions N] [--surveys N] [--repeat N]`. The database is cached by parameters under
// $TMPDIR/cti-bench-segments; each filter is counted --repeat times after one warm-up and printed as
// p50 / max in ms, with the count.
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../db/connection.js';
import { migrate } from '../db/migrate.js';
import { createSegmentsRepository, type SegmentFilter } from '../server/segments/index.js';

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '1000000' },
    interactions: { type: 'string', default: '3000000' },
    surveys: { type: 'string', default: '300000' },
    repeat: { type: 'string', default: '5' },
  },
});
const customers = Number(values.customers);
const interactions = Number(values.interactions);
const surveys = Number(values.surveys);
const repeat = Number(values.repeat);
const NOW = Date.parse('2026-12-01T00:00:00.000Z');
const DAY = 86_400_000;

const dir = process.env.BENCH_DATA_DIR ?? join(tmpdir(), 'cti-bench-segments');
mkdirSync(dir, { recursive: true });
const file = join(dir, `c${customers}-i${interactions}-s${surveys}.sqlite`);
const fresh = !existsSync(file);
const db = openDatabase({ file });
migrate(db);

// A small deterministic generator, so a cached file and a new one hold the same data.
// mulberry32: 32-bit integer steps (a float LCG loses its low bits and cycles early).
let seed = 42;
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
};
const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;

if (fresh) {
  // A throwaway file: migration 013's triggers (each contact's gap to the next, which segments never
  // read) would cost most of the generation, so they are dropped before the bulk insert.
  db.exec('DROP TRIGGER interactions_next_contact_insert');
  const TIERS = ['platinum', 'gold', 'silver', 'silver', 'bronze', 'bronze', 'bronze', 'bronze'];
  const STAGES = ['new', 'active', 'active', 'active', 'at_risk', 'lost', 'won_back'];
  const TAGS = ['vip', 'reseller', 'press', 'partner', 'churned', 'beta', 'enterprise', 'smb', 'edu', 'gov'];
  const insertCustomer = db.prepare(
    `INSERT INTO customers (id, name, tier, lifecycle_stage, tags, created_at, updated_at, erased_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertValue = db.prepare(
    `INSERT INTO customer_values (customer_id, score, tier, top_percent, reason, computed_at) VALUES (?, ?, ?, 0, '{}', ?)`,
  );
  const iso = new Date(NOW).toISOString();
  db.transaction(() => {
    for (let id = 1; id <= customers; id++) {
      const tags = [...new Set(Array.from({ length: Math.floor(random() * 3) }, () => pick(TAGS)))];
      const tier = pick(TIERS);
      insertCustomer.run(
        id,
        `Customer ${id}`,
        tier,
        pick(STAGES),
        JSON.stringify(tags),
        iso,
        iso,
        random() < 0.001 ? iso : null,
      );
      if (random() < 0.9) insertValue.run(id, Math.round(random() * 100_000), tier, iso);
    }
  })();
  const insertInteraction = db.prepare(
    `INSERT INTO interactions (direction, provider, customer_id, state, arrived_at, ended_at, outcome)
     VALUES ('inbound', 'demo', ?, 'completed', ?, ?, 'answered')`,
  );
  const BATCH = 200_000;
  for (let done = 0; done < interactions; done += BATCH) {
    db.transaction(() => {
      for (let n = done; n < Math.min(done + BATCH, interactions); n++) {
        // Oldest first over 400 days, as calls arrive; a skew makes some customers frequent callers.
        const at = new Date(NOW - 400 * DAY + Math.floor((n / interactions) * 400 * DAY)).toISOString();
        const customer = random() < 0.1 ? null : 1 + Math.floor(random() ** 2 * customers);
        insertInteraction.run(customer, at, at);
      }
    })();
  }
}
// Surveys and statistics in their own step, so a run stopped after the interactions resumes here.
if ((db.prepare('SELECT count(*) FROM interaction_surveys').pluck().get() as number) === 0) {
  const started = Date.now();
  const insertSurvey = db.prepare(
    `INSERT INTO interaction_surveys (interaction_id, customer_id, status, score, ended_at, created_at)
     SELECT id, customer_id, 'completed', ?, ended_at, ended_at FROM interactions WHERE id = ?`,
  );
  db.transaction(() => {
    const ids = new Set<number>();
    while (ids.size < surveys) ids.add(1 + Math.floor(random() * interactions));
    for (const id of ids) insertSurvey.run(1 + Math.floor(random() * 5), id);
  })();
  db.exec('ANALYZE');
  console.log(`generated ${file} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

const repository = createSegmentsRepository(db);
const filters: Record<string, SegmentFilter> = {
  'no filter (all customers)': {},
  'tier gold': { tiers: ['gold'] },
  'tiers platinum+gold, stage at_risk': { tiers: ['platinum', 'gold'], lifecycleStages: ['at_risk'] },
  'tag vip': { tags: ['vip'] },
  'tags vip or press, stage active': { tags: ['vip', 'press'], lifecycleStages: ['active'] },
  'value 90,000–100,000': { value: { min: 90_000, max: 100_000 } },
  'value ≥ 50,000': { value: { min: 50_000 } },
  'last contact ≤ 30 days': { lastContactDays: { max: 30 } },
  'last contact ≥ 90 days (or never)': { lastContactDays: { min: 90 } },
  'last contact 30–90 days': { lastContactDays: { min: 30, max: 90 } },
  'satisfaction ≤ 2': { satisfaction: { max: 2 } },
  everything: {
    tiers: ['gold', 'silver'],
    lifecycleStages: ['active', 'at_risk'],
    tags: ['vip', 'enterprise'],
    value: { min: 20_000 },
    lastContactDays: { min: 30 },
    satisfaction: { max: 3 },
  },
};
console.log(
  `${customers} customers, ${interactions} interactions, ${surveys} surveys; p50 / max of ${repeat}`,
);
for (const [name, filter] of Object.entries(filters)) {
  repository.count(filter, NOW);
  const times: number[] = [];
  let count = 0;
  for (let n = 0; n < repeat; n++) {
    const start = process.hrtime.bigint();
    count = repository.count(filter, NOW);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  console.log(
    `${name.padEnd(40)} ${times[Math.floor(times.length / 2)]!.toFixed(0).padStart(6)} / ${times.at(-1)!.toFixed(0).padStart(6)} ms  ${count}`,
  );
}
db.close();
