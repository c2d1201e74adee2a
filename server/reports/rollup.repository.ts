import type { Db } from '../../db/connection.js';
import {
  COUNTERS,
  KEY_COLUMNS,
  contributionsOf,
  type ClosedInteraction,
  type Contribution,
  type RollupSettings,
} from './rollups.js';
import { ROLLUP_TABLES, type RollupTable } from './rollup-tables.js';

/** Where the short-abandon threshold the rollups were computed with is kept (seconds). */
export const SHORT_ABANDON_KEY = 'reports.short_abandon_seconds';
const DEFAULT_SHORT_ABANDON_SECONDS = 5;

const SUMMED = COUNTERS.filter((c) => c !== 'wait_max_ms');
const COLUMNS = [...KEY_COLUMNS, ...COUNTERS];

interface ClosedRow {
  direction: string;
  provider: string;
  origin: 'transfer' | 'callback' | null;
  queue_id: number | null;
  agent_id: number | null;
  tier: string | null;
  lifecycle_stage: string | null;
  wrap_up_code_id: number | null;
  arrived_at: string;
  queued_at: string | null;
  answered_at: string | null;
  ended_at: string | null;
  wrap_up_ended_at: string | null;
  outcome: string | null;
  held_seconds: number;
  sl_target_seconds: number | null;
}

const normalise = (rows: Contribution[]) => JSON.stringify(rows.map((row) => COLUMNS.map((c) => row[c])));

/**
 * Keeps the rollups in step with closed Interactions. `rollUp` runs inside the transaction that
 * closes or corrects an Interaction: it replaces the Interaction's contributions and moves the sums
 * by the difference, so running it twice (a provider's retried webhook) changes nothing.
 */
export function createRollupRepository(db: Db) {
  const statements = {
    closed: db.prepare<[number], ClosedRow>(
      `SELECT i.direction, i.provider, i.origin, i.queue_id, i.agent_id, c.tier, c.lifecycle_stage,
              i.wrap_up_code_id, i.arrived_at, i.queued_at, i.answered_at, i.ended_at, i.wrap_up_ended_at,
              i.outcome, i.held_seconds, coalesce(t.sl_target_seconds, q.sl_target_seconds) AS sl_target_seconds
       FROM interactions i
       LEFT JOIN customers c ON c.id = i.customer_id
       LEFT JOIN call_queues q ON q.id = i.queue_id
       LEFT JOIN call_queue_tier_targets t ON t.queue_id = i.queue_id AND t.tier = c.tier
       WHERE i.id = ? AND i.state = 'completed'`,
    ),
    declines: db.prepare<[number], { agentId: number; reason: string; count: number }>(
      `SELECT agent_id AS agentId, json_extract(data, '$.reason') AS reason, count(*) AS count
       FROM interaction_events
       WHERE interaction_id = ? AND type = 'offer_declined' AND agent_id IS NOT NULL
       GROUP BY agent_id, reason`,
    ),
    old: db.prepare<[number], Contribution>(
      `SELECT ${COLUMNS.join(', ')} FROM report_contributions WHERE interaction_id = ? ORDER BY seq`,
    ),
    forget: db.prepare<[number]>('DELETE FROM report_contributions WHERE interaction_id = ?'),
    keep: db.prepare(
      `INSERT INTO report_contributions (interaction_id, seq, ${COLUMNS.join(', ')})
       VALUES (?, ?, ${COLUMNS.map(() => '?').join(', ')})`,
    ),
    setting: db.prepare<[string], { value: string }>('SELECT value FROM app_meta WHERE key = ?'),
    saveSetting: db.prepare<[string, string]>(
      'INSERT INTO app_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ),
    completedAfter: db.prepare<[number, number], { id: number }>(
      "SELECT id FROM interactions WHERE id > ? AND state = 'completed' ORDER BY id LIMIT ?",
    ),
  };

  const settings = (): RollupSettings => {
    const stored = statements.setting.get(SHORT_ABANDON_KEY);
    return { shortAbandonSeconds: stored ? Number(stored.value) : DEFAULT_SHORT_ABANDON_SECONDS };
  };

  const closedInteraction = (id: number): ClosedInteraction | null => {
    const row = statements.closed.get(id);
    if (!row) return null;
    return {
      direction: row.direction,
      provider: row.provider,
      origin: row.origin,
      queueId: row.queue_id,
      agentId: row.agent_id,
      tier: row.tier,
      lifecycleStage: row.lifecycle_stage,
      wrapUpCodeId: row.wrap_up_code_id,
      arrivedAt: row.arrived_at,
      queuedAt: row.queued_at,
      answeredAt: row.answered_at,
      endedAt: row.ended_at,
      wrapUpEndedAt: row.wrap_up_ended_at,
      outcome: row.outcome,
      heldSeconds: row.held_seconds,
      slTargetSeconds: row.sl_target_seconds,
      declines: statements.declines.all(id),
    };
  };

  const tables = ROLLUP_TABLES.map((table) => tableWriter(db, table));

  const rollUp = db.transaction((id: number, current: RollupSettings): boolean => {
    const call = closedInteraction(id);
    if (!call) return false;
    const next = contributionsOf(call, current);
    const previous = statements.old.all(id);
    // The first close (the common case) has nothing to compare, subtract or forget.
    if (previous.length > 0) {
      if (normalise(previous) === normalise(next)) return false;
      for (const row of previous) for (const table of tables) table.subtract(row);
      statements.forget.run(id);
    }
    next.forEach((row, seq) => {
      statements.keep.run(id, seq, ...COLUMNS.map((c) => row[c]));
      for (const table of tables) table.add(row);
    });
    // Finest first: a coarse maximum is taken again from the finer table, already corrected.
    for (const table of tables) for (const row of previous) table.settle(row);
    return true;
  });

  return {
    settings,

    /**
     * Records the short-abandon threshold rollups are computed with; true when it differs from the
     * one stored, after which the rollups need `npm run reports:rebuild`.
     */
    useShortAbandonSeconds(seconds: number): boolean {
      const stored = statements.setting.get(SHORT_ABANDON_KEY);
      statements.saveSetting.run(SHORT_ABANDON_KEY, String(seconds));
      return stored !== undefined && Number(stored.value) !== seconds;
    },

    /** Brings one Interaction's contributions up to date; false when it is not closed or nothing changed. */
    rollUp: (interactionId: number) => rollUp(interactionId, settings()),

    /**
     * Recomputes every closed Interaction's contributions, a batch per transaction so that calls
     * closing meanwhile wait at most one batch for the write lock. Returns how many changed.
     */
    rebuild(options: { batchSize?: number; onBatch?: (done: number) => void } = {}): number {
      const batchSize = options.batchSize ?? 2000;
      const current = settings();
      let after = 0;
      let done = 0;
      let changed = 0;
      for (;;) {
        const ids = statements.completedAfter.all(after, batchSize).map((row) => row.id);
        if (ids.length === 0) break;
        db.transaction(() => {
          for (const id of ids) if (rollUp(id, current)) changed += 1;
        })();
        after = ids.at(-1)!;
        done += ids.length;
        options.onBatch?.(done);
      }
      return changed;
    },
  };
}

export type RollupRepository = ReturnType<typeof createRollupRepository>;

/**
 * Moves one rollup table by contributions: `add` and `subtract` a contribution's counters on the row
 * of its key (its bucket floored to the table's length), then `settle` each removed contribution's
 * row: its maximum taken again from the finer table when the removed wait may have been it, and the
 * row deleted once nothing is left in it (every contribution counts a contact, a RONA or a decline).
 */
function tableWriter(db: Db, table: RollupTable) {
  const { name, seconds, keys, finer } = table;
  const dims = keys.slice(1);
  const keyOf = (row: Contribution) => [
    row.bucket_start - (row.bucket_start % seconds),
    ...dims.map((c) => row[c]),
  ];
  const match = keys.map((c) => `${c} = ?`).join(' AND ');
  const statements = {
    add: db.prepare(
      `INSERT INTO ${name} (${[...keys, ...COUNTERS].join(', ')})
       VALUES (${[...keys, ...COUNTERS].map(() => '?').join(', ')})
       ON CONFLICT (${keys.join(', ')}) DO UPDATE SET
         ${SUMMED.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')},
         wait_max_ms = max(wait_max_ms, excluded.wait_max_ms)`,
    ),
    subtract: db.prepare(
      `UPDATE ${name} SET ${SUMMED.map((c) => `${c} = ${c} - ?`).join(', ')} WHERE ${match}`,
    ),
    // A maximum cannot be subtracted. When the row's is above the removed wait, a remaining call holds it.
    remax: db.prepare(
      `UPDATE ${name} SET wait_max_ms = coalesce((SELECT max(wait_max_ms) FROM ${finer}
         WHERE bucket_start >= ? AND bucket_start < ?${dims.map((c) => ` AND ${c} = ?`).join('')}), 0)
       WHERE ${match} AND wait_max_ms = ?`,
    ),
    dropEmpty: db.prepare(
      `DELETE FROM ${name} WHERE ${match} AND contacts = 0 AND rona = 0 AND declined = 0`,
    ),
  };
  return {
    add: (row: Contribution) => statements.add.run(...keyOf(row), ...COUNTERS.map((c) => row[c])),
    subtract: (row: Contribution) => statements.subtract.run(...SUMMED.map((c) => row[c]), ...keyOf(row)),
    settle(row: Contribution) {
      const key = keyOf(row);
      const start = key[0] as number;
      statements.remax.run(start, start + seconds, ...key.slice(1), ...key, row.wait_max_ms);
      statements.dropEmpty.run(...key);
    },
  };
}

/** The hook the interactions repository calls inside its transaction when an Interaction closes or is corrected. */
export const rollUpInteraction = (db: Db, interactionId: number): boolean =>
  rollupsOf(db).rollUp(interactionId);

const repositories = new WeakMap<Db, RollupRepository>();
function rollupsOf(db: Db): RollupRepository {
  let repository = repositories.get(db);
  if (!repository) {
    repository = createRollupRepository(db);
    repositories.set(db, repository);
  }
  return repository;
}
