import fp from 'fastify-plugin';
import { createJobs } from '../jobs/jobs.js';
import type { AppContext } from '../plugins/app-context.js';
import { createDeliveriesRepository } from './deliveries.repository.js';
import { createDeliveryRunner, type DeliveryRunner } from './delivery-runner.js';
import { publishFromSources } from './webhook-sources.js';
import { SWEEP_CRON, SWEEP_SCHEDULER_ID, WEBHOOK_JOBS, type WebhookJobPayloads } from './webhooks.jobs.js';
import { createWebhooksRepository } from './webhooks.repository.js';
import { webhooksRoutes } from './webhooks.routes.js';
import { createWebhooksService, type WebhooksService } from './webhooks.service.js';

declare module 'fastify' {
  interface FastifyInstance {
    webhooks: WebhooksService;
    /** The delivery side (read by tests and the benchmark: `settled`, `sweep`). */
    webhookDeliveries: DeliveryRunner;
  }
}

/**
 * Event webhooks: the admins' routes, the delivery worker (a BullMQ queue of its own, every process
 * a worker), and the events of domains that announce theirs after commit. Registered after them.
 */
export const webhooksPlugin = fp<AppContext>(
  async (app, { config, clock }) => {
    const deliveries = createDeliveriesRepository(app.db);
    const jobs = createJobs<WebhookJobPayloads>({
      redisUrl: config.redisUrl,
      prefix: `${app.callStatePrefix}bull`,
      queueName: 'webhooks',
      log: app.log,
      concurrency: config.webhooks.concurrency,
    });
    const runner = createDeliveryRunner({
      deliveries,
      jobs,
      clock,
      log: app.log,
      policy: config.webhooks,
    });
    const webhooks = createWebhooksService({
      webhooks: createWebhooksRepository(app.db),
      deliveries,
      runner,
      audit: app.audit,
      clock,
      allowPrivateUrls: config.webhooks.allowPrivateUrls,
    });
    app.decorate('webhooks', webhooks);
    app.decorate('webhookDeliveries', runner);

    app.webhookEvents.onPublished(runner.wake);
    publishFromSources({ interactions: app.interactions, surveys: app.surveys }, app.webhookEvents, app.log);

    app.addHook('onReady', async () => {
      jobs.start({ [WEBHOOK_JOBS.deliver]: runner.deliver, [WEBHOOK_JOBS.sweep]: runner.sweep });
      // What a previous run left: events not fanned out, chains whose job was lost.
      await runner.sweep();
    });
    app.addHook('onClose', async () => {
      await runner.settled();
      await jobs.close();
    });
    await jobs.repeat(SWEEP_SCHEDULER_ID, SWEEP_CRON, WEBHOOK_JOBS.sweep, {});
    await app.register(webhooksRoutes, { prefix: '/api/webhooks', webhooks });
  },
  {
    name: 'webhooks',
    dependencies: ['db', 'audit', 'auth', 'call-state', 'webhook-outbox', 'interactions', 'surveys'],
  },
);
