import type { Db } from '../../db/connection.js';
import type { LifecycleStage } from '../../contracts/glossary.js';
import type { LifecycleReason } from '../../contracts/lifecycle.js';

/**
 * A nightly pass's stage changes not yet announced to the main thread's listeners: one `app_meta`
 * row per run, `lifecycle.unannounced:<the run's time>` → the id of the last change announced. The
 * worker's pass creates it before its first write; the main thread moves it on as it announces and
 * deletes it once the run is over; a row left behind (the worker or the process killed) says which of
 * the run's changes, durable in `customer_lifecycle_changes`, no listener has heard yet.
 */
const KEY_PREFIX = 'lifecycle.unannounced:';

/** A stage change as stored, with its history row's id. */
export interface RecordedStageChange {
  id: number;
  customerId: number;
  from: LifecycleStage;
  to: LifecycleStage;
  reasons: LifecycleReason[];
  at: string;
}

export function createNightlyChangesRepository(db: Db) {
  const statements = {
    open: db.prepare<[string]>(
      `INSERT INTO app_meta (key, value)
       VALUES (?, (SELECT coalesce(max(id), 0) FROM customer_lifecycle_changes))
       ON CONFLICT (key) DO NOTHING`,
    ),
    advance: db.prepare<[string, string]>('UPDATE app_meta SET value = ? WHERE key = ?'),
    close: db.prepare<[string]>('DELETE FROM app_meta WHERE key = ?'),
    pending: db
      .prepare<[string], [string, string]>(`SELECT key, value FROM app_meta WHERE key GLOB ? || '*'`)
      .raw(true),
    // The run's own changes: the rules', at the run's time (one evaluated on close has its own time).
    after: db.prepare<[number, string], Omit<RecordedStageChange, 'reasons'> & { reasons: string }>(
      `SELECT id, customer_id AS customerId, from_stage AS "from", to_stage AS "to", reasons, at
       FROM customer_lifecycle_changes WHERE id > ? AND at = ? AND source = 'rules' ORDER BY id`,
    ),
  };
  return {
    /** The run at `runAt` is about to write changes (a run retried at the same time keeps its row). */
    open: (runAt: string) => void statements.open.run(KEY_PREFIX + runAt),
    /** The run's changes up to `changeId` were announced. */
    advance: (runAt: string, changeId: number) =>
      void statements.advance.run(String(changeId), KEY_PREFIX + runAt),
    /** Every run with changes maybe unannounced, and the id of the last one announced. */
    pending: (): { runAt: string; announcedThrough: number }[] =>
      statements.pending
        .all(KEY_PREFIX)
        .map(([key, value]) => ({ runAt: key.slice(KEY_PREFIX.length), announcedThrough: Number(value) })),
    /** The run's changes after `changeId`, in the order they were written. */
    unannounced: (runAt: string, changeId: number): RecordedStageChange[] =>
      statements.after
        .all(changeId, runAt)
        .map((row) => ({ ...row, reasons: JSON.parse(row.reasons) as LifecycleReason[] })),
    close: (runAt: string) => void statements.close.run(KEY_PREFIX + runAt),
  };
}

export type NightlyChangesRepository = ReturnType<typeof createNightlyChangesRepository>;
