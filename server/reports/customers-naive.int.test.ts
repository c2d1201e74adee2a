import { describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../db/connection.js';
import { loadMigrations, migrate } from '../../db/migrate.js';
import { createCustomerReportsRepository, type CustomerFilter } from './customers.repository.js';

const DAY = 86_400_000;

/** A small deterministic PRNG, so that a failure can be replayed. */
function random(seed: number) {
  let state = seed;
  return (n: number) => {
    // mulberry32
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4_294_967_296) * n);
  };
}

interface Row {
  customerId: number | null;
  queueId: number;
  at: number;
  code: number | null;
  origin: 'transfer' | 'callback' | null;
  direction: 'inbound' | 'outbound';
  answered: boolean;
  outcome: string;
}

/**
 * Generated calls with ties, exact window edges, transfers, callbacks and outbound calls, inserted in
 * no particular order; `beforeNextContact` inserts them before migration 013 so that its backfill is
 * what is checked, else its triggers.
 */
function generatedCalls(beforeNextContact: boolean) {
  const db = openDatabase({ file: ':memory:' });
  const migrations = loadMigrations();
  migrate(db, beforeNextContact ? migrations.filter((m) => m.version < 13) : migrations);
  // Raw rows: the factories write columns of later migrations.
  const queue = db.prepare(
    "INSERT INTO call_queues (name, created_at, updated_at) VALUES (?, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')",
  );
  const queues = ['Support', 'Sales'].map((name) => Number(queue.run(name).lastInsertRowid));
  const tiers = ['gold', 'silver', 'bronze'] as const;
  const stages = ['new', 'active', 'at_risk'] as const;
  const customer = db.prepare(
    "INSERT INTO customers (name, tier, lifecycle_stage, created_at, updated_at) VALUES (?, ?, ?, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')",
  );
  const customers = Array.from({ length: 60 }, (_, i) =>
    Number(customer.run(`C${i}`, tiers[i % 3], stages[i % 3]).lastInsertRowid),
  );
  const set = db.prepare("INSERT INTO wrap_up_code_sets (name) VALUES ('default')").run().lastInsertRowid;
  const codes = ['billing', 'outage', 'other'].map((code) =>
    Number(
      db.prepare('INSERT INTO wrap_up_codes (set_id, code, label) VALUES (?, ?, ?)').run(set, code, code)
        .lastInsertRowid,
    ),
  );
  const pick = random(12);
  // Times on a coarse grid (whole days and a few hours) so that equal times and contacts exactly
  // N days apart happen often.
  const base = Date.parse('2026-10-25T00:00:00.000Z');
  const rows: Row[] = Array.from({ length: 400 }, () => {
    const kind = pick(10);
    const answered = pick(4) !== 0;
    return {
      customerId: pick(12) === 0 ? null : customers[pick(customers.length)]!,
      queueId: queues[pick(2)]!,
      at: base + pick(50) * DAY + [0, 3_600_000, 3_600_001][pick(3)]!,
      code: answered && pick(5) !== 0 ? codes[pick(3)]! : null,
      origin: kind === 0 ? 'transfer' : kind === 1 ? 'callback' : null,
      direction: kind === 2 ? 'outbound' : 'inbound',
      answered,
      outcome: answered ? 'answered' : pick(2) === 0 ? 'abandoned' : 'voicemail',
    };
  });
  const insert = db.prepare(
    `INSERT INTO interactions (direction, provider, customer_id, queue_id, state, arrived_at, answered_at,
         ended_at, outcome, wrap_up_code_id, origin)
       VALUES (?, 'demo', ?, ?, 'completed', ?, ?, ?, ?, ?, ?)`,
  );
  const ids = rows.map((row) => {
    const at = new Date(row.at).toISOString();
    return insert.run(
      row.direction,
      row.customerId,
      row.queueId,
      at,
      row.answered ? at : null,
      at,
      row.outcome,
      row.code,
      row.origin,
    ).lastInsertRowid;
  });
  migrate(db);
  return { db, rows, ids, customers, codes, queues, pick };
}

describe('customer report against a naive recomputation', () => {
  it('agrees on generated calls, backfilled or kept by the triggers', () => {
    for (const beforeNextContact of [true, false]) {
      const { db, rows, customers, queues } = generatedCalls(beforeNextContact);
      agrees(db, rows, customers, queues);
      db.close();
    }
  });

  it('agrees after late and out-of-order contacts, corrected wrap-up codes, moves and deletions', () => {
    const { db, rows, ids, customers, codes, queues, pick } = generatedCalls(false);
    const deleted = new Set<number>();
    for (let n = 0; n < 150; n++) {
      const i = pick(rows.length);
      const row = rows[i]!;
      if (deleted.has(i)) continue;
      const change = pick(5);
      if (change === 0) {
        // A wrap-up code set after close or corrected, or cleared.
        row.code = [null, ...codes][pick(codes.length + 1)]!;
        db.prepare('UPDATE interactions SET wrap_up_code_id = ? WHERE id = ?').run(row.code, ids[i]);
      } else if (change === 1) {
        // Moved to another customer (a merge) or to none (an erasure that unlinks).
        row.customerId = pick(6) === 0 ? null : customers[pick(customers.length)]!;
        db.prepare('UPDATE interactions SET customer_id = ? WHERE id = ?').run(row.customerId, ids[i]);
      } else if (change === 2) {
        row.at += (pick(3) - 1) * DAY;
        db.prepare('UPDATE interactions SET arrived_at = ? WHERE id = ?').run(
          new Date(row.at).toISOString(),
          ids[i],
        );
      } else if (change === 3) {
        row.origin = row.origin === null ? 'transfer' : null;
        db.prepare('UPDATE interactions SET origin = ? WHERE id = ?').run(row.origin, ids[i]);
      } else {
        db.prepare('DELETE FROM interactions WHERE id = ?').run(ids[i]);
        deleted.add(i);
        row.customerId = null;
      }
    }
    // A late contact arriving before ones already recorded, on a code used around it.
    const late = { ...rows.find((row) => row.customerId !== null && row.code !== null)! };
    late.at -= DAY;
    late.origin = null;
    late.direction = 'inbound';
    rows.push(late);
    db.prepare(
      `INSERT INTO interactions (direction, provider, customer_id, queue_id, state, arrived_at, answered_at,
         ended_at, outcome, wrap_up_code_id)
       VALUES ('inbound', 'demo', ?, ?, 'completed', ?, ?, ?, ?, ?)`,
    ).run(
      late.customerId,
      late.queueId,
      new Date(late.at).toISOString(),
      new Date(late.at).toISOString(),
      new Date(late.at).toISOString(),
      late.outcome,
      late.code,
    );
    agrees(db, rows, customers, queues);
    db.close();
  });
});

function agrees(db: Db, rows: Row[], customers: number[], queues: number[]) {
  const tiers = ['gold', 'silver', 'bronze'] as const;
  const stages = ['new', 'active', 'at_risk'] as const;
  const tierOf = new Map(customers.map((id, i) => [id, tiers[i % 3]]));
  const stageOf = new Map(customers.map((id, i) => [id, stages[i % 3]]));
  const contacts = rows.filter(
    (row) => row.customerId !== null && row.origin === null && row.direction === 'inbound',
  );

  const naive = (filter: CustomerFilter) => {
    const [from, to] = [Date.parse(filter.from), Date.parse(filter.to)];
    const window = filter.days * DAY;
    const later = (k: Row, sameCode: boolean) =>
      contacts.some(
        (j) =>
          j.customerId === k.customerId &&
          j.at > k.at &&
          j.at <= k.at + window &&
          (!sameCode || j.code === k.code),
      );
    const k = contacts.filter(
      (row) =>
        row.at >= from &&
        row.at < to &&
        (filter.queueId === null || row.queueId === filter.queueId) &&
        (filter.tier === null || tierOf.get(row.customerId!) === filter.tier),
    );
    const count = <T>(items: T[], key: (item: T) => unknown) => {
      const counts = new Map<unknown, number>();
      for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
      return counts;
    };
    const perCustomer = count(k, (row) => row.customerId);
    return {
      totals: {
        contacts: k.length,
        customers: perCustomer.size,
        repeated: k.filter((row) => later(row, false)).length,
        coded: k.filter((row) => row.code !== null).length,
        resolved: k.filter((row) => row.code !== null && !later(row, true)).length,
      },
      top: [...perCustomer]
        .filter(([, n]) => n > 1)
        .sort(([a, n], [b, m]) => m - n || Number(a) - Number(b))
        .slice(0, 20)
        .map(([customerId, n]) => [customerId, n]),
      byStage: [...new Set(k.map((row) => stageOf.get(row.customerId!)!))].sort().map((stage) => {
        const of = k.filter((row) => stageOf.get(row.customerId!) === stage);
        return {
          stage,
          contacts: of.length,
          customers: new Set(of.map((row) => row.customerId)).size,
          answered: of.filter((row) => row.answered).length,
          abandoned: of.filter((row) => !row.answered && row.outcome === 'abandoned').length,
        };
      }),
    };
  };

  const repository = createCustomerReportsRepository(db);
  const filters: CustomerFilter[] = [];
  for (const days of [1, 7, 30])
    for (const [queueId, tier] of [
      [null, null],
      [queues[0]!, null],
      [null, 'gold'],
    ] as const)
      filters.push({
        from: '2026-11-01T00:00:00.000Z',
        to: '2026-12-01T00:00:00.000Z',
        queueId,
        tier,
        days,
      });
  for (const filter of filters) {
    const expected = naive(filter);
    expect(expected.totals.repeated).toBeGreaterThan(0);
    expect(repository.totals(filter), JSON.stringify(filter)).toEqual(expected.totals);
    expect(repository.topRepeatCallers(filter, 20).map((row) => [row.customerId, row.contacts])).toEqual(
      expected.top,
    );
    expect(repository.byLifecycleStage(filter)).toEqual(expected.byStage);
  }
}
