import type { ImportProgress } from '../../contracts/customer-import-events.js';
import type { FastifyBaseLogger } from 'fastify';
import type { CountryCode } from 'libphonenumber-js';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { AuditLog } from '../audit/index.js';
import type { Me } from '../auth/auth.schemas.js';
import type { Clock } from '../clock.js';
import { SERVER_ERROR, badRequest, conflict, notFound } from '../http/errors.js';
import type { Jobs } from '../jobs/jobs.js';
import { csvStream } from '../reports/index.js';
import { decodeCsv, inspectCsv } from './csv-file.js';
import { IMPORT_JOBS, type ImportJob, type ImportJobPayloads } from './customer-imports.jobs.js';
import type { CustomerImportsRepository, ImportError, ImportRecord } from './customer-imports.repository.js';
import {
  IMPORT_FIELDS,
  REQUIRED_FIELDS,
  type ImportState,
  type StartBody,
  type UploadQuery,
} from './customer-imports.schemas.js';
import { proposeMapping } from './import-fields.js';
import { ImportInterrupted, runImport } from './import-run.js';

/** How long an upload nobody started is kept. */
const KEEP_UNSTARTED_MS = 86_400_000;

const ERROR_COLUMNS = [
  { header: 'row', cell: (error: ImportError) => error.row },
  { header: 'column', cell: (error: ImportError) => error.column },
  { header: 'reason', cell: (error: ImportError) => error.reason },
];

/**
 * Customer imports from CSV: an upload is decoded and checked whole before anything is kept, then
 * started with a mapping and a duplicate policy as a BullMQ job that writes batch by batch from a
 * checkpoint. Supervisors see their own imports, admins every one. Audited with counts and field
 * names only: the rows are personal data.
 */
export function createCustomerImportsService(deps: {
  repository: CustomerImportsRepository;
  audit: AuditLog;
  jobs: Jobs<ImportJobPayloads>;
  /** Folder of the uploaded files, `<DATA_DIR>/imports`. */
  dir: string;
  clock: Clock;
  log: FastifyBaseLogger;
  /** Region of phone numbers written without a country code. */
  region: CountryCode;
  /** Rows per transaction (each with its checkpoint). */
  batchRows: number;
  /** Tells the console of the agent who started an import how far it got (after each batch and at the end). */
  push: (agentId: number, progress: ImportProgress) => void;
}) {
  const { repository, audit, jobs, dir, clock, log } = deps;
  const pathOf = (id: string) => join(dir, `${id}.csv`);
  let stopping = false;

  function mine(actor: Me, id: string): ImportRecord {
    const record = repository.get(id);
    // Someone else's import does not exist as far as a supervisor can tell.
    if (!record || (record.agentId !== actor.id && actor.role !== 'admin')) throw notFound('Import', id);
    return record;
  }

  const audited = (actorId: number, action: string, id: string, ip: string | null, details: object) =>
    audit.record({
      actorAgentId: actorId,
      action,
      entityType: 'customer_import',
      entityId: id,
      ip,
      details: { ...details },
    });

  function stateOf(record: ImportRecord): ImportState {
    return {
      id: record.id,
      fileName: record.fileName,
      encoding: record.encoding,
      status: record.status,
      headers: record.headers,
      preview: record.preview,
      proposedMapping: proposeMapping(record.headers),
      mapping: record.mapping,
      duplicates: record.duplicates,
      totalRows: record.totalRows,
      processedRows: record.nextRow,
      created: record.created,
      updated: record.updated,
      unchanged: record.unchanged,
      skipped: record.skipped,
      invalid: record.invalid,
      sameFileAs: repository.sameFile(record.fileHash, record.id),
      error: record.error,
      createdAt: record.createdAt,
      finishedAt: record.finishedAt,
    };
  }

  function pushProgress(id: string): void {
    const record = repository.get(id);
    if (!record || record.status === 'uploaded') return;
    const { totalRows, created, updated, unchanged, skipped, invalid } = record;
    deps.push(record.agentId, {
      importId: id,
      status: record.status,
      totalRows,
      processedRows: record.nextRow,
      created,
      updated,
      unchanged,
      skipped,
      invalid,
    });
  }

  async function finish(record: ImportRecord, error: string | null): Promise<void> {
    repository.finish(record.id, error === null ? 'done' : 'failed', error, clock.now().toISOString());
    const { created, updated, unchanged, skipped, invalid } = repository.get(record.id)!;
    const action = error === null ? 'customers.import_finished' : 'customers.import_failed';
    audited(record.agentId, action, record.id, null, { created, updated, unchanged, skipped, invalid });
    pushProgress(record.id);
    // The rows are personal data: the file goes once it has served.
    await rm(pathOf(record.id), { force: true });
  }

  return {
    /** Decodes and checks the whole file; a file refused here leaves nothing behind. */
    async upload(actor: Me, bytes: Buffer, query: UploadQuery, ip: string): Promise<ImportState> {
      const { text, encoding } = decodeCsv(bytes, query.encoding);
      const shape = await inspectCsv(text);
      const id = randomUUID();
      await mkdir(dir, { recursive: true });
      await writeFile(`${pathOf(id)}.part`, text);
      await rename(`${pathOf(id)}.part`, pathOf(id));
      repository.add({
        id,
        agentId: actor.id,
        fileName: query.fileName,
        fileHash: createHash('sha256').update(bytes).digest('hex'),
        encoding,
        delimiter: shape.delimiter,
        headers: shape.headers,
        preview: shape.preview,
        totalRows: shape.totalRows,
        createdAt: clock.now().toISOString(),
      });
      await jobs.add(
        IMPORT_JOBS.expire,
        { importId: id },
        { delayMs: KEEP_UNSTARTED_MS, jobId: `expire-${id}` },
      );
      audited(actor.id, 'customers.import_uploaded', id, ip, {
        bytes: bytes.length,
        rows: shape.totalRows,
        encoding,
      });
      return stateOf(repository.get(id)!);
    },

    /** Queues the import with its mapping and duplicate policy; once only. */
    async start(actor: Me, id: string, body: StartBody, ip: string): Promise<ImportState> {
      const record = mine(actor, id);
      if (record.status !== 'uploaded') throw conflict(`Import ${id} is ${record.status} already`);
      const missing = REQUIRED_FIELDS.filter((field) => body.mapping[field] === undefined);
      if (missing.length > 0) throw badRequest(`Map a column to each required field: ${missing.join(', ')}`);
      const columns = IMPORT_FIELDS.flatMap((field) => body.mapping[field] ?? []);
      if (columns.some((column) => column >= record.headers.length))
        throw badRequest(`The file has ${record.headers.length} columns; a mapping names a column past them`);
      if (new Set(columns).size !== columns.length)
        throw badRequest('Two fields are mapped to the same column');
      if (!repository.queue(id, body.mapping, body.duplicates))
        throw conflict(`Import ${id} was started already`);
      await jobs.add(IMPORT_JOBS.run, { importId: id }, { jobId: `run-${id}` });
      audited(actor.id, 'customers.import_started', id, ip, {
        duplicates: body.duplicates,
        fields: Object.keys(body.mapping),
      });
      return stateOf(repository.get(id)!);
    },

    status: (actor: Me, id: string): ImportState => stateOf(mine(actor, id)),

    /** The rows refused so far (all of them once done), as CSV. */
    errorsCsv(actor: Me, id: string, ip: string): { fileName: string; stream: Readable } {
      const record = mine(actor, id);
      audited(actor.id, 'customers.import_errors_downloaded', id, ip, { invalid: record.invalid });
      return {
        fileName: `${record.fileName.replace(/\.[^.]*$/, '')}-errors.csv`,
        stream: csvStream(ERROR_COLUMNS, repository.errors(id)),
      };
    },

    /** Job: writes the rows from the checkpoint; a shutdown throws so that BullMQ runs it again later. */
    async run({ importId }: ImportJob): Promise<void> {
      const record = repository.get(importId);
      if (!record || !repository.running(importId)) return;
      if (!existsSync(pathOf(importId))) return finish(record, 'The uploaded file is gone');
      try {
        await runImport(
          {
            repository,
            clock,
            region: deps.region,
            batchRows: deps.batchRows,
            stopping: () => stopping,
            batchWritten: () => pushProgress(importId),
          },
          record,
          pathOf(importId),
        );
      } catch (error) {
        if (error instanceof ImportInterrupted) throw error;
        log.error({ err: error, importId }, 'customer import failed');
        return finish(record, SERVER_ERROR);
      }
      await finish(record, null);
    },

    /** Job: an upload nobody started goes, file and all. */
    async expire({ importId }: ImportJob): Promise<void> {
      const record = repository.get(importId);
      if (record?.status !== 'uploaded') return;
      await finish(record, 'Not started within a day of the upload');
    },

    /** The process is closing: a running import stops after its current batch. */
    stop(): void {
      stopping = true;
    },
  };
}

export type CustomerImportsService = ReturnType<typeof createCustomerImportsService>;
