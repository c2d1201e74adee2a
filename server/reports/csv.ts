import { stringify } from 'csv-stringify';
import { Readable, pipeline } from 'node:stream';

/** One CSV column: its header and how a row gives its cell (null for an empty cell). */
export interface CsvColumn<Row> {
  header: string;
  cell: (row: Row) => string | number | null;
}

// A spreadsheet runs a cell that starts with one of these as a formula (a tab or CR can hide one).
const FORMULA_START = /^[=+\-@\t\r]/;

/** Text that a spreadsheet would run as a formula, kept text by a leading apostrophe (OWASP's advice). */
export const formulaSafe = (text: string): string => (FORMULA_START.test(text) ? `'${text}` : text);

/**
 * Rows as a CSV byte stream: UTF-8 with a BOM (so Excel reads Chinese names), CRLF line ends (RFC
 * 4180), a header line, every text cell formula-safe. Rows are pulled only as fast as the reader
 * reads, so a generator of pages never holds more than its current page.
 */
export function csvStream<Row>(
  columns: readonly CsvColumn<Row>[],
  rows: Iterable<Row> | AsyncIterable<Row>,
): Readable {
  const records = Readable.from(
    (async function* () {
      for await (const row of rows) yield columns.map((column) => column.cell(row));
    })(),
  );
  const csv = stringify({
    bom: true,
    header: true,
    columns: columns.map((column) => column.header),
    record_delimiter: 'windows',
    cast: { string: formulaSafe },
  });
  // pipeline destroys both sides when either fails or the reader goes away, ending the row source.
  return pipeline(records, csv, () => {});
}
