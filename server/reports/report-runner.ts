import { Worker } from 'node:worker_threads';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.js';
import { RequestError } from '../http/errors.js';
import type { ReportsService } from './reports.service.js';

/** The report reads the routes serve. */
export const REPORT_METHODS = ['summary', 'drill', 'staffing', 'agentTimes', 'customers', 'ivr'] as const;
export type ReportMethod = (typeof REPORT_METHODS)[number];

/** The report service's reads, answered later: by a worker thread, or in process. */
export type ReportQueries = {
  [M in ReportMethod]: (query: Parameters<ReportsService[M]>[0]) => Promise<ReturnType<ReportsService[M]>>;
};

/** One read as the runner posts it to a worker; `nowMs` is the app clock's, so a test's manual clock holds. */
export interface ReportJob {
  id: number;
  method: ReportMethod;
  query: unknown;
  nowMs: number;
}

/** A worker's answer to a job: the report, or why there is none (a refusal carries its 4xx status). */
export type ReportAnswer =
  | { id: number; value: unknown }
  | { id: number; error: { statusCode?: number; message: string; stack?: string } };

/** The worker stopped (crashed or was ended) while holding this request: 503, the client may retry. */
class ReportWorkerStopped extends Error {
  readonly statusCode = 503;
  constructor() {
    super('The report worker stopped before answering');
    this.name = 'ReportWorkerStopped';
  }
}

const WORKER_ENTRY = new URL('./report-worker.ts', import.meta.url).href;

/**
 * Starts a report worker on `file`. The server runs TypeScript through tsx, but Node 20 does not apply
 * an `--import` loader to a worker's entry, and vitest runs no loader at all: so the worker, started
 * from a few lines of JavaScript, registers tsx itself and then imports its entry.
 */
export function spawnReportWorker(file: string): Worker {
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const code = `import(${tsx}).then(({ register }) => { register(); return import(${JSON.stringify(WORKER_ENTRY)}); })`;
  return new Worker(code, { eval: true, execArgv: [], workerData: { file } });
}

export interface ReportRunnerOptions {
  /** The SQLite file; each worker opens its own read-only connection to it. */
  file: string;
  /** Worker threads, each running one report at a time (≥ 1). */
  workers: number;
  clock: Clock;
  log: FastifyBaseLogger;
  /** Starts a worker. Default {@link spawnReportWorker}; a test keeps the handle to end one. */
  spawn?: (file: string) => Worker;
}

interface Pending {
  job: ReportJob;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker | null;
  current: Pending | null;
}

function errorOf(answer: { statusCode?: number; message: string; stack?: string }): Error {
  if (answer.statusCode && answer.statusCode < 500)
    return new RequestError(answer.statusCode as RequestError['statusCode'], answer.message);
  const error = new Error(answer.message);
  if (answer.stack) error.stack = answer.stack;
  return error;
}

/**
 * Runs report reads on worker threads, so that a year-long report (seconds of synchronous SQLite)
 * does not hold up the call path on the event loop. Requests wait in one queue, first come first
 * served, for the next idle worker. Workers start with the first report that needs one; a worker
 * that dies fails only the request it held (503) and is replaced by the next request, so a worker
 * that cannot start fails requests one at a time instead of restarting in a loop.
 */
export function createReportRunner(options: ReportRunnerOptions): ReportQueries & { close(): Promise<void> } {
  const { file, clock, log, spawn = spawnReportWorker } = options;
  const slots: Slot[] = Array.from({ length: Math.max(1, options.workers) }, () => ({
    worker: null,
    current: null,
  }));
  const queue: Pending[] = [];
  let nextId = 1;
  let closed = false;

  function start(slot: Slot): Worker {
    const worker = spawn(file);
    // An idle worker must not keep a process alive that has nothing else to do.
    worker.unref();
    worker.on('message', (answer: ReportAnswer) => {
      const pending = slot.current;
      if (!pending || pending.job.id !== answer.id) return;
      slot.current = null;
      if ('error' in answer) pending.reject(errorOf(answer.error));
      else pending.resolve(answer.value);
      dispatch();
    });
    worker.on('error', (error) => log.error({ err: error }, 'report worker failed'));
    worker.on('exit', (code) => {
      if (slot.worker !== worker) return;
      const pending = slot.current;
      slot.worker = null;
      slot.current = null;
      if (!closed) log.error({ code }, 'report worker stopped; the next report starts another');
      pending?.reject(new ReportWorkerStopped());
      if (!closed) dispatch();
    });
    return worker;
  }

  function dispatch() {
    for (const slot of slots) {
      if (!queue.length) return;
      if (slot.current) continue;
      slot.worker ??= start(slot);
      const pending = queue.shift()!;
      slot.current = pending;
      slot.worker.postMessage(pending.job);
    }
  }

  function run(method: ReportMethod, query: unknown): Promise<unknown> {
    if (closed) return Promise.reject(new ReportWorkerStopped());
    return new Promise((resolve, reject) => {
      queue.push({ job: { id: nextId++, method, query, nowMs: clock.now().getTime() }, resolve, reject });
      dispatch();
    });
  }

  const queries = Object.fromEntries(
    REPORT_METHODS.map((method) => [method, (query: unknown) => run(method, query)]),
  ) as ReportQueries;
  return {
    ...queries,
    async close() {
      closed = true;
      for (const pending of queue.splice(0)) pending.reject(new ReportWorkerStopped());
      await Promise.all(slots.flatMap((slot) => (slot.worker ? [slot.worker.terminate()] : [])));
    },
  };
}

/** The same reads on the event loop (`REPORT_WORKERS=0`). */
export function inProcessQueries(reports: ReportsService): ReportQueries {
  return Object.fromEntries(
    REPORT_METHODS.map((method) => [
      method,
      async (query: unknown) => (reports[method] as (query: unknown) => unknown)(query),
    ]),
  ) as ReportQueries;
}
