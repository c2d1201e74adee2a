import type { FastifyBaseLogger } from 'fastify';
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AuditLog } from '../audit/index.js';
import type { Me } from '../auth/auth.schemas.js';
import type { Clock } from '../clock.js';
import { RequestError, SERVER_ERROR, badRequest, conflict, notFound } from '../http/errors.js';
import type { Jobs } from '../jobs/jobs.js';
import { csvLinesStream, csvStream } from './csv.js';
import {
  SUMMARY_COLUMNS,
  interactionColumns,
  interactionLines,
  summaryRows,
  type InteractionsExportQuery,
} from './export.js';
import type { ExportKind } from './export-kinds.js';
import { EXPORT_JOBS, type ExportJob, type ExportJobPayloads } from './export.jobs.js';
import type { ExportRecord, ExportRepository } from './export.repository.js';
import type { ExportBody, ExportState } from './export.schemas.js';
import type { ReportsRepository } from './reports.repository.js';
import { DRILL_METRICS, type ReportQuery } from './reports.schemas.js';
import type { ReportsService } from './reports.service.js';
import { localIso } from './time-periods.js';

/** How long an export's file and record are kept after the request. */
const KEEP_MS = 86_400_000;

export interface Csv {
  fileName: string;
  stream: Readable;
}

type ExportQuery =
  { kind: 'summary'; query: ReportQuery } | { kind: 'interactions'; query: InteractionsExportQuery };

/**
 * CSV exports of report tables and of the interactions behind a figure: streamed straight to the
 * browser, or written to a file by a background job for the requester to download. Every export is
 * audited with its kind and filters (ids and times only, no personal data).
 */
export function createExportService(deps: {
  reports: ReportsService;
  /** For the size of an interactions export, read from the rollups before it runs, and names by id. */
  rollups: ReportsRepository;
  repository: ExportRepository;
  audit: AuditLog;
  jobs: Jobs<ExportJobPayloads>;
  /** Folder of the export files, `<DATA_DIR>/exports`. */
  dir: string;
  clock: Clock;
  log: FastifyBaseLogger;
  /** Interactions read per keyset page. Default 2000. */
  pageSize?: number;
}) {
  const { reports, rollups, repository, audit, jobs, dir, clock, log } = deps;
  const pageSize = deps.pageSize ?? 2000;
  const pathOf = (id: string) => join(dir, `${id}.csv`);

  /** The query a kind runs, refused (400) before anything runs when a report would refuse it. */
  function checked(kind: ExportKind, query: ExportBody['query']): ExportQuery {
    if (kind === 'summary') {
      const { metric: _metric, ...summary } = query;
      reports.check(summary);
      return { kind, query: summary };
    }
    const { interval: _interval, by: _by, metric, segmentId, ...filters } = query;
    if (segmentId !== undefined)
      throw badRequest('segmentId filters the summary only, not an interactions export');
    if (!metric)
      throw badRequest('An interactions export needs the figure (metric) whose interactions to list');
    reports.check(filters);
    return { kind, query: { ...filters, metric } };
  }

  function fileNameOf(request: ExportQuery): string {
    const day = (iso: string) => localIso(Date.parse(iso), request.query.timeZone).slice(0, 10);
    const what = request.kind === 'interactions' ? `interactions-${request.query.metric}` : 'summary';
    return `${what}-${day(request.query.from)}-${day(request.query.to)}.csv`;
  }

  /** The CSV of an export, its size if known before it runs, and (through `onPage`) its progress. */
  function csvOf(
    request: ExportQuery,
    onPage?: (rowsSoFar: number) => void,
  ): { stream: Readable; totalRows: number | null } {
    if (request.kind === 'summary') {
      const rows = summaryRows(reports.summary(request.query), request.query);
      return { stream: csvStream(SUMMARY_COLUMNS, rows), totalRows: rows.length };
    }
    const { query } = request;
    // Checked again for a job: a queue or agent may have gone since it was queued.
    reports.check(query);
    const stream = csvLinesStream(
      interactionColumns(query.timeZone).map((column) => column.header),
      interactionLines({ exports: repository, reports: rollups }, query, pageSize, onPage),
    );
    if (!onPage) return { stream, totalRows: null };
    const range: [number, number] = [Date.parse(query.from) / 1000, Date.parse(query.to) / 1000];
    const sums = rollups.sums(query, [range], undefined)[0];
    return { stream, totalRows: sums?.[DRILL_METRICS[query.metric]] ?? 0 };
  }

  function mine(actor: Me, id: string): ExportRecord {
    const record = repository.get(id);
    // Someone else's export does not exist as far as a supervisor can tell.
    if (!record || (record.agentId !== actor.id && actor.role !== 'admin')) throw notFound('Export', id);
    return record;
  }

  const auditExport = (actor: Me, action: string, id: string | null, ip: string, details: object) =>
    audit.record({
      actorAgentId: actor.id,
      action,
      entityType: 'report_export',
      entityId: id,
      ip,
      details: { ...details },
    });

  return {
    /** A CSV streamed as it is read; a bad query is refused before anything runs. */
    csv(actor: Me, kind: ExportKind, query: ExportBody['query'], ip: string): Csv {
      const request = checked(kind, query);
      auditExport(actor, 'reports.export', null, ip, request);
      return { fileName: fileNameOf(request), stream: csvOf(request).stream };
    },

    /** Queues an export job; the file is kept for a day. */
    async start(actor: Me, body: ExportBody, ip: string): Promise<{ id: string }> {
      const request = checked(body.kind, body.query);
      const id = randomUUID();
      repository.add({
        id,
        agentId: actor.id,
        kind: request.kind,
        query: request.query,
        fileName: fileNameOf(request),
        createdAt: clock.now().toISOString(),
      });
      await jobs.add(EXPORT_JOBS.remove, { exportId: id }, { delayMs: KEEP_MS, jobId: `remove-${id}` });
      await jobs.add(EXPORT_JOBS.write, { exportId: id }, { jobId: `write-${id}` });
      auditExport(actor, 'reports.export_started', id, ip, request);
      return { id };
    },

    status(actor: Me, id: string): ExportState {
      const record = mine(actor, id);
      return {
        id,
        status: record.status,
        rowsWritten: record.rowsWritten,
        totalRows: record.totalRows,
        fileName: record.fileName,
        ...(record.error !== null && { error: record.error }),
      };
    },

    /** The finished file, for the one who asked or an admin. */
    file(actor: Me, id: string, ip: string): Csv {
      const record = mine(actor, id);
      if (record.status !== 'done') throw conflict(`Export ${id} is ${record.status}, not done`);
      auditExport(actor, 'reports.export_downloaded', id, ip, { kind: record.kind });
      return { fileName: record.fileName, stream: createReadStream(pathOf(id)) };
    },

    /** Job: writes the file beside its final name, then renames it, so a download never reads half a file. */
    async write({ exportId }: ExportJob): Promise<void> {
      const record = repository.get(exportId);
      if (!record) return;
      const part = `${pathOf(exportId)}.part`;
      let rows = 0;
      try {
        const request = { kind: record.kind, query: record.query } as ExportQuery;
        const { stream, totalRows } = csvOf(request, (rowsSoFar) => {
          rows = rowsSoFar;
          repository.progressed(exportId, rows);
        });
        repository.started(exportId, totalRows);
        await mkdir(dir, { recursive: true });
        await pipeline(stream, createWriteStream(part));
        await rename(part, pathOf(exportId));
        repository.done(exportId, request.kind === 'summary' ? (totalRows ?? 0) : rows);
      } catch (error) {
        // Recorded for the requester and logged; a new request starts over rather than a retry.
        log.error({ err: error, exportId }, 'report export failed');
        repository.failed(exportId, error instanceof RequestError ? error.message : SERVER_ERROR);
        await rm(part, { force: true });
      }
    },

    /** Job: the day is over; the file and its record go. */
    async remove({ exportId }: ExportJob): Promise<void> {
      await rm(pathOf(exportId), { force: true });
      await rm(`${pathOf(exportId)}.part`, { force: true });
      repository.remove(exportId);
    },
  };
}

export type ExportService = ReturnType<typeof createExportService>;
