import fp from 'fastify-plugin';
import { PERSONAL_EVENT_KEYS } from '../customer-data/index.js';
import { createJobs } from '../jobs/jobs.js';
import type { AppContext } from '../plugins/app-context.js';
import { createRetentionPolicyRepository } from './retention-policy.repository.js';
import { createRetentionPolicyService } from './retention-policy.service.js';
import {
  RETENTION_CRON,
  RETENTION_JOBS,
  RETENTION_SCHEDULER_ID,
  type RetentionJobPayloads,
} from './retention.jobs.js';
import { createRetentionRepository } from './retention.repository.js';
import { retentionRoutes } from './retention.routes.js';
import { createRetentionService, type RetentionService } from './retention.service.js';

declare module 'fastify' {
  interface FastifyInstance {
    retention: RetentionService;
  }
}

/**
 * Retention: old personal data goes nightly per the policy (config defaults, or an admin's edit),
 * run by a BullMQ schedule of its own queue; recordings through the erasure's retried deletion.
 */
export const retentionPlugin = fp<AppContext>(
  async (app, { config, clock }) => {
    const jobs = createJobs<RetentionJobPayloads>({
      redisUrl: config.redisUrl,
      prefix: `${app.callStatePrefix}bull`,
      queueName: 'retention',
      log: app.log,
      concurrency: 1,
      attempts: 3,
    });
    app.addHook('onClose', async () => jobs.close());

    const policies = createRetentionPolicyService({
      repository: createRetentionPolicyRepository(app.db),
      audit: app.audit,
      clock,
      defaults: config.retention,
    });
    const retention = createRetentionService({
      passes: createRetentionRepository(app.db, PERSONAL_EVENT_KEYS),
      policies,
      queueRecordingDeletions: () => app.erasure.sweepRecordingDeletions(),
      audit: app.audit,
      clock,
      log: app.log,
    });
    app.decorate('retention', retention);

    app.addHook('onReady', async () =>
      jobs.start({
        [RETENTION_JOBS.run]: async () => {
          await retention.run('schedule');
        },
      }),
    );
    await jobs.repeat(RETENTION_SCHEDULER_ID, RETENTION_CRON, RETENTION_JOBS.run, {});
    await app.register(retentionRoutes, { prefix: '/api/retention', retention, policies });
  },
  { name: 'retention', dependencies: ['db', 'audit', 'auth', 'customer-data', 'call-state'] },
);
