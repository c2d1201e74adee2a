import type { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { createRng } from '../../scripts/fuzz/prng.js';
import { csvLine, csvLinesStream, csvStream, type CsvColumn } from './csv.js';

type Cell = string | number | null;

const bytesOf = async (stream: Readable) => {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(Buffer.from(part as Buffer | string));
  return Buffer.concat(parts);
};

// The characters that decide formula-safety and quoting, among plain and Chinese ones.
const ALPHABET = [
  '=',
  '+',
  '-',
  '@',
  '\t',
  '\r',
  '\n',
  ',',
  '"',
  "'",
  ' ',
  'a',
  'Z',
  '0',
  '张',
  '伟',
  '\uFF1D',
];

describe('CSV lines written directly', () => {
  it('are the bytes csv-stringify writes for the same rows, whatever the cells', async () => {
    const random = createRng(7);
    const cell = (): Cell => {
      const kind = random.next();
      if (kind < 0.1) return null;
      if (kind < 0.2) return random.int(-50, 100_000);
      return Array.from(
        { length: random.int(0, 6) },
        () => ALPHABET[random.int(0, ALPHABET.length - 1)],
      ).join('');
    };
    const rows: Cell[][] = Array.from({ length: 5000 }, () => Array.from({ length: 4 }, cell));
    rows.push(['\r', '\r\n', 'a\r', '\n'], ['', '=1+2', '-3', '"quoted"'], [-3, 0, null, '']);
    const columns: CsvColumn<Cell[]>[] = ['a', 'b', 'c', 'd'].map((header, n) => ({
      header,
      cell: (row) => row[n]!,
    }));
    // In pages of 1,000 lines, as an export writes them.
    const pages = Array.from({ length: Math.ceil(rows.length / 1000) }, (_, n) =>
      rows
        .slice(n * 1000, n * 1000 + 1000)
        .map(csvLine)
        .join(''),
    );
    const direct = await bytesOf(csvLinesStream(['a', 'b', 'c', 'd'], pages));
    expect(direct.equals(await bytesOf(csvStream(columns, rows)))).toBe(true);
    expect(direct.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  it('write the BOM and header alone when there are no rows, as csv-stringify does', async () => {
    const columns: CsvColumn<Cell[]>[] = [{ header: 'id', cell: (row) => row[0]! }];
    expect((await bytesOf(csvLinesStream(['id'], []))).toString()).toBe(
      (await bytesOf(csvStream(columns, []))).toString(),
    );
  });

  it('keep a cell with a lone line break in its row, in both writers', async () => {
    const rows: Cell[][] = [
      ['Ann\nLee', 'one\rtwo', 'a\r\nb'],
      ['plain', 'x', 'y'],
    ];
    const columns: CsvColumn<Cell[]>[] = ['a', 'b', 'c'].map((header, n) => ({
      header,
      cell: (row) => row[n]!,
    }));
    for (const stream of [
      csvStream(columns, rows),
      csvLinesStream(['a', 'b', 'c'], [rows.map(csvLine).join('')]),
    ]) {
      const records: string[][] = parse(await bytesOf(stream), { bom: true });
      expect(records).toEqual([['a', 'b', 'c'], ...rows]);
    }
  });
});
