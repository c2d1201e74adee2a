import fp from 'fastify-plugin';
import { createCustomersRepository } from '../customers/index.js';
import type { AppContext } from '../plugins/app-context.js';
import { createCustomerMergeRepository } from './customer-merge.repository.js';
import { customerMergeRoutes } from './customer-merge.routes.js';
import { createCustomerMergeService } from './customer-merge.service.js';

/** Duplicate customers: the list of likely pairs, dismissing a pair, and merging one into the other. */
export const customerMergePlugin = fp<AppContext>(
  async (app, { clock }) => {
    const search = createCustomersRepository(app.db);
    const merges = createCustomerMergeService({
      repository: createCustomerMergeRepository(app.db),
      audit: app.audit,
      clock,
      reindex: (customerId) => search.reindex(customerId),
      recomputeValue: (customerId) => app.customerValue.recomputeOne(customerId),
      evaluateLifecycle: (customerId) => void app.lifecycle.evaluateCustomer(customerId),
    });
    await app.register(customerMergeRoutes, {
      prefix: '/api/customers',
      merges,
      view: (customerId) => app.customers.get(customerId),
    });
  },
  {
    name: 'customer-merge',
    dependencies: ['db', 'audit', 'auth', 'customers', 'customer-value', 'lifecycle'],
  },
);
