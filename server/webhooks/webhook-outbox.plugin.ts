import fp from 'fastify-plugin';
import type { AppContext } from '../plugins/app-context.js';
import { createOutbox, type Outbox } from './outbox.js';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Where domains publish what webhooks report (`publish`), inside their own transaction; the
     * webhooks plugin delivers it.
     */
    webhookEvents: Outbox;
  }
}

/** The webhook outbox, registered before the domains that publish to it. */
export const webhookOutboxPlugin = fp<AppContext>(
  async (app, { clock }) => {
    app.decorate('webhookEvents', createOutbox(app.db, clock));
  },
  { name: 'webhook-outbox', dependencies: ['db'] },
);
