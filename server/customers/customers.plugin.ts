import fp from 'fastify-plugin';
import type { AppContext } from '../plugins/app-context.js';
import { createCustomersRepository } from './customers.repository.js';
import { customersRoutes } from './customers.routes.js';
import { createCustomersService, type CustomersService } from './customers.service.js';

declare module 'fastify' {
  interface FastifyInstance {
    customers: CustomersService;
  }
}

/** The customer database and its 360 view; the call path reads it for the screen pop. */
export const customersPlugin = fp<AppContext>(
  async (app, { config, clock }) => {
    const customers = createCustomersService({
      customers: createCustomersRepository(app.db),
      interactions: app.interactions,
      audit: app.audit,
      clock,
      defaultPhoneRegion: config.defaultPhoneRegion,
      segments: app.segments,
      events: app.webhookEvents,
    });
    app.decorate('customers', customers);
    await app.register(customersRoutes, { prefix: '/api/customers', customers });
  },
  { name: 'customers', dependencies: ['db', 'audit', 'auth', 'interactions', 'segments', 'webhook-outbox'] },
);
