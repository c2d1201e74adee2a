import { csvLine, type CsvColumn } from './csv.js';
import type { ExportRepository } from './export.repository.js';
import type { ReportsRepository } from './reports.repository.js';
import {
  DRILL_METRICS,
  ReportMetrics,
  type DrillItem,
  type DrillQuery,
  type Report,
  type ReportQuery,
  type ReportRow,
} from './reports.schemas.js';
import type { ReportsService } from './reports.service.js';
import { localIso } from './time-periods.js';

/** The interactions export takes the drill-down's query without its paging. */
export type InteractionsExportQuery = Omit<DrillQuery, 'after' | 'limit'>;

type MetricName = keyof ReportRow['metrics'];
const DAY_MS = 86_400_000;
const BUCKET_MS = 900_000;
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
  const arrivedAt = orderedLocalIso(timeZone);
  return [
    { header: 'interactionId', cell: (row) => row.interactionId },
    { header: 'arrivedAt', cell: (row) => arrivedAt(Date.parse(row.arrivedAt)) },
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
 * `localIso` for times that come in order, as the drill-down's do, asking Intl about the zone about
 * twice a day instead of once per row (per row it cost more than reading the rows: a year's export
 * spent 4.7 s of 8 s in it). A day whose start and end share an offset has no change in it; on a day
 * of a change the offset is taken per 15-minute bucket, as changes fall on quarter hours (README
 * "Time zones").
 */
function orderedLocalIso(timeZone: string): (atMs: number) => string {
  const offsetAt = (atMs: number) => {
    const iso = localIso(atMs, timeZone);
    return { offsetMs: Date.parse(`${iso.slice(0, 19)}Z`) - atMs, suffix: iso.slice(19) };
  };
  let day = Number.NaN;
  let dayOffset: ReturnType<typeof offsetAt> | null = null;
  return (atMs) => {
    const current = Math.floor(atMs / DAY_MS);
    if (current !== day) {
      day = current;
      const [start, end] = [offsetAt(current * DAY_MS), offsetAt((current + 1) * DAY_MS)];
      dayOffset = start.offsetMs === end.offsetMs ? start : null;
    }
    const { offsetMs, suffix } = dayOffset ?? offsetAt(Math.floor(atMs / BUCKET_MS) * BUCKET_MS);
    return `${new Date(atMs + offsetMs).toISOString().slice(0, 19)}${suffix}`;
  };
}

/**
 * The interactions table's lines (without its header), a keyset page of lines at a time: the export
 * itself. It writes what `interactionColumns` makes of `interactionRows` (export-lines.int.test.ts),
 * at about half the cost per row: the drill-down's query without joins for names, positional
 * rows, and lines written directly instead of objects through csv-stringify.
 */
export function* interactionLines(
  repositories: { exports: ExportRepository; reports: ReportsRepository },
  query: InteractionsExportQuery,
  pageSize: number,
  onPage: (rowsSoFar: number) => void = () => {},
): Generator<string> {
  const arrivedAt = orderedLocalIso(query.timeZone);
  const [queues, agents] = [repositories.reports.namesOf('queue'), repositories.reports.namesOf('agent')];
  const nameOf = (names: Map<number, string>, id: number | null) =>
    id === null ? null : (names.get(id) ?? null);
  const from = Date.parse(query.from) / 1000;
  const read = repositories.exports.interactionPages(query, DRILL_METRICS[query.metric], [
    from,
    Date.parse(query.to) / 1000,
  ]);
  let after: [number, number] = [from, 0];
  let count = 0;
  for (;;) {
    const rows = read(after, pageSize);
    if (rows.length === 0) return;
    let lines = '';
    for (const [, id, at, direction, provider, queueId, agentId, customerId, customer, outcome] of rows) {
      lines += csvLine([
        id,
        arrivedAt(Date.parse(at)),
        direction,
        provider,
        queueId,
        nameOf(queues, queueId),
        agentId,
        nameOf(agents, agentId),
        customerId,
        customer,
        outcome,
      ]);
    }
    yield lines;
    count += rows.length;
    onPage(count);
    if (rows.length < pageSize) return;
    const last = rows.at(-1)!;
    after = [last[0], last[1]];
  }
}

/**
 * Every interaction behind a figure, read a keyset page at a time through the drill-down itself: the
 * rows that `interactionLines` must write (its test compares them). Each page starts its range at the
 * cursor's bucket, so that a page late in a year reads from there, not from the start of the range.
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
