import { stringify } from 'csv-stringify';
import { Readable, pipeline } from 'node:stream';
import { EXPORT_HEADERS, type ExportCursor } from './customer-export.repository.js';

// A spreadsheet runs a cell that starts with one of these as a formula (a tab or CR can hide one): it
// gets a leading apostrophe, as in the report and segment exports (OWASP's advice).
const FORMULA_START = /^[=+\-@\t\r]/;
export const formulaSafe = (text: string): string => (FORMULA_START.test(text) ? `'${text}` : text);

/** Rows the stream reads ahead of the CSV writer; the rest wait in SQLite. */
const ROWS_AHEAD = 256;

/**
 * The cursor's rows as CSV: UTF-8 with a BOM, CRLF, a header line, every text cell formula-safe and
 * any cell with a line break quoted. A row is read only when the writer asks for one (`read`), so a
 * slow client holds back the statement instead of filling memory; when the client goes away, or
 * anything fails, the pipeline destroys the source and the cursor closes its connection.
 */
export function customersCsv(cursor: ExportCursor): Readable {
  const rows = new Readable({
    objectMode: true,
    highWaterMark: ROWS_AHEAD,
    read() {
      try {
        for (;;) {
          const next = cursor.rows.next();
          if (next.done) {
            cursor.close();
            this.push(null);
            return;
          }
          if (!this.push(next.value)) return;
        }
      } catch (error) {
        this.destroy(error as Error);
      }
    },
    destroy(error, done) {
      cursor.close();
      done(error);
    },
  });
  const csv = stringify({
    bom: true,
    header: true,
    columns: [...EXPORT_HEADERS],
    record_delimiter: 'windows',
    quoted_match: /[\r\n]/,
    cast: { string: formulaSafe },
  });
  return pipeline(rows, csv, () => {});
}
