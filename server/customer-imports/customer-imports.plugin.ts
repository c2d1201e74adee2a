import fp from 'fastify-plugin';
import { join } from 'node:path';
import { CUSTOMER_IMPORT_EVENTS } from '../../contracts/customer-import-events.js';
import { createJobs } from '../jobs/jobs.js';
import type { AppContext } from '../plugins/app-context.js';
import { agentRoom } from '../realtime/realtime.events.js';
import { IMPORT_JOBS, type ImportJobPayloads } from './customer-imports.jobs.js';
import { createCustomerImportsRepository } from './customer-imports.repository.js';
import { customerImportsRoutes } from './customer-imports.routes.js';
import { createCustomerImportsService } from './customer-imports.service.js';

/**
 * Customer imports: the routes, and a BullMQ queue of their own so that a long import never waits
 * behind, or holds up, the call path's jobs. One import at a time per process: each is a long
 * sequential write to the one SQLite file.
 */
export const customerImportsPlugin = fp<AppContext>(
  async (app, { config, clock }) => {
    const jobs = createJobs<ImportJobPayloads>({
      redisUrl: config.redisUrl,
      prefix: `${app.callStatePrefix}bull`,
      queueName: 'customer-imports',
      log: app.log,
      concurrency: 1,
    });
    const imports = createCustomerImportsService({
      repository: createCustomerImportsRepository(app.db),
      audit: app.audit,
      jobs,
      dir: join(config.dataDir, 'imports'),
      clock,
      log: app.log,
      region: config.defaultPhoneRegion,
      batchRows: config.customerImport.batchRows,
      // Only to the starter's own consoles, and only while they may still see imports (supervisors, admins).
      push(agentId, progress) {
        const { role, active } = app.agents.get(agentId);
        if (active && (role === 'supervisor' || role === 'admin'))
          app.io.to(agentRoom(agentId)).emit(CUSTOMER_IMPORT_EVENTS.progress, progress);
      },
    });
    // A running import stops at its next batch, so closing does not wait for the whole file.
    app.addHook('onClose', async () => {
      imports.stop();
      await jobs.close();
    });
    jobs.start({
      [IMPORT_JOBS.run]: (job) => imports.run(job),
      [IMPORT_JOBS.expire]: (job) => imports.expire(job),
    });
    await app.register(customerImportsRoutes, {
      prefix: '/api/customer-imports',
      imports,
      maxBytes: config.customerImport.maxBytes,
    });
  },
  { name: 'customer-imports', dependencies: ['db', 'audit', 'auth', 'call-state', 'realtime', 'agents'] },
);
