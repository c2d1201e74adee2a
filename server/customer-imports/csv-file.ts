import { parse, type Options } from 'csv-parse';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { CONTROL_CHARACTER } from '../customers/index.js';
import { badRequest } from '../http/errors.js';
import type { ImportEncoding } from './customer-imports.schemas.js';

const UTF8_BOM = [0xef, 0xbb, 0xbf];
/** Data rows the upload answers with, for the mapping step. */
export const PREVIEW_ROWS = 5;
/** More columns than a customer sheet ever has: the file is something else. */
const MAX_COLUMNS = 200;

/**
 * The file's text and encoding. A UTF-8 BOM decides; otherwise `auto` takes valid UTF-8 as UTF-8 and
 * anything else as GB18030, what Excel in Chinese writes for "CSV" (GBK is a subset of it). Both
 * decoders are strict, so a wrong choice fails here rather than filling the database with mojibake.
 * Node's ICU does the GB18030 decoding: no dependency of our own.
 */
export function decodeCsv(
  bytes: Buffer,
  asked: ImportEncoding | 'auto',
): { text: string; encoding: ImportEncoding } {
  if (bytes.length === 0) throw badRequest('The file is empty');
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    throw badRequest('The file is UTF-16 ("Unicode text"); save it as "CSV UTF-8" or plain "CSV" instead');
  const bom = UTF8_BOM.every((byte, index) => bytes[index] === byte);
  const tries: ImportEncoding[] = bom ? ['utf-8'] : asked === 'auto' ? ['utf-8', 'gb18030'] : [asked];
  for (const encoding of tries) {
    let text: string;
    try {
      text = new TextDecoder(encoding, { fatal: true, ignoreBOM: false }).decode(bytes);
    } catch {
      continue;
    }
    // Text, not a binary file that happened to decode: no NUL or C0 control but tab and line breaks.
    if (CONTROL_CHARACTER.test(text))
      throw badRequest('The file is not a CSV text file (it holds binary data)');
    return { text, encoding };
  }
  throw badRequest(
    asked === 'auto' || bom
      ? 'The file is neither UTF-8 nor GB18030 text; save it from the spreadsheet as CSV'
      : `The file is not valid ${asked.toUpperCase()} text; try the other encoding or "auto"`,
  );
}

/** The delimiter of the header line: comma unless semicolons or tabs outnumber commas (European Excel, TSV). */
function delimiterOf(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const count = (char: string) => firstLine.split(char).length - 1;
  return [',', ';', '\t'].reduce((best, char) => (count(char) > count(best) ? char : best), ',');
}

const parseOptions = (delimiter: string): Options => ({
  delimiter,
  // Rows short of cells are fine (empty cells); empty lines stay records, so that a record's index
  // plus two is its row number in the spreadsheet.
  relax_column_count: true,
  skip_empty_lines: false,
});

export interface CsvShape {
  headers: string[];
  preview: string[][];
  /** Data rows under the header. */
  totalRows: number;
  delimiter: string;
}

/** Reads the whole file once, so that a malformed one is refused before anything is written. */
export async function inspectCsv(text: string): Promise<CsvShape> {
  const delimiter = delimiterOf(text);
  const parser = Readable.from(chunks(text)).pipe(parse(parseOptions(delimiter)));
  let headers: string[] | null = null;
  const preview: string[][] = [];
  let totalRows = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (headers === null) {
        headers = record.map((cell) => cell.trim());
        continue;
      }
      if (preview.length < PREVIEW_ROWS && !isBlank(record)) preview.push(record);
      totalRows += 1;
    }
  } catch (error) {
    throw badRequest(`The file is not a valid CSV: ${(error as Error).message}`);
  }
  if (headers === null || headers.every((header) => header === ''))
    throw badRequest('The file has no header line naming its columns');
  if (headers.length > MAX_COLUMNS)
    throw badRequest(`The file has ${headers.length} columns; a customer sheet has at most ${MAX_COLUMNS}`);
  if (totalRows === 0) throw badRequest('The file has a header but no rows under it');
  return { headers, preview, totalRows, delimiter };
}

export const isBlank = (record: readonly string[]) => record.every((cell) => cell.trim() === '');

/** The text in 64 KiB pieces, so parsing a large file lets the event loop breathe between them. */
function* chunks(text: string): Generator<string> {
  for (let at = 0; at < text.length; at += 65_536) yield text.slice(at, at + 65_536);
}

/** The data rows of a stored (UTF-8) file, each with its 0-based index under the header, from `from` on. */
export async function* recordsOf(
  file: string,
  delimiter: string,
  from: number,
): AsyncGenerator<{ index: number; cells: string[] }> {
  const parser = createReadStream(file, 'utf8').pipe(parse(parseOptions(delimiter)));
  let index = -1;
  for await (const record of parser as AsyncIterable<string[]>) {
    index += 1;
    if (index === 0 || index - 1 < from) continue;
    yield { index: index - 1, cells: record };
  }
}
