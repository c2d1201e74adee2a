import { Queue, Worker, type JobsOptions } from 'bullmq';
import type { FastifyBaseLogger } from 'fastify';
import { Redis } from 'ioredis';

export interface CreateJobsOptions {
  /** Redis the jobs live in; the same server as the ACD, so a job and the call it serves share a fate. */
  redisUrl: string;
  /** Start of every BullMQ key, e.g. `cti:<installation>:bull`. */
  prefix: string;
  /** The BullMQ queue name. Processes that share it share the work. */
  queueName: string;
  log: FastifyBaseLogger;
  /** Jobs one process runs at once. Default 4. */
  concurrency?: number;
  /** Tries per job before it is given up (and logged). Default 5, with exponential backoff from 1 s. */
  attempts?: number;
}

export interface AddJobOptions {
  /** Milliseconds before the job may run. Default 0. */
  delayMs?: number;
  /** Adding a job with the id of one that is waiting or delayed does nothing: retried requests add once. */
  jobId?: string;
  /**
   * Remove the job as soon as it completes, so the same `jobId` may be added again afterwards.
   * Default false: a completed job is kept a day and its id stays taken.
   */
  forgetOnComplete?: boolean;
}

export type JobHandlers<Payloads extends { [Name in keyof Payloads]: object }> = {
  [Name in keyof Payloads]: (data: Payloads[Name]) => Promise<void>;
};

/**
 * Background and delayed work in BullMQ (Redis), so it survives a restart and any server process
 * may run it. `Payloads` maps each job name to its data; the names come from the domain's `as const`
 * map, never as repeated strings.
 */
export function createJobs<Payloads extends { [Name in keyof Payloads]: object }>(
  options: CreateJobsOptions,
) {
  const { redisUrl, prefix, queueName, log } = options;
  const attempts = options.attempts ?? 5;
  // BullMQ's worker blocks on its connection and needs it to retry forever; both connections are ours
  // so that closing them here closes everything BullMQ opened.
  const queueConnection = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  const workerConnection = new Redis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
  for (const connection of [queueConnection, workerConnection]) {
    connection.on('error', (error: Error) => log.warn({ err: error.message }, 'jobs redis connection error'));
  }
  const queue = new Queue(queueName, { connection: queueConnection, prefix });
  let worker: Worker | null = null;

  return {
    async add<Name extends keyof Payloads & string>(
      name: Name,
      data: Payloads[Name],
      { delayMs = 0, jobId, forgetOnComplete = false }: AddJobOptions = {},
    ): Promise<void> {
      const jobOptions: JobsOptions = {
        delay: Math.max(0, Math.round(delayMs)),
        attempts,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: forgetOnComplete ? true : { age: 86_400 },
        removeOnFail: { age: 7 * 86_400 },
        ...(jobId !== undefined && { jobId }),
      };
      await queue.add(name, data, jobOptions);
    },

    /**
     * Runs `name` on a cron schedule (UTC) under one scheduler id: every process may call this at
     * start, and the schedule stays one, updated to the latest pattern.
     */
    async repeat<Name extends keyof Payloads & string>(
      schedulerId: string,
      pattern: string,
      name: Name,
      data: Payloads[Name],
    ): Promise<void> {
      await queue.upsertJobScheduler(
        schedulerId,
        { pattern, tz: 'UTC' },
        {
          name,
          data,
          opts: {
            attempts,
            backoff: { type: 'exponential', delay: 1000 },
            removeOnComplete: { age: 86_400 },
            removeOnFail: { age: 7 * 86_400 },
          },
        },
      );
    },

    /** The cron schedules, for tests and operations. */
    async schedules(): Promise<
      { id: string; name: string; pattern: string | null; nextMs: number | null }[]
    > {
      const schedulers = await queue.getJobSchedulers();
      return schedulers.map((scheduler) => ({
        id: scheduler.key,
        name: scheduler.name,
        pattern: scheduler.pattern ?? null,
        nextMs: scheduler.next ?? null,
      }));
    },

    /**
     * Starts running jobs in this process. The handlers come now, not at creation: the services that
     * run the jobs are the same ones that add them, so they are built with the queue in hand.
     */
    start(handlers: JobHandlers<Payloads>): void {
      if (worker) return;
      worker = new Worker(
        queueName,
        async (job) => {
          const handler = handlers[job.name as keyof Payloads];
          if (!handler) throw new Error(`No handler for job "${job.name}"`);
          await handler(job.data as Payloads[keyof Payloads]);
        },
        { connection: workerConnection, prefix, concurrency: options.concurrency ?? 4 },
      );
      worker.on('failed', (job, error) =>
        log.error({ err: error, job: job?.name, jobId: job?.id, attempt: job?.attemptsMade }, 'job failed'),
      );
      worker.on('error', (error) => log.warn({ err: error.message }, 'job worker error'));
    },

    /** Jobs not run yet, soonest first: what is scheduled (for tests and operations). */
    async pending(): Promise<{ name: string; data: unknown; runAtMs: number }[]> {
      const jobs = await queue.getJobs(['delayed', 'waiting', 'prioritized']);
      return jobs
        .filter((job) => job !== undefined)
        .map((job) => ({
          name: job.name,
          data: job.data as unknown,
          runAtMs: job.timestamp + (job.opts.delay ?? 0),
        }))
        .sort((a, b) => a.runAtMs - b.runAtMs);
    },

    /** Waits for running jobs to finish, then closes the connections. */
    async close(): Promise<void> {
      await worker?.close();
      await queue.close();
      await Promise.all([queueConnection, workerConnection].map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}

export type Jobs<Payloads extends { [Name in keyof Payloads]: object }> = ReturnType<
  typeof createJobs<Payloads>
>;
