import { Worker } from 'node:worker_threads';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../db/connection.js';
import { runPasses, type PassMessage, type PassResult, type RecomputeJob } from './recompute-passes.js';

/**
 * What a worker posts: a pass's message while it runs, then its answer (each pass's result and the
 * process's RSS at the end, or why it failed).
 */
export type RecomputeAnswer =
  | { message: PassMessage }
  | { passes: PassResult[]; rssMb: number }
  | { error: { message: string; stack?: string } };

/**
 * Runs the passes of one recomputation somewhere and answers their results; `onMessage` gets what the
 * passes post, in order, before the answer.
 */
export type Recompute = (
  job: RecomputeJob,
  onMessage: (message: PassMessage) => void,
) => Promise<{ passes: PassResult[]; rssMb: number }>;

const WORKER_ENTRY = new URL('./recompute-worker.ts', import.meta.url).href;

/**
 * Starts a worker for one recomputation. As spawnReportWorker: Node 20 applies no `--import` loader
 * to a worker's entry and vitest runs none, so the worker registers tsx itself, then imports it.
 */
export function spawnRecomputeWorker(file: string, job: RecomputeJob): Worker {
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const code = `import(${tsx}).then(({ register }) => { register(); return import(${JSON.stringify(WORKER_ENTRY)}); })`;
  return new Worker(code, { eval: true, execArgv: [], workerData: { file, job } });
}

export interface RecomputeRunnerOptions {
  /** The SQLite file; the worker opens its own connection to it. */
  file: string;
  log: FastifyBaseLogger;
  /** Starts the worker. Default {@link spawnRecomputeWorker}; a test keeps the handle to end it. */
  spawn?: (file: string, job: RecomputeJob) => Worker;
}

/**
 * Runs each recomputation on a worker thread of its own (started for the run, ended after it, so its
 * memory goes with it): seconds of SQLite and sorting for a million customers never hold up the call
 * path on the event loop. One run at a time: asking while one runs answers that run. A worker that
 * dies fails its run; what it wrote is consistent per customer, and the next run redoes everyone.
 */
export function createRecomputeRunner(options: RecomputeRunnerOptions): {
  run: Recompute;
  close(): Promise<void>;
} {
  const { file, log, spawn = spawnRecomputeWorker } = options;
  let current: { worker: Worker; done: ReturnType<Recompute> } | null = null;
  let closed = false;

  function start(job: RecomputeJob, onMessage: (message: PassMessage) => void): ReturnType<Recompute> {
    const worker = spawn(file, job);
    const done = new Promise<{ passes: PassResult[]; rssMb: number }>((resolve, reject) => {
      let answered = false;
      // The run is over once answered, though the thread takes a moment to exit: the next asks anew.
      const settle = () => {
        answered = true;
        if (current?.worker === worker) current = null;
      };
      worker.on('message', (answer: RecomputeAnswer) => {
        if ('message' in answer) {
          // A listener's failure is the listener's: the run goes on.
          try {
            onMessage(answer.message);
          } catch (error) {
            log.error({ err: error }, 'a customer value pass message failed');
          }
          return;
        }
        settle();
        if ('error' in answer) {
          const error = new Error(answer.error.message);
          if (answer.error.stack) error.stack = answer.error.stack;
          reject(error);
        } else resolve(answer);
      });
      worker.on('error', (error) => {
        log.error({ err: error }, 'customer value worker failed');
        settle();
        reject(error);
      });
      worker.on('exit', (code) => {
        if (answered) return;
        settle();
        reject(new Error(`The customer value worker stopped (exit code ${code}) before finishing`));
      });
    });
    current = { worker, done };
    return done;
  }

  return {
    run(job, onMessage) {
      if (closed) return Promise.reject(new Error('The customer value runner is closed'));
      return current?.done ?? start(job, onMessage);
    },
    async close() {
      closed = true;
      await current?.worker.terminate();
    },
  };
}

/** The same passes on the event loop, on `db` (for tools and tests without a database file). */
export const inProcessRecompute =
  (db: Db): Recompute =>
  async (job, onMessage) => ({
    passes: runPasses(db, job, onMessage),
    rssMb: process.memoryUsage().rss / 1e6,
  });
