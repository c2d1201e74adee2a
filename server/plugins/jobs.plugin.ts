import fp from 'fastify-plugin';
import type { CallJobPayloads } from '../calls/calls.jobs.js';
import { createJobs, type Jobs } from '../jobs/jobs.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Delayed and background work in BullMQ; the plugin whose services run the jobs starts it. */
    jobs: Jobs<CallJobPayloads>;
  }
}

/**
 * BullMQ in the same Redis as the ACD, so a job and the call it serves share a fate; every server
 * process runs the jobs. Closed with the app, after the running jobs finish.
 */
export const jobsPlugin = fp<{ redisUrl: string }>(
  async (app, { redisUrl }) => {
    const jobs = createJobs<CallJobPayloads>({
      redisUrl,
      prefix: `${app.callStatePrefix}bull`,
      queueName: 'calls',
      log: app.log,
    });
    app.decorate('jobs', jobs);
    app.addHook('onClose', async () => jobs.close());
  },
  { name: 'jobs', dependencies: ['call-state'] },
);
