/**
 * Historical figures from `/api/reports`. Queries are plain string maps (see console/reports/report-query.ts)
 * because the same query string also forms the CSV links and the drill-down page's address.
 */
import type {
  CustomerReport,
  DrillPage,
  IvrReport,
  Report,
  Staffing,
} from '../../server/reports/reports.schemas.js';
import type { SatisfactionReport } from '../../server/reports/satisfaction.schemas.js';
import { request, withQuery } from './api.js';

export type ReportQueryString = Readonly<Record<string, string>>;

const BASE = '/api/reports';

export function getSummary(query: ReportQueryString, signal?: AbortSignal): Promise<Report> {
  return request<Report>('GET', `${BASE}/summary`, { query, signal });
}

/** One page of the interactions behind a figure; pass the page's `nextAfter` as `after` for the next. */
export function getDrillPage(query: ReportQueryString, signal?: AbortSignal): Promise<DrillPage> {
  return request<DrillPage>('GET', `${BASE}/interactions`, { query, signal });
}

export function getCustomerReport(query: ReportQueryString, signal?: AbortSignal): Promise<CustomerReport> {
  return request<CustomerReport>('GET', `${BASE}/customers`, { query, signal });
}

/** Entries, drop-offs and containment per IVR node; the query may hold `flowId`. */
export function getIvrReport(query: ReportQueryString, signal?: AbortSignal): Promise<IvrReport> {
  return request<IvrReport>('GET', `${BASE}/ivr`, { query, signal });
}

/** CSAT, average score and % resolved from the post-call surveys; the query may hold `by`, `queueId`, `agentId`, `tier`. */
export function getSatisfaction(query: ReportQueryString, signal?: AbortSignal): Promise<SatisfactionReport> {
  return request<SatisfactionReport>('GET', `${BASE}/satisfaction`, { query, signal });
}

/** One queue's agents needed beside agents staffed; the query must hold `queueId`. */
export function getStaffing(query: ReportQueryString, signal?: AbortSignal): Promise<Staffing> {
  return request<Staffing>('GET', `${BASE}/staffing`, { query, signal });
}

/** The signed-in agent's own figures (any role). */
export function getMyReport(query: ReportQueryString, signal?: AbortSignal): Promise<Report> {
  return request<Report>('GET', `${BASE}/me`, { query, signal });
}

/** Download addresses: the browser fetches these itself, streaming the file to disk. */
export function summaryCsvHref(query: ReportQueryString): string {
  return withQuery(`${BASE}/summary.csv`, query);
}

export function interactionsCsvHref(query: ReportQueryString): string {
  return withQuery(`${BASE}/interactions.csv`, query);
}

export type ExportKind = 'summary' | 'interactions';

export interface ExportStatus {
  status: 'queued' | 'running' | 'done' | 'failed';
  rowsWritten: number;
  totalRows: number | null;
  fileName: string | null;
}

/** Starts a long export as a background job, for ranges too large to stream while the user waits. */
export function startExport(
  kind: ExportKind,
  query: ReportQueryString,
  signal?: AbortSignal,
): Promise<{ id: string }> {
  return request<{ id: string }>('POST', `${BASE}/exports`, { body: { kind, query }, signal });
}

export function getExport(id: string, signal?: AbortSignal): Promise<ExportStatus> {
  return request<ExportStatus>('GET', `${BASE}/exports/${encodeURIComponent(id)}`, { signal });
}

export function exportFileHref(id: string): string {
  return `${BASE}/exports/${encodeURIComponent(id)}/file`;
}
