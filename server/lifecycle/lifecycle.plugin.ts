import fp from 'fastify-plugin';
import { createJobs } from '../jobs/jobs.js';
import type { AppContext } from '../plugins/app-context.js';
import { evaluateAll } from './lifecycle.evaluate.js';
import { LIFECYCLE_JOBS, LIFECYCLE_SCHEDULER_ID, type LifecycleJobPayloads } from './lifecycle.jobs.js';
import { createLifecycleRepository } from './lifecycle.repository.js';
import { lifecycleRoutes } from './lifecycle.routes.js';
import { createLifecycleService, type LifecycleService } from './lifecycle.service.js';

declare module 'fastify' {
  interface FastifyInstance {
    lifecycle: LifecycleService;
  }
}

/**
 * Lifecycle, derived: each customer's stage and churn-risk score from the rules of the value model's
 * `lifecycle` section, evaluated when one of their interactions completes, when their value events
 * change, and nightly for everybody (a BullMQ job of its own queue, one run per installation).
 */
export const lifecyclePlugin = fp<AppContext>(
  async (app, { config, clock }) => {
    // The model in force (an admin's saved edit, else the file), read once: the rules' SQL is prepared
    // with its windows and rates, so an edit of the lifecycle section takes effect at the next start.
    const valueModel = app.valueModel.current();
    const repository = createLifecycleRepository(app.db, valueModel);
    const lifecycle = createLifecycleService({
      repository,
      model: valueModel.lifecycle,
      clock,
      customerExists: (customerId) => app.customers.mayCall(customerId) !== null,
      evaluateAll: (now, onChange) => evaluateAll(app.db, valueModel, now, onChange),
      logError: (error, message) => app.log.error({ err: error }, message),
    });
    app.decorate('lifecycle', lifecycle);

    // The three moments a customer's evidence changes outside the nightly pass.
    app.interactions.onCompleted((_interactionId, customerId) =>
      lifecycle.afterInteractionCompleted(customerId),
    );
    app.customerValue.onValueEventsStored((customerId) => lifecycle.afterValueEventsStored(customerId));
    app.customers.onStageSetByHand((change) => lifecycle.recordSetByHand(change));

    const jobs = createJobs<LifecycleJobPayloads>({
      redisUrl: config.redisUrl,
      prefix: `${app.callStatePrefix}bull`,
      queueName: 'lifecycle',
      log: app.log,
      concurrency: 1,
    });
    app.addHook('onClose', async () => jobs.close());
    // As with the value recompute: the worker starts once the app is ready, so a pass waiting in
    // Redis does not hold up the start.
    app.addHook('onReady', async () =>
      jobs.start({
        [LIFECYCLE_JOBS.evaluateAll]: async () => {
          const result = lifecycle.evaluateAll();
          app.log.info(result, 'customer lifecycles evaluated');
        },
      }),
    );
    await jobs.repeat(
      LIFECYCLE_SCHEDULER_ID,
      valueModel.lifecycle.evaluateCron,
      LIFECYCLE_JOBS.evaluateAll,
      {},
    );
    await app.register(lifecycleRoutes, { prefix: '/api', lifecycle });
  },
  {
    name: 'lifecycle',
    dependencies: ['db', 'auth', 'interactions', 'customers', 'customer-value', 'call-state'],
  },
);
