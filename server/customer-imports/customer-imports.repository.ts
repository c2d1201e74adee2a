import type { Db } from '../../db/connection.js';
import { phoneSearchDigits } from '../customers/index.js';
import type {
  DuplicatePolicy,
  ImportEncoding,
  ImportMapping,
  ImportStatus,
} from './customer-imports.schemas.js';

export interface ImportRecord {
  id: string;
  agentId: number;
  fileName: string;
  fileHash: string;
  encoding: ImportEncoding;
  delimiter: string;
  headers: string[];
  preview: string[][];
  totalRows: number;
  status: ImportStatus;
  mapping: ImportMapping | null;
  duplicates: DuplicatePolicy | null;
  nextRow: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  invalid: number;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export type ImportCounts = Pick<ImportRecord, 'created' | 'updated' | 'unchanged' | 'skipped' | 'invalid'>;

export interface ImportError {
  row: number;
  column: string;
  reason: string;
}

/** The profile fields an import may update. */
export interface ImportedFields {
  name: string;
  company: string | null;
  language: string;
  tags: string[];
}

interface RecordRow {
  id: string;
  agent_id: number;
  file_name: string;
  file_hash: string;
  encoding: ImportEncoding;
  delimiter: string;
  headers: string;
  preview: string;
  total_rows: number;
  status: ImportStatus;
  mapping: string | null;
  duplicates: DuplicatePolicy | null;
  next_row: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  invalid: number;
  error: string | null;
  created_at: string;
  finished_at: string | null;
}

const toRecord = (row: RecordRow): ImportRecord => ({
  id: row.id,
  agentId: row.agent_id,
  fileName: row.file_name,
  fileHash: row.file_hash,
  encoding: row.encoding,
  delimiter: row.delimiter,
  headers: JSON.parse(row.headers) as string[],
  preview: JSON.parse(row.preview) as string[][],
  totalRows: row.total_rows,
  status: row.status,
  mapping: row.mapping === null ? null : (JSON.parse(row.mapping) as ImportMapping),
  duplicates: row.duplicates,
  nextRow: row.next_row,
  created: row.created,
  updated: row.updated,
  unchanged: row.unchanged,
  skipped: row.skipped,
  invalid: row.invalid,
  error: row.error,
  createdAt: row.created_at,
  finishedAt: row.finished_at,
});

/**
 * Import records and their errors, and the customer writes of an import: plain inserts and updates of
 * the customers tables and their search index, without the per-customer reads of the customers
 * repository, so that 100,000 rows take seconds. The search row is written as the customers
 * repository writes it (server/customers/customers.repository.ts `reindex`).
 */
export function createCustomerImportsRepository(db: Db) {
  const s = {
    add: db.prepare(
      `INSERT INTO customer_imports (id, agent_id, file_name, file_hash, encoding, delimiter, headers, preview,
         total_rows, created_at)
       VALUES (@id, @agentId, @fileName, @fileHash, @encoding, @delimiter, @headers, @preview, @totalRows, @createdAt)`,
    ),
    get: db.prepare<[string], RecordRow>('SELECT * FROM customer_imports WHERE id = ?'),
    sameFile: db.prepare<[string, string], { id: string }>(
      `SELECT id FROM customer_imports WHERE file_hash = ? AND id <> ? AND status = 'done'
       ORDER BY finished_at DESC LIMIT 1`,
    ),
    queue: db.prepare<[string, DuplicatePolicy, string]>(
      `UPDATE customer_imports SET status = 'queued', mapping = ?, duplicates = ? WHERE id = ? AND status = 'uploaded'`,
    ),
    running: db.prepare<[string]>(
      "UPDATE customer_imports SET status = 'running' WHERE id = ? AND status IN ('queued', 'running')",
    ),
    checkpoint: db.prepare(
      `UPDATE customer_imports SET next_row = @nextRow, created = created + @created, updated = updated + @updated,
         unchanged = unchanged + @unchanged, skipped = skipped + @skipped, invalid = invalid + @invalid
       WHERE id = @id`,
    ),
    finish: db.prepare<[ImportStatus, string | null, string, string]>(
      'UPDATE customer_imports SET status = ?, error = ?, finished_at = ? WHERE id = ?',
    ),
    addError: db.prepare<[string, number, string, string]>(
      'INSERT OR IGNORE INTO customer_import_errors (import_id, row, column_name, reason) VALUES (?, ?, ?, ?)',
    ),
    errors: db.prepare<[string], ImportError>(
      `SELECT row, column_name AS column, reason FROM customer_import_errors WHERE import_id = ?
       ORDER BY row, column_name`,
    ),
    // One-table lookups in a scalar subquery: as a join, SQLite scanned customer_emails whenever the
    // statistics (ANALYZE) were older than the rows this import added.
    phoneOwner: db.prepare<[string], { id: number; erased: number }>(
      `SELECT id, erased_at IS NOT NULL AS erased FROM customers
       WHERE id = (SELECT customer_id FROM customer_phones WHERE e164 = ?)`,
    ),
    emailOwner: db.prepare<[string], { id: number; erased: number }>(
      `SELECT id, erased_at IS NOT NULL AS erased FROM customers
       WHERE id = (SELECT customer_id FROM customer_emails WHERE email = ?)`,
    ),
    fields: db.prepare<[number], { name: string; company: string | null; language: string; tags: string }>(
      'SELECT name, company, language, tags FROM customers WHERE id = ?',
    ),
    insertCustomer: db.prepare(
      `INSERT INTO customers (name, company, language, tags, created_at, updated_at)
       VALUES (@name, @company, @language, @tags, @now, @now)`,
    ),
    updateCustomer: db.prepare(
      `UPDATE customers SET name = @name, company = @company, language = @language, tags = @tags, updated_at = @now
       WHERE id = @id`,
    ),
    touch: db.prepare<[string, number]>('UPDATE customers SET updated_at = ? WHERE id = ?'),
    insertPhone: db.prepare<[number, string, string]>(
      "INSERT INTO customer_phones (customer_id, e164, label, created_at) VALUES (?, ?, 'mobile', ?)",
    ),
    insertEmail: db.prepare<[number, string, string]>(
      "INSERT INTO customer_emails (customer_id, email, label, created_at) VALUES (?, ?, 'work', ?)",
    ),
    phones: db
      .prepare<[number], string>('SELECT e164 FROM customer_phones WHERE customer_id = ? ORDER BY id')
      .pluck(),
    emails: db
      .prepare<[number], string>('SELECT email FROM customer_emails WHERE customer_id = ? ORDER BY id')
      .pluck(),
    unindex: db.prepare<[number]>('DELETE FROM customer_search WHERE rowid = ?'),
    index: db.prepare<[number, string, string, string, string]>(
      'INSERT INTO customer_search (rowid, name, company, emails, phones) VALUES (?, ?, ?, ?, ?)',
    ),
  };

  return {
    add(
      record: Pick<
        ImportRecord,
        | 'id'
        | 'agentId'
        | 'fileName'
        | 'fileHash'
        | 'encoding'
        | 'delimiter'
        | 'headers'
        | 'preview'
        | 'totalRows'
        | 'createdAt'
      >,
    ): void {
      s.add.run({
        ...record,
        headers: JSON.stringify(record.headers),
        preview: JSON.stringify(record.preview),
      });
    },

    get(id: string): ImportRecord | null {
      const row = s.get.get(id);
      return row ? toRecord(row) : null;
    },

    /** The latest finished import of the same file, other than `id`. */
    sameFile: (fileHash: string, id: string): string | null => s.sameFile.get(fileHash, id)?.id ?? null,

    /** Sets the mapping and policy of an uploaded import; false if it was started already. */
    queue: (id: string, mapping: ImportMapping, duplicates: DuplicatePolicy): boolean =>
      s.queue.run(JSON.stringify(mapping), duplicates, id).changes > 0,

    running: (id: string): boolean => s.running.run(id).changes > 0,

    finish(id: string, status: 'done' | 'failed', error: string | null, now: string): void {
      s.finish.run(status, error, now, id);
    },

    errors: (id: string): IterableIterator<ImportError> => s.errors.iterate(id),

    /** Runs `work` in one transaction: a batch's customers, errors and checkpoint commit together or not at all. */
    inTransaction: <T>(work: () => T): T => db.transaction(work)(),

    /** The checkpoint of a batch: the rows before `nextRow` are done. Call inside the batch's transaction. */
    checkpoint(id: string, nextRow: number, counts: ImportCounts, errors: readonly ImportError[]): void {
      for (const error of errors) s.addError.run(id, error.row, error.column, error.reason);
      s.checkpoint.run({ id, nextRow, ...counts });
    },

    phoneOwner: (e164: string) => s.phoneOwner.get(e164) ?? null,
    emailOwner: (email: string) => s.emailOwner.get(email) ?? null,

    fields(id: number): ImportedFields {
      const row = s.fields.get(id)!;
      return { ...row, tags: JSON.parse(row.tags) as string[] };
    },

    create(fields: ImportedFields, phone: string, email: string | null, now: string): number {
      const id = Number(
        s.insertCustomer.run({ ...fields, tags: JSON.stringify(fields.tags), now }).lastInsertRowid,
      );
      s.insertPhone.run(id, phone, now);
      if (email !== null) s.insertEmail.run(id, email, now);
      s.index.run(id, fields.name, fields.company ?? '', email ?? '', phoneSearchDigits(phone));
      return id;
    },

    /** Writes the fields and adds the phone and email given (not owned by anyone), then reindexes. */
    update(
      id: number,
      fields: ImportedFields | null,
      add: { phone?: string; email?: string },
      now: string,
    ): void {
      if (fields) s.updateCustomer.run({ id, ...fields, tags: JSON.stringify(fields.tags), now });
      else s.touch.run(now, id);
      if (add.phone) s.insertPhone.run(id, add.phone, now);
      if (add.email) s.insertEmail.run(id, add.email, now);
      const profile = fields ?? this.fields(id);
      s.unindex.run(id);
      s.index.run(
        id,
        profile.name,
        profile.company ?? '',
        s.emails.all(id).join(' '),
        s.phones.all(id).map(phoneSearchDigits).join(' '),
      );
    },
  };
}

export type CustomerImportsRepository = ReturnType<typeof createCustomerImportsRepository>;
