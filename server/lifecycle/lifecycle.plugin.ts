import fp from 'fastify-plugin';
import type { AppContext } from '../plugins/app-context.js';
import { createLifecycleRepository } from './lifecycle.repository.js';
import { lifecycleRoutes } from './lifecycle.routes.js';
import { createLifecycleService, type LifecycleService } from './lifecycle.service.js';
import { createNightlyChangesRepository } from './nightly-changes.repository.js';

declare module 'fastify' {
  interface FastifyInstance {
    lifecycle: LifecycleService;
  }
}

/**
 * Lifecycle, derived: each customer's stage and churn-risk score from the rules of the value model's
 * `lifecycle` section, evaluated when one of their interactions completes, when their value events
 * change, and nightly for everybody: a pass of the customer value recomputation, on its worker thread
 * (server/customer-value/recompute-passes.ts), whose stage changes are announced here.
 */
export const lifecyclePlugin = fp<AppContext>(
  async (app, { clock }) => {
    // The model in force (an admin's saved edit, else the file), read once: the rules' SQL is prepared
    // with its windows and rates, so an edit of the lifecycle section takes effect at the next start.
    const valueModel = app.valueModel.current();
    const repository = createLifecycleRepository(app.db, valueModel);
    const lifecycle = createLifecycleService({
      repository,
      model: valueModel.lifecycle,
      clock,
      customerExists: (customerId) => app.customers.mayCall(customerId) !== null,
      evaluateAll: async () => {
        const run = await app.customerValue.recomputeAll();
        const pass = run.passes.find((candidate) => candidate.name === 'lifecycle');
        return {
          customers: pass?.customers ?? 0,
          written: pass?.written ?? 0,
          stageChanges: pass?.changed ?? 0,
          durationMs: run.durationMs,
        };
      },
      nightly: createNightlyChangesRepository(app.db),
      logError: (error, message) => app.log.error({ err: error }, message),
    });
    app.decorate('lifecycle', lifecycle);

    // The three moments a customer's evidence changes outside the nightly pass.
    app.interactions.onCompleted((_interactionId, customerId) =>
      lifecycle.afterInteractionCompleted(customerId),
    );
    app.customerValue.onValueEventsStored((customerId) => lifecycle.afterValueEventsStored(customerId));
    app.customers.onStageSetByHand((change) => lifecycle.recordSetByHand(change));

    // The nightly pass runs in the customer value recomputation, on its worker thread: its stage
    // changes come back here in batches, to the listeners on this thread.
    const catchUp = () => {
      const announced = lifecycle.catchUpNightly();
      if (announced > 0) app.log.warn({ announced }, 'announced stage changes of an unfinished nightly run');
    };
    app.customerValue.onRecompute({
      message: (message) => {
        if (message.kind === 'stage-changes') lifecycle.announceNightly(message.batch);
      },
      ended: catchUp,
    });
    // Once every plugin is registered, so that the listeners (follow-up rules) hear them.
    app.addHook('onReady', async () => catchUp());
    await app.register(lifecycleRoutes, { prefix: '/api', lifecycle });
  },
  {
    name: 'lifecycle',
    dependencies: ['db', 'auth', 'interactions', 'customers', 'customer-value', 'call-state'],
  },
);
