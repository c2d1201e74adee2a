import type { Db } from '../../db/connection.js';
import type { ExportKind } from './export.js';

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
  };
}

export type ExportRepository = ReturnType<typeof createExportRepository>;
