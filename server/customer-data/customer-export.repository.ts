import { openReadOnlyDatabase, type Db } from '../../db/connection.js';

/** One exported customer, positional, in the order of EXPORT_HEADERS. */
export type ExportRow = [
  id: number,
  name: string,
  company: string | null,
  tier: string,
  lifecycleStage: string,
  language: string,
  tags: string | null,
  phones: string | null,
  emails: string | null,
  doNotCall: number,
  createdAt: string,
  updatedAt: string,
];

export const EXPORT_HEADERS = [
  'customerId',
  'name',
  'company',
  'tier',
  'lifecycleStage',
  'language',
  'tags',
  'phones',
  'emails',
  'doNotCall',
  'createdAt',
  'updatedAt',
] as const;

/** Which customers: ids as a subquery over `customers c`, with its parameters (positional or named). */
export interface CustomerSelection {
  idsSql: string | null;
  params: unknown[] | Record<string, unknown>;
}

/** An open export: its rows, pulled one at a time, and the connection they come from. */
export interface ExportCursor {
  rows: IterableIterator<ExportRow>;
  /** Ends the read and closes the connection; safe to call twice. */
  close(): void;
}

/**
 * Customers for a CSV, read by an iterating statement on a read-only connection of its own: a
 * statement being iterated keeps its connection busy, and the app's connection must stay free for
 * calls while a slow client downloads. The read is one snapshot (WAL), so the file is one moment's
 * customers however long it takes; erased customers are never in it.
 */
export function openCustomerExport(file: string, selection: CustomerSelection): ExportCursor {
  const db: Db = openReadOnlyDatabase({ file });
  try {
    const statement = db
      .prepare(
        `SELECT c.id, c.name, c.company, c.tier, c.lifecycle_stage, c.language,
                (SELECT group_concat(value, ' ') FROM json_each(c.tags)),
                (SELECT group_concat(e164, ' ') FROM (SELECT e164 FROM customer_phones WHERE customer_id = c.id ORDER BY id)),
                (SELECT group_concat(email, ' ') FROM (SELECT email FROM customer_emails WHERE customer_id = c.id ORDER BY id)),
                c.do_not_call, c.created_at, c.updated_at
         FROM customers c
         WHERE c.erased_at IS NULL AND c.merged_into IS NULL${selection.idsSql === null ? '' : ` AND c.id IN (${selection.idsSql})`}
         ORDER BY c.id`,
      )
      .raw(true);
    const rows = statement.iterate(selection.params) as IterableIterator<ExportRow>;
    let open = true;
    return {
      rows,
      close() {
        if (!open) return;
        open = false;
        rows.return?.();
        db.close();
      },
    };
  } catch (error) {
    db.close();
    throw error;
  }
}
