import { Type, type Static } from 'typebox';
import { Nullable } from '../http/common.schemas.js';
import { EXPORT_KINDS } from './export-kinds.js';
import { DrillQuery, ReportQuery } from './reports.schemas.js';

export const CsvResponse = Type.String({
  format: 'binary',
  description:
    'text/csv: UTF-8 with a BOM, a header line, CRLF line ends; columns in server/reports/README.md',
});

export const InteractionsExportQuery = Type.Omit(DrillQuery, ['after', 'limit']);

/** The filters of the summary and, for an interactions export, the figure (`metric`). */
export const ExportBody = Type.Object({
  kind: Type.Union(EXPORT_KINDS.map((kind) => Type.Literal(kind))),
  query: Type.Object({
    ...ReportQuery.properties,
    metric: Type.Optional(DrillQuery.properties.metric),
  }),
});
export type ExportBody = Static<typeof ExportBody>;

export const ExportParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
export type ExportParams = Static<typeof ExportParams>;

export const ExportStarted = Type.Object({ id: Type.String() });

export const ExportState = Type.Object({
  id: Type.String(),
  status: Type.Union([
    Type.Literal('queued'),
    Type.Literal('running'),
    Type.Literal('done'),
    Type.Literal('failed'),
  ]),
  rowsWritten: Type.Integer({ minimum: 0 }),
  /** Known once running; while running an interactions export estimates it from the rollups (exact once done). */
  totalRows: Nullable(Type.Integer({ minimum: 0 })),
  fileName: Type.String(),
  error: Type.Optional(Type.String()),
});
export type ExportState = Static<typeof ExportState>;
