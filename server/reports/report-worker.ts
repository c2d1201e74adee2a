// A report worker thread (started by report-runner.ts): the report service on a read-only connection
// of its own, answering one job at a time. WAL lets it read while the server's connection writes.
import { existsSync, readlinkSync } from 'node:fs';
import { constants, setPriority } from 'node:os';
import { basename } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { openReadOnlyDatabase } from '../../db/connection.js';
import { RequestError } from '../http/errors.js';
import type { ReportAnswer, ReportJob } from './report-runner.js';
import { reportsServiceOn } from './reports-on-db.js';

// Reports yield the CPU to the call path: on Linux a nice value belongs to a thread, not the process,
// so this worker alone runs below the event loop's priority when the cores are busy. Elsewhere there
// is no /proc/thread-self and the worker keeps the process's priority.
if (existsSync('/proc/thread-self'))
  setPriority(Number(basename(readlinkSync('/proc/thread-self'))), constants.priority.PRIORITY_BELOW_NORMAL);

const { file } = workerData as { file: string };
const db = openReadOnlyDatabase({ file });
let nowMs = Date.now();
const reports = reportsServiceOn(db, { now: () => new Date(nowMs) });

const port = parentPort!;
port.on('message', (job: ReportJob) => {
  nowMs = job.nowMs;
  let answer: ReportAnswer;
  try {
    answer = { id: job.id, value: (reports[job.method] as (query: unknown) => unknown)(job.query) };
  } catch (error) {
    answer = {
      id: job.id,
      error:
        error instanceof RequestError
          ? { statusCode: error.statusCode, message: error.message }
          : error instanceof Error
            ? { message: error.message, stack: error.stack }
            : { message: String(error) },
    };
  }
  port.postMessage(answer);
});
