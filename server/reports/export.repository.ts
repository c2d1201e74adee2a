import type { Db } from '../../db/connection.js';
import type { ExportKind } from './export-kinds.js';
import { FILTER_COLUMN, type RollupFilter, type SecondsRange } from './reports.repository.js';
import type { DRILL_METRICS } from './reports.schemas.js';

export type ExportStatus = 'queued' | 'running' | 'done' | 'failed';

/** One export job as stored in `report_exports`. */
export interface ExportRecord {
  id: string;
  agentId: number;
  kind: ExportKind;
  /** The validated query, as the request gave it. */
  query: Record<string, unknown>;
  status: ExportStatus;
  rowsWritten: number;
  totalRows: number | null;
  fileName: string;
  error: string | null;
  createdAt: string;
}

interface ExportRow {
  id: string;
  agent_id: number;
  kind: ExportKind;
  query: string;
  status: ExportStatus;
  rows_written: number;
  total_rows: number | null;
  file_name: string;
  error: string | null;
  created_at: string;
}

const recordOf = (row: ExportRow): ExportRecord => ({
  id: row.id,
  agentId: row.agent_id,
  kind: row.kind,
  query: JSON.parse(row.query) as Record<string, unknown>,
  status: row.status,
  rowsWritten: row.rows_written,
  totalRows: row.total_rows,
  fileName: row.file_name,
  error: row.error,
  createdAt: row.created_at,
});

/** The counter column of `report_contributions` a drill-down metric reads. */
export type DrillColumn = (typeof DRILL_METRICS)[keyof typeof DRILL_METRICS];

/**
 * One interaction of an interactions export, as a positional row: bucketStart, interactionId,
 * arrivedAt, direction, provider, queueId, agentId, customerId, customer's name, outcome.
 */
export type ExportInteraction = [
  number,
  number,
  string,
  string,
  string,
  number | null,
  number | null,
  number | null,
  string | null,
  string | null,
];

/** Export jobs and their progress. */
export function createExportRepository(db: Db) {
  const insert = db.prepare<[string, number, ExportKind, string, string, string]>(
    `INSERT INTO report_exports (id, agent_id, kind, query, file_name, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const get = db.prepare<[string], ExportRow>('SELECT * FROM report_exports WHERE id = ?');
  const start = db.prepare<[number | null, string]>(
    `UPDATE report_exports SET status = 'running', rows_written = 0, total_rows = ?, error = NULL WHERE id = ?`,
  );
  const progress = db.prepare<[number, string]>('UPDATE report_exports SET rows_written = ? WHERE id = ?');
  const done = db.prepare<{ rows: number; id: string }>(
    `UPDATE report_exports SET status = 'done', rows_written = @rows, total_rows = @rows WHERE id = @id`,
  );
  const failed = db.prepare<[string, string]>(
    `UPDATE report_exports SET status = 'failed', error = ? WHERE id = ?`,
  );
  const remove = db.prepare<[string]>('DELETE FROM report_exports WHERE id = ?');

  return {
    add(record: Pick<ExportRecord, 'id' | 'agentId' | 'kind' | 'query' | 'fileName' | 'createdAt'>): void {
      insert.run(
        record.id,
        record.agentId,
        record.kind,
        JSON.stringify(record.query),
        record.fileName,
        record.createdAt,
      );
    },
    get: (id: string): ExportRecord | undefined => {
      const row = get.get(id);
      return row && recordOf(row);
    },
    /** Marks the export running from row 0 (again, when a stalled job is retried); `totalRows` may be an estimate. */
    started: (id: string, totalRows: number | null) => void start.run(totalRows, id),
    progressed: (id: string, rowsWritten: number) => void progress.run(rowsWritten, id),
    /** The file is complete: its row count is now exact. */
    done: (id: string, rowsWritten: number) => void done.run({ rows: rowsWritten, id }),
    failed: (id: string, error: string) => void failed.run(error, id),
    remove: (id: string) => void remove.run(id),

    /**
     * The drill-down's query for an export, without its work per row that a file does not need: the
     * interactions behind a figure by bucket then id, a keyset page after `[bucket, id]` at a time,
     * as positional rows, with the customer's name the only join (the few queues and agents are
     * looked up by id instead).
     */
    interactionPages(filter: RollupFilter, column: DrillColumn, range: SecondsRange) {
      const filtered = (Object.keys(FILTER_COLUMN) as (keyof RollupFilter)[]).filter(
        (name) => filter[name] !== undefined,
      );
      const params = Object.fromEntries(filtered.map((name) => [name, filter[name]!]));
      const page = db
        .prepare<Record<string, string | number>, ExportInteraction>(
          `SELECT c.bucket_start, c.interaction_id, i.arrived_at, i.direction, i.provider, i.queue_id,
                  i.agent_id, i.customer_id, cu.name, i.outcome
           FROM report_contributions c
           JOIN interactions i ON i.id = c.interaction_id
           LEFT JOIN customers cu ON cu.id = i.customer_id
           WHERE (c.bucket_start, c.interaction_id) > (@afterBucket, @afterId) AND c.bucket_start < @end
             AND c.${column} > 0${filtered.map((name) => ` AND c.${FILTER_COLUMN[name]} = @${name}`).join('')}
           GROUP BY c.bucket_start, c.interaction_id
           ORDER BY c.bucket_start, c.interaction_id
           LIMIT @limit`,
        )
        .raw();
      return (after: [number, number], limit: number): ExportInteraction[] =>
        page.all({ ...params, end: range[1], afterBucket: after[0], afterId: after[1], limit });
    },
  };
}

export type ExportRepository = ReturnType<typeof createExportRepository>;
