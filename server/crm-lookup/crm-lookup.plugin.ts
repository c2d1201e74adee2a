import fp from 'fastify-plugin';
import type { AppContext } from '../plugins/app-context.js';
import { crmLookupRoutes } from './crm-lookup.routes.js';
import { createCrmLookup, type CrmLookup } from './crm-lookup.service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The external CRM lookup that enriches screen pops; null when CRM_LOOKUP_URL is not set. */
    crmLookup: CrmLookup | null;
  }
}

/** The external CRM: the lookup the call path starts for each call, and the console's link settings. */
export const crmLookupPlugin = fp<AppContext>(
  async (app, { config, clock }) => {
    app.decorate(
      'crmLookup',
      config.crmLookup &&
        createCrmLookup({ config: config.crmLookup, clock, log: app.log, registry: app.metricsRegistry }),
    );
    await app.register(crmLookupRoutes, {
      prefix: '/api/crm',
      settings: { linkTemplate: config.crmLinkTemplate, lookup: config.crmLookup !== null },
    });
  },
  { name: 'crm-lookup', dependencies: ['metrics', 'auth'] },
);
