import fp from 'fastify-plugin';
import type { AppContext } from '../plugins/app-context.js';
import { createAgentStatusRecorder } from './agent-status-history.js';
import { createCustomerReportsRepository } from './customers.repository.js';
import { exportPlugin } from './export.plugin.js';
import { createIvrReportsRepository } from './ivr.repository.js';
import { createReportsRepository } from './reports.repository.js';
import { reportsRoutes } from './reports.routes.js';
import { createReportsService } from './reports.service.js';
import { createRollupRepository } from './rollup.repository.js';

/**
 * The reports: routes under /api/reports, and the agent status history fed by the observed ACD.
 * The rollups themselves are written by the interactions repository as calls close.
 */
export const reportsPlugin = fp<AppContext>(
  async (app, { config, clock }) => {
    const { shortAbandonSeconds } = config;
    if (createRollupRepository(app.db).useShortAbandonSeconds(shortAbandonSeconds))
      app.log.warn(
        { shortAbandonSeconds },
        'SHORT_ABANDON_SECONDS changed: earlier report figures keep the old threshold until `npm run reports:rebuild`',
      );
    const recorder = createAgentStatusRecorder({
      db: app.db,
      snapshot: () => app.acd.snapshot(),
      log: app.log,
    });
    app.callPathChanges.onChange(recorder.changed);
    app.addHook('preClose', async () => recorder.settled());
    const reports = createReportsService({
      repository: createReportsRepository(app.db),
      customers: createCustomerReportsRepository(app.db),
      ivr: createIvrReportsRepository(app.db),
      clock,
    });
    await app.register(reportsRoutes, { prefix: '/api/reports', reports });
    const { dataDir, redisUrl } = config;
    await app.register(exportPlugin, { prefix: '/api/reports', reports, dataDir, redisUrl, clock });
  },
  { name: 'reports', dependencies: ['db', 'acd', 'audit', 'call-state'] },
);
