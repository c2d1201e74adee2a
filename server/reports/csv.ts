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

// A cell holding the delimiter, the quote or any line break is quoted: csv-stringify by itself quotes
// only the record delimiter (CRLF), and a name with a lone LF or CR would then split its row in a
// spreadsheet. csvStream asks csv-stringify for the same (`quoted_match`), so both write the same bytes.
const NEEDS_QUOTES = /[",\r\n]/;
const LINE_BREAK = /[\r\n]/;

/** One cell as csvStream writes it (csv-stringify, tested against it): formula-safe, quoted when needed. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = formulaSafe(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV line, CRLF-terminated. */
export const csvLine = (cells: readonly (string | number | null)[]): string =>
  `${cells.map(csvCell).join(',')}\r\n`;

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
    quoted_match: LINE_BREAK,
    cast: { string: formulaSafe },
  });
  // pipeline destroys both sides when either fails or the reader goes away, ending the row source.
  return pipeline(records, csv, () => {});
}

/**
 * The bytes csvStream would write, from lines written a page at a time (csvLine): for a long export,
 * where csv-stringify's work per record cost more than reading the rows. Not in object mode, so that
 * only about one page waits ahead of the reader; a reader that goes away ends the page source.
 */
export function csvLinesStream(headers: readonly string[], pages: Iterable<string>): Readable {
  return Readable.from(
    (function* () {
      yield `\uFEFF${csvLine(headers)}`;
      yield* pages;
    })(),
    { objectMode: false },
  );
}
