import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errors } from '../http/common.schemas.js';
import { ALL_ROLES } from '../plugins/auth.plugin.js';
import { CrmSettings } from './crm-lookup.schemas.js';

/** The external CRM as the console sees it, under /api/crm (any signed-in role). */
export const crmLookupRoutes: FastifyPluginAsyncTypebox<{ settings: CrmSettings }> = async (
  app,
  { settings },
) => {
  app.get(
    '/settings',
    {
      schema: {
        tags: ['crm'],
        summary: 'The "open in CRM" link template and whether screen pops are enriched by the CRM',
        response: { 200: CrmSettings, ...errors(401, 403) },
      },
      config: { roles: ALL_ROLES },
    },
    async () => settings,
  );
};
