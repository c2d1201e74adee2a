import fp from 'fastify-plugin';
import type { AppContext } from '../plugins/app-context.js';
import { createCallQueuesRepository } from './call-queues.repository.js';
import { callQueuesRoutes } from './call-queues.routes.js';
import { createCallQueuesService, type CallQueuesService } from './call-queues.service.js';

declare module 'fastify' {
  interface FastifyInstance {
    callQueues: CallQueuesService;
  }
}

/** Call queues and wrap-up codes: their settings, read by the call path, recordings and supervision. */
export const callQueuesPlugin = fp<AppContext>(
  async (app, { clock }) => {
    const callQueues = createCallQueuesService({
      callQueues: createCallQueuesRepository(app.db),
      audit: app.audit,
      clock,
      // Supervision is built on the queues, so it is looked up when a queue changes (an admin's request).
      qualificationChanged: () => app.deskBacklog.queuesChanged(),
    });
    app.decorate('callQueues', callQueues);
    await app.register(callQueuesRoutes, { prefix: '/api', callQueues });
  },
  { name: 'call-queues', dependencies: ['db', 'audit', 'auth'] },
);
