import fp from 'fastify-plugin';
import { createJobs, type Jobs } from '../jobs/jobs.js';
import type { AppContext } from '../plugins/app-context.js';
import { NIGHTLY_SCHEDULER_ID, VALUE_JOBS, type ValueJobPayloads } from './customer-value.jobs.js';
import { createCustomerValueRepository } from './customer-value.repository.js';
import { customerValueRoutes } from './customer-value.routes.js';
import { createCustomerValueService, type CustomerValueService } from './customer-value.service.js';
import { createRecomputeRepository } from './recompute.repository.js';
import { createRecomputeRunner } from './recompute-runner.js';
import { loadValueModel } from './value-model.js';
import { createValueModelRepository } from './value-model.repository.js';
import { valueModelRoutes } from './value-model.routes.js';
import { createValueModelService, type ValueModelService } from './value-model.service.js';

declare module 'fastify' {
  interface FastifyInstance {
    customerValue: CustomerValueService;
    /** The value model in force (the file's, or an admin's edit saved in the database). */
    valueModel: ValueModelService;
    /** The value jobs' queue: the nightly schedule and override expiries (read by tests and operations). */
    customerValueJobs: Jobs<ValueJobPayloads>;
  }
}

/**
 * Customer value: value events, the tier computed from them by the value model, overrides, and the
 * model itself (admins edit it). Its jobs have a BullMQ queue of their own, one at a time per
 * process; a full recomputation runs on a worker thread with its own connection (recompute-runner.ts).
 */
export const customerValuePlugin = fp<AppContext>(
  async (app, { config, clock }) => {
    // Before anything opens: a bad model (the file, or the one saved in the console) stops the start
    // with the field it names.
    const fileModel = loadValueModel(config.valueModelFile);
    const jobs = createJobs<ValueJobPayloads>({
      redisUrl: config.redisUrl,
      prefix: `${app.callStatePrefix}bull`,
      queueName: 'customer-value',
      log: app.log,
      concurrency: 1,
    });
    app.addHook('onClose', async () => jobs.close());
    const repository = createCustomerValueRepository(app.db);
    const runner = createRecomputeRunner({ file: config.databaseFile, log: app.log });
    app.addHook('onClose', async () => runner.close());
    const schedule = (cron: string) => jobs.repeat(NIGHTLY_SCHEDULER_ID, cron, VALUE_JOBS.recomputeAll, {});
    const models = createValueModelService({
      repository: createValueModelRepository(app.db),
      audit: app.audit,
      clock,
      fileModel,
      changed: async (model) => {
        await schedule(model.recomputeCron);
        await jobs.add(VALUE_JOBS.recomputeAll, {});
      },
    });
    const model = models.current();
    const values = createCustomerValueService({
      repository,
      customers: app.customers,
      audit: app.audit,
      clock,
      models,
      recompute: runner.run,
      scheduleExpiry: (customerId, atMs) =>
        jobs.add(
          VALUE_JOBS.expireOverrides,
          {},
          { delayMs: atMs - clock.now().getTime(), jobId: `expire-${customerId}-${atMs}` },
        ),
    });
    app.decorate('customerValue', values);
    app.decorate('valueModel', models);
    // The job worker starts once the app is ready: a recomputation waiting in Redis (a missed night,
    // the first computation) must not hold up the other plugins' start.
    app.addHook('onReady', async () =>
      jobs.start({
        [VALUE_JOBS.recomputeAll]: async () => {
          const result = await values.recomputeAll();
          app.log.info(result, 'customer values recomputed');
        },
        [VALUE_JOBS.expireOverrides]: async () => void values.expireOverrides(),
      }),
    );
    await schedule(model.recomputeCron);
    // Customers with purchases but no computed tier yet should not wait for the night.
    if (repository.needsFirstComputation()) {
      await jobs.add(VALUE_JOBS.recomputeAll, {}, { jobId: 'first-computation' });
    }
    // A recomputation cut short (its process killed mid-run) left the previous cut-offs and part of
    // the customers rewritten: the next one redoes everyone, now rather than at night.
    if (createRecomputeRepository(app.db).interrupted()) {
      app.log.warn('the last customer value recomputation did not finish: running it again');
      await jobs.add(VALUE_JOBS.recomputeAll, {});
    }
    app.decorate('customerValueJobs', jobs);
    await app.register(customerValueRoutes, { prefix: '/api', values });
    await app.register(valueModelRoutes, { prefix: '/api', models });
  },
  { name: 'customer-value', dependencies: ['db', 'audit', 'auth', 'customers', 'call-state'] },
);
