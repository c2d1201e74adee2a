import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../db/connection.js';
import { migrate } from '../../db/migrate.js';
import { parseValueModel } from '../customer-value/index.js';
import { runPasses } from '../customer-value/recompute-passes.js';
import { readLifecycleHistory } from './lifecycle-history.js';
import { evaluateAll, type StageChange } from './lifecycle.evaluate.js';
import { createLifecycleRepository, currentOf } from './lifecycle.repository.js';
import { DAY_MS, decide, summarize, type CurrentStage } from './lifecycle.rules.js';

const model = parseValueModel(
  {
    exchangeRates: { USD: 7.1 },
    lifecycle: {
      negativeCodes: ['COMPLAINT', 'ESCALATED'],
      cancellationIntentCodes: ['WANTS_OUT'],
      cancellationCodes: ['CANCELLED'],
    },
  },
  'test.json',
);
const CUSTOMERS = 3000;
const NOW = new Date('2026-12-01T03:00:00.000Z');
const CODES = ['OK', 'COMPLAINT', 'ESCALATED', 'WANTS_OUT', 'CANCELLED'];

/** A small deterministic PRNG, so a failure can be replayed. */
function prng(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/** Customers of every kind: young and old, quiet and busy, complaining, cancelling, spending less. */
function arrange(db: Db) {
  const random = prng(13);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const iso = (ms: number) => new Date(ms).toISOString();
  db.prepare("INSERT INTO wrap_up_code_sets (id, name) VALUES (1, 'codes')").run();
  const codeIds = CODES.map((code, index) => {
    db.prepare('INSERT INTO wrap_up_codes (id, set_id, code, label) VALUES (?, 1, ?, ?)').run(
      index + 1,
      code,
      code,
    );
    return index + 1;
  });
  const customer = db.prepare(
    "INSERT INTO customers (name, lifecycle_stage, created_at, updated_at) VALUES ('C', ?, ?, ?)",
  );
  const interaction = db.prepare(
    `INSERT INTO interactions (direction, provider, customer_id, state, arrived_at, ended_at, outcome, wrap_up_code_id)
     VALUES ('inbound', 'demo', ?, 'completed', ?, ?, 'answered', ?)`,
  );
  const survey = db.prepare(
    `INSERT INTO interaction_surveys (interaction_id, customer_id, status, score, ended_at, created_at)
     VALUES (?, ?, 'completed', ?, ?, ?)`,
  );
  const value = db.prepare(
    `INSERT INTO customer_value_events (customer_id, reference, amount, currency, occurred_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (let n = 0; n < CUSTOMERS; n++) {
      const createdMs = NOW.getTime() - Math.floor(random() * 800 * DAY_MS);
      const span = NOW.getTime() - createdMs;
      // Some customers go quiet: their activity ends long before now.
      const activeSpan = random() < 0.3 ? span * random() : span;
      const id = Number(
        customer.run(pick(['new', 'active', 'lost']), iso(createdMs), iso(createdMs)).lastInsertRowid,
      );
      const contacts = Math.floor(random() * 8);
      for (let c = 0; c < contacts; c++) {
        const at = iso(createdMs + Math.floor(random() * activeSpan));
        const code = random() < 0.2 ? null : codeIds[Math.floor(random() ** 2.5 * codeIds.length)]!;
        const interactionId = Number(interaction.run(id, at, at, code).lastInsertRowid);
        if (random() < 0.3) survey.run(interactionId, id, 1 + Math.floor(random() * 5), at, at);
      }
      const values = Math.floor(random() * 7);
      for (let v = 0; v < values; v++) {
        const at = iso(createdMs + Math.floor(random() * activeSpan));
        value.run(
          id,
          `R-${id}-${v}`,
          Math.round(random() * 100_000) / 100,
          pick(['CNY', 'CNY', 'USD', 'EUR']),
          at,
          at,
        );
      }
    }
  })();
}

describe('evaluateAll, the nightly pass', () => {
  let dir: string;
  let db: Db;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cti-lifecycle-'));
    db = openDatabase({ file: join(dir, 'cti.sqlite') });
    migrate(db);
    arrange(db);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const stored = () =>
    db
      .prepare<
        [],
        { id: number; stage: string; churnScore: number; churnReasons: string } & Parameters<
          typeof currentOf
        >[0]
      >(
        `SELECT c.id, c.lifecycle_stage AS stage, l.stage_since AS stageSince, l.stage_source AS stageSource,
                l.churn_score AS churnScore, l.churn_reasons AS churnReasons
         FROM customers c LEFT JOIN customer_lifecycle l ON l.customer_id = c.id ORDER BY c.id`,
      )
      .all();

  /** What the pure rules say of every customer, from their raw history, given the stages in force. */
  function expected(now: Date, currents: Map<number, CurrentStage | null>) {
    return new Map(
      [...currents].map(([id, current]) => {
        const facts = summarize(readLifecycleHistory(db, model, id), model.lifecycle, now.getTime());
        return [id, decide(facts, model.lifecycle, now.getTime(), current)];
      }),
    );
  }

  function expectStoredToMatch(verdicts: ReturnType<typeof expected>) {
    for (const row of stored()) {
      const verdict = verdicts.get(row.id)!;
      expect({
        id: row.id,
        stage: row.stage,
        churn: row.churnScore,
        reasons: JSON.parse(row.churnReasons),
      }).toEqual({
        id: row.id,
        stage: verdict.stage,
        churn: verdict.churnScore,
        reasons: verdict.churnReasons,
      });
    }
  }

  it('stores, for every customer, what the pure rules say of their history; each change once to the listener', () => {
    const first = expected(NOW, new Map(stored().map((row) => [row.id, null])));
    const heard: StageChange[] = [];
    const result = evaluateAll(db, model, NOW, (change) => heard.push(change));
    expect(result.customers).toBe(CUSTOMERS);
    expectStoredToMatch(first);
    // Every stage is reached by some customers of this data set.
    expect(new Set([...first.values()].map((verdict) => verdict.stage))).toEqual(
      new Set(['new', 'active', 'at_risk', 'lost']),
    );
    const rows = db.prepare('SELECT count(*) AS n FROM customer_lifecycle_changes').get() as { n: number };
    expect(heard).toHaveLength(rows.n);
    expect(result.stageChanges).toBe(rows.n);
    expect(new Set(heard.map((change) => change.customerId)).size).toBe(heard.length);

    // Run again on the same evidence at the same time: nothing is written, no listener is called.
    const again: StageChange[] = [];
    const rerun = evaluateAll(db, model, NOW, (change) => again.push(change));
    expect(again).toEqual([]);
    expect(rerun.written).toBe(0);

    // Forty days on, lost customers who bought since are won back; everybody matches the rules again.
    const later = new Date(NOW.getTime() + 40 * DAY_MS);
    const lost = stored()
      .filter((row) => row.stage === 'lost')
      .slice(0, 25);
    const bought = new Date(NOW.getTime() + DAY_MS).toISOString();
    for (const row of lost) {
      db.prepare(
        `INSERT INTO customer_value_events (customer_id, reference, amount, currency, occurred_at, created_at)
         VALUES (?, ?, 500, 'CNY', ?, ?)`,
      ).run(row.id, `BACK-${row.id}`, bought, bought);
    }
    const second = expected(later, new Map(stored().map((row) => [row.id, currentOf(row)])));
    const changes: StageChange[] = [];
    evaluateAll(db, model, later, (change) => changes.push(change));
    expectStoredToMatch(second);
    for (const row of lost) expect(second.get(row.id)!.stage).toBe('won_back');
    expect(
      changes
        .filter((change) => change.to === 'won_back')
        .map((change) => change.customerId)
        .sort(),
    ).toEqual(lost.map((row) => row.id).sort());
  });

  it('stores the same in the nightly recomputation, whose lifecycle pass takes the events from the value pass', () => {
    // Statistics taken while customer_lifecycle is empty, as a tool's ANALYZE may leave them: the
    // pass's reads must not depend on them.
    db.exec('ANALYZE');
    const nightly = (now: Date) => runPasses(db, { nowMs: now.getTime(), model }, () => undefined);
    const first = expected(NOW, new Map(stored().map((row) => [row.id, null])));
    expect(nightly(NOW)).toMatchObject([
      { name: 'value', customers: CUSTOMERS },
      { name: 'lifecycle', customers: CUSTOMERS },
    ]);
    expectStoredToMatch(first);

    // Forty days on, some lost customers bought (in a currency without a rate for one of them: a
    // purchase, no spend): the next night agrees with the rules again.
    const later = new Date(NOW.getTime() + 40 * DAY_MS);
    const lost = stored()
      .filter((row) => row.stage === 'lost')
      .slice(0, 25);
    const bought = new Date(NOW.getTime() + DAY_MS).toISOString();
    lost.forEach((row, index) =>
      db
        .prepare(
          `INSERT INTO customer_value_events (customer_id, reference, amount, currency, occurred_at, created_at)
           VALUES (?, ?, 500, ?, ?, ?)`,
        )
        .run(row.id, `BACK-${row.id}`, index === 0 ? 'EUR' : 'CNY', bought, bought),
    );
    const second = expected(later, new Map(stored().map((row) => [row.id, currentOf(row)])));
    nightly(later);
    expectStoredToMatch(second);
    for (const row of lost) expect(second.get(row.id)!.stage).toBe('won_back');
  });

  it('reads one customer as the range [id, id], as the nightly pass reads them', () => {
    evaluateAll(db, model, NOW);
    const repository = createLifecycleRepository(db, model);
    const all = repository.facts(1, CUSTOMERS, NOW.getTime());
    for (const row of all.filter((_, index) => index % 97 === 0)) {
      expect(repository.facts(row.customerId, row.customerId, NOW.getTime())).toEqual([row]);
    }
  });
});
