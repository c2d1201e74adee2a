import fp from 'fastify-plugin';
import { createJobs, type Jobs } from '../jobs/jobs.js';
import type { AppContext } from '../plugins/app-context.js';
import { NIGHTLY_SCHEDULER_ID, VALUE_JOBS, type ValueJobPayloads } from './customer-value.jobs.js';
import { createCustomerValueRepository } from './customer-value.repository.js';
import { customerValueRoutes } from './customer-value.routes.js';
import { createCustomerValueService, type CustomerValueService } from './customer-value.service.js';
import { loadValueModel } from './value-model.js';

declare module 'fastify' {
  interface FastifyInstance {
    customerValue: CustomerValueService;
    /** The value jobs' queue: the nightly schedule and override expiries (read by tests and operations). */
    customerValueJobs: Jobs<ValueJobPayloads>;
  }
}

/**
 * Customer value: value events, the tier computed from them by the value model, overrides. Its jobs
 * have a BullMQ queue of their own, one at a time per process: a full recomputation is one long
 * sequential pass and must not hold up the call path's jobs.
 */
export const customerValuePlugin = fp<AppContext>(
  async (app, { config, clock }) => {
    // Before anything opens: a bad model stops the start with the field it names.
    const model = loadValueModel(config.valueModelFile);
    const jobs = createJobs<ValueJobPayloads>({
      redisUrl: config.redisUrl,
      prefix: `${app.callStatePrefix}bull`,
      queueName: 'customer-value',
      log: app.log,
      concurrency: 1,
    });
    app.addHook('onClose', async () => jobs.close());
    const repository = createCustomerValueRepository(app.db);
    const values = createCustomerValueService({
      repository,
      customers: app.customers,
      audit: app.audit,
      clock,
      model,
      scheduleExpiry: (customerId, atMs) =>
        jobs.add(
          VALUE_JOBS.expireOverrides,
          {},
          { delayMs: atMs - clock.now().getTime(), jobId: `expire-${customerId}-${atMs}` },
        ),
    });
    app.decorate('customerValue', values);
    // The worker starts once the app is ready: a recomputation waiting in Redis (a missed night, the
    // first computation) runs on this event loop and must not hold up the other plugins' start.
    app.addHook('onReady', async () =>
      jobs.start({
        [VALUE_JOBS.recomputeAll]: async () => {
          const result = values.recomputeAll();
          app.log.info(result, 'customer values recomputed');
        },
        [VALUE_JOBS.expireOverrides]: async () => void values.expireOverrides(),
      }),
    );
    await jobs.repeat(NIGHTLY_SCHEDULER_ID, model.recomputeCron, VALUE_JOBS.recomputeAll, {});
    // Customers with purchases but no computed tier yet should not wait for the night.
    if (repository.needsFirstComputation()) {
      await jobs.add(VALUE_JOBS.recomputeAll, {}, { jobId: 'first-computation' });
    }
    app.decorate('customerValueJobs', jobs);
    await app.register(customerValueRoutes, { prefix: '/api', values });
  },
  { name: 'customer-value', dependencies: ['db', 'audit', 'auth', 'customers', 'call-state'] },
);
