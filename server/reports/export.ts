import type { CsvColumn } from './csv.js';
import {
  ReportMetrics,
  type DrillItem,
  type DrillQuery,
  type Report,
  type ReportQuery,
  type ReportRow,
} from './reports.schemas.js';
import type { ReportsService } from './reports.service.js';
import { localIso } from './time-periods.js';

/** What can be exported: a report's table, or the interactions behind one of its figures. */
export const EXPORT_KINDS = ['summary', 'interactions'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

/** The interactions export takes the drill-down's query without its paging. */
export type InteractionsExportQuery = Omit<DrillQuery, 'after' | 'limit'>;

type MetricName = keyof ReportRow['metrics'];
const METRIC_NAMES = Object.keys(ReportMetrics.properties) as MetricName[];

/**
 * The summary table (README "Export"): `period` (the local period's start with its offset, empty
 * without `interval`), `groupId` and `group` (empty without `by`), then every metric of the JSON
 * report under its JSON name. Without `interval` and `by` the one row is the totals.
 */
export const SUMMARY_COLUMNS: readonly CsvColumn<ReportRow>[] = [
  { header: 'period', cell: (row) => row.periodLabel },
  { header: 'groupId', cell: (row) => row.group?.id ?? null },
  { header: 'group', cell: (row) => row.group?.name ?? null },
  ...METRIC_NAMES.map((name) => ({ header: name, cell: (row: ReportRow) => row.metrics[name] })),
];

/** The rows of a summary export: the report's rows, or its totals as one row. */
export function summaryRows(report: Report, query: ReportQuery): ReportRow[] {
  if (query.interval || query.by) return report.rows;
  return [{ periodStart: null, periodLabel: null, group: null, metrics: report.totals }];
}

/**
 * The interactions table: the drill-down's fields under their JSON names, `arrivedAt` on the local
 * clock of the query's time zone with its offset (ISO 8601, to the second).
 */
export function interactionColumns(timeZone: string): readonly CsvColumn<DrillItem>[] {
  return [
    { header: 'interactionId', cell: (row) => row.interactionId },
    { header: 'arrivedAt', cell: (row) => localIso(Date.parse(row.arrivedAt), timeZone) },
    { header: 'direction', cell: (row) => row.direction },
    { header: 'provider', cell: (row) => row.provider },
    { header: 'queueId', cell: (row) => row.queueId },
    { header: 'queue', cell: (row) => row.queueName },
    { header: 'agentId', cell: (row) => row.agentId },
    { header: 'agent', cell: (row) => row.agentName },
    { header: 'customerId', cell: (row) => row.customerId },
    { header: 'customer', cell: (row) => row.customerName },
    { header: 'outcome', cell: (row) => row.outcome },
  ];
}

/**
 * Every interaction behind a figure, read a keyset page at a time through the drill-down itself (so
 * the CSV holds exactly what the JSON pages list). Each page starts its range at the cursor's bucket,
 * so that a page late in a year reads from there, not from the start of the range.
 */
export function* interactionRows(
  reports: ReportsService,
  query: InteractionsExportQuery,
  pageSize: number,
  onPage: (rowsSoFar: number) => void = () => {},
): Generator<DrillItem> {
  let after: string | null = null;
  let from = query.from;
  let count = 0;
  do {
    const page = reports.drill({ ...query, from, limit: pageSize, ...(after && { after }) });
    yield* page.items;
    count += page.items.length;
    onPage(count);
    after = page.nextAfter;
    if (after) from = new Date(Number(after.split('.')[0]) * 1000).toISOString();
  } while (after);
}
