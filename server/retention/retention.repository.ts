import type { Db } from '../../db/connection.js';
import type { RetentionItem, RetentionType } from './retention.schemas.js';

/** The app_meta row below which audit_log rows may be deleted (migration 025's trigger reads it). */
const AUDIT_CUTOFF_KEY = 'retention.audit_log_before';
const SAMPLE_SIZE = 10;

type Table = RetentionItem['table'];

/** Rows older than `before` that one pass would remove: how many, the oldest date, a sample of ids. */
export interface Candidates {
  count: number;
  oldest: string | null;
  sampleIds: string[];
}

/** One batch removed: how many rows, and the recordings to delete at the provider. */
export interface Batch {
  removed: number;
  recordingRefs: string[];
}

/** One table's share of a data type: what it would remove, and removing a batch of it. */
export interface RetentionPass {
  type: RetentionType;
  table: Table;
  candidates(before: string): Candidates;
  /** Removes up to `limit` of the oldest candidates in one transaction. */
  purgeBatch(before: string, limit: number, now: string): Batch;
}

/** Removes timeline keys that hold what a caller said or where they were reached, at any depth. */
function withoutKeys(value: unknown, keys: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((item) => withoutKeys(item, keys));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !keys.has(key))
      .map(([key, item]) => [key, withoutKeys(item, keys)]),
  );
}

/**
 * The SQL of retention, one pass per table a data type touches. Each candidate query has its
 * matching batch: what the dry run counts is what the run removes, oldest first.
 */
export function createRetentionRepository(db: Db, personalEventKeys: ReadonlySet<string>): RetentionPass[] {
  function pass(
    type: RetentionType,
    table: Table,
    sql: { from: string; where: string; at: string; id: string },
    purge: (ids: string[], before: string, now: string) => Batch,
  ): RetentionPass {
    const summary = db.prepare<[string], { count: number; oldest: string | null }>(
      `SELECT count(*) AS count, min(${sql.at}) AS oldest FROM ${sql.from} WHERE ${sql.where}`,
    );
    const ids = db
      .prepare<[string, number], string>(
        `SELECT CAST(${sql.id} AS TEXT) FROM ${sql.from} WHERE ${sql.where} ORDER BY ${sql.at}, ${sql.id} LIMIT ?`,
      )
      .pluck();
    const batch = db.transaction((before: string, limit: number, now: string) =>
      purge(ids.all(before, limit), before, now),
    );
    return {
      type,
      table,
      candidates(before) {
        const { count, oldest } = summary.get(before) ?? { count: 0, oldest: null };
        const sample = ids.all(before, SAMPLE_SIZE);
        // A session's key is a token's hash: its first digits tell rows apart without being usable.
        return {
          count,
          oldest,
          sampleIds: table === 'sessions' ? sample.map((id) => id.slice(0, 8)) : sample,
        };
      },
      purgeBatch: (before, limit, now) => batch(before, limit, now),
    };
  }

  const each = <P extends unknown[]>(sql: string) => {
    const statement = db.prepare<P>(sql);
    return (rows: P[]) => rows.reduce((sum, row) => sum + statement.run(...row).changes, 0);
  };

  const recordingOf = db
    .prepare<[string], string>('SELECT recording_ref FROM interactions WHERE id = ?')
    .pluck();
  const unrecord = each<[string]>('UPDATE interactions SET recording_ref = NULL WHERE id = ?');
  // The erasure's ledger of provider deletions (020): its retried job and hourly sweep take them from here.
  const ledger = each<[string, string]>(
    'INSERT OR IGNORE INTO recording_deletions (recording_ref, requested_at) VALUES (?, ?)',
  );
  const deleteNote = each<[string]>('DELETE FROM customer_notes WHERE id = ?');
  const clearNotes = each<[string]>('UPDATE interactions SET notes = NULL WHERE id = ?');
  const clearPersonal = each<[string, string]>(
    `UPDATE interactions SET caller_number = NULL, notes = NULL, ivr_answers = '{}', handoff_context = NULL, personal_purged_at = ?
     WHERE id = ?`,
  );
  const events = db.prepare<[string], { id: number; data: string }>(
    "SELECT id, data FROM interaction_events WHERE interaction_id = ? AND data <> '{}'",
  );
  const setEventData = db.prepare<[string, number]>('UPDATE interaction_events SET data = ? WHERE id = ?');
  const auditCutoff = db.prepare<[string]>(
    `INSERT INTO app_meta (key, value) VALUES ('${AUDIT_CUTOFF_KEY}', ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
  );
  const deleteAudit = each<[string]>('DELETE FROM audit_log WHERE id = ?');
  const deleteSession = each<[string]>('DELETE FROM sessions WHERE token_hash = ?');

  const interactionsWhere = (condition: string) => ({
    from: 'interactions',
    where: `${condition} AND arrived_at < ?`,
    at: 'arrived_at',
    id: 'id',
  });

  return [
    pass(
      'recordings',
      'interactions',
      interactionsWhere('recording_ref IS NOT NULL'),
      (ids, _before, now) => {
        const refs = [...new Set(ids.map((id) => recordingOf.get(id)).filter((ref) => ref !== undefined))];
        ledger(refs.map((ref) => [ref, now]));
        return { removed: unrecord(ids.map((id) => [id])), recordingRefs: refs };
      },
    ),
    pass(
      'notes',
      'customer_notes',
      { from: 'customer_notes', where: 'created_at < ?', at: 'created_at', id: 'id' },
      (ids) => ({ removed: deleteNote(ids.map((id) => [id])), recordingRefs: [] }),
    ),
    pass('notes', 'interactions', interactionsWhere('notes IS NOT NULL'), (ids) => ({
      removed: clearNotes(ids.map((id) => [id])),
      recordingRefs: [],
    })),
    // Only finished calls: a live call's number and answers are still in use.
    pass(
      'interactions',
      'interactions',
      interactionsWhere("personal_purged_at IS NULL AND state = 'completed'"),
      (ids, _before, now) => {
        // Marked first: the timeline's trigger lets a purged interaction's event data be rewritten.
        const removed = clearPersonal(ids.map((id) => [now, id]));
        for (const id of ids) {
          for (const event of events.all(id)) {
            const data = JSON.stringify(withoutKeys(JSON.parse(event.data), personalEventKeys));
            if (data !== event.data) setEventData.run(data, event.id);
          }
        }
        return { removed, recordingRefs: [] };
      },
    ),
    pass(
      'auditLog',
      'audit_log',
      { from: 'audit_log', where: 'at < ?', at: 'at', id: 'id' },
      (ids, before) => {
        auditCutoff.run(before);
        return { removed: deleteAudit(ids.map((id) => [id])), recordingRefs: [] };
      },
    ),
    pass(
      'sessions',
      'sessions',
      { from: 'sessions', where: 'expires_at < ?', at: 'expires_at', id: 'token_hash' },
      (ids) => ({ removed: deleteSession(ids.map((id) => [id])), recordingRefs: [] }),
    ),
  ];
}
