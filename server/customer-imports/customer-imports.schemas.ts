import { Type, type Static } from 'typebox';
import { Nullable, Timestamp } from '../http/common.schemas.js';

export { IMPORT_FIELDS, REQUIRED_FIELDS, type ImportField } from '../../contracts/customer-import.js';

const Encoding = Type.Union([Type.Literal('utf-8'), Type.Literal('gb18030')]);
export type ImportEncoding = Static<typeof Encoding>;
/** What a row matching an existing customer (by phone or email) does. */
const Duplicates = Type.Union([Type.Literal('update'), Type.Literal('skip')]);
export type DuplicatePolicy = Static<typeof Duplicates>;
const Status = Type.Union([
  Type.Literal('uploaded'),
  Type.Literal('queued'),
  Type.Literal('running'),
  Type.Literal('done'),
  Type.Literal('failed'),
]);
export type ImportStatus = Static<typeof Status>;

const ColumnIndex = Type.Optional(Type.Integer({ minimum: 0, maximum: 499 }));

/** Field → the 0-based index of the CSV column that fills it; unmapped fields are left out. */
export const ImportMapping = Type.Object(
  {
    name: ColumnIndex,
    phone: ColumnIndex,
    email: ColumnIndex,
    company: ColumnIndex,
    language: ColumnIndex,
    tags: ColumnIndex,
  },
  { additionalProperties: false },
);
export type ImportMapping = Static<typeof ImportMapping>;

export const UploadQuery = Type.Object({
  fileName: Type.String({ minLength: 1, maxLength: 200, default: 'customers.csv' }),
  encoding: Type.Union([Encoding, Type.Literal('auto')], {
    default: 'auto',
    description:
      'auto: a UTF-8 BOM or valid UTF-8 means UTF-8, otherwise GB18030 (what Chinese Excel writes)',
  }),
});
export type UploadQuery = Static<typeof UploadQuery>;

export const ImportParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
export type ImportParams = Static<typeof ImportParams>;

export const StartBody = Type.Object(
  { mapping: ImportMapping, duplicates: Duplicates },
  { additionalProperties: false },
);
export type StartBody = Static<typeof StartBody>;

export const ImportState = Type.Object({
  id: Type.String(),
  fileName: Type.String(),
  encoding: Encoding,
  status: Status,
  /** The header line's cells, in order. */
  headers: Type.Array(Type.String()),
  /** The first data rows, as in the file. */
  preview: Type.Array(Type.Array(Type.String())),
  /** The server's guess of the mapping from the headers (English and Chinese names). */
  proposedMapping: ImportMapping,
  mapping: Nullable(ImportMapping),
  duplicates: Nullable(Duplicates),
  /** Data rows under the header. */
  totalRows: Type.Integer({ minimum: 0 }),
  /** Rows done so far: the checkpoint a resumed import starts from. */
  processedRows: Type.Integer({ minimum: 0 }),
  created: Type.Integer({ minimum: 0 }),
  updated: Type.Integer({ minimum: 0 }),
  /** Duplicates the update policy found already up to date. */
  unchanged: Type.Integer({ minimum: 0 }),
  /** Duplicates left alone by the skip policy. */
  skipped: Type.Integer({ minimum: 0 }),
  /** Rows refused: see errors.csv. */
  invalid: Type.Integer({ minimum: 0 }),
  /** An earlier finished import of the very same file, if any. */
  sameFileAs: Nullable(Type.String()),
  error: Nullable(Type.String()),
  createdAt: Timestamp,
  finishedAt: Nullable(Timestamp),
});
export type ImportState = Static<typeof ImportState>;

export const ErrorsCsv = Type.String({
  format: 'binary',
  description: 'text/csv, UTF-8 with a BOM: row (the spreadsheet row; the header is 1), column, reason',
});
