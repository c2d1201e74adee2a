// The recomputation's worker thread (started by recompute-runner.ts for one run): the passes of
// recompute-passes.ts on a read-write connection of its own. WAL lets the server's connection read
// and write between this worker's short write transactions.
import { existsSync, readlinkSync } from 'node:fs';
import { constants, setPriority } from 'node:os';
import { basename } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../../db/connection.js';
import { runPasses, type PassMessage, type RecomputeJob } from './recompute-passes.js';
import type { RecomputeAnswer } from './recompute-runner.js';

// As the report workers: on Linux a nice value belongs to a thread, so this worker alone yields the
// CPU to the event loop (the call path) when the cores are busy.
if (existsSync('/proc/thread-self'))
  setPriority(Number(basename(readlinkSync('/proc/thread-self'))), constants.priority.PRIORITY_BELOW_NORMAL);

const { file, job } = workerData as { file: string; job: RecomputeJob };
const port = parentPort!;
const db = openDatabase({ file });
let answer: RecomputeAnswer;
try {
  // Posted as each batch commits: the main thread announces them while the passes go on.
  const post = (message: PassMessage) => port.postMessage({ message } satisfies RecomputeAnswer);
  answer = { passes: runPasses(db, job, post), rssMb: process.memoryUsage().rss / 1e6 };
} catch (error) {
  answer = {
    error:
      error instanceof Error ? { message: error.message, stack: error.stack } : { message: String(error) },
  };
} finally {
  db.close();
}
port.postMessage(answer);
