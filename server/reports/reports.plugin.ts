import fp from 'fastify-plugin';
import { systemClock, type Clock } from '../clock.js';
import { onAcdChange } from '../supervision/index.js';
import { createAgentStatusRecorder } from './agent-status-history.js';
import { createCustomerReportsRepository } from './customers.repository.js';
import { createReportsRepository } from './reports.repository.js';
import { reportsRoutes } from './reports.routes.js';
import { createReportsService } from './reports.service.js';
import { createRollupRepository } from './rollup.repository.js';

export interface ReportsPluginOptions {
  /** Abandons after less than this many seconds of waiting are short abandons (config SHORT_ABANDON_SECONDS). */
  shortAbandonSeconds: number;
  /** Default the system clock. */
  clock?: Clock;
}

/**
 * The reports: routes under /api/reports, and the agent status history fed by the observed ACD.
 * The rollups themselves are written by the interactions repository as calls close.
 */
export const reportsPlugin = fp<ReportsPluginOptions>(
  async (app, { shortAbandonSeconds, clock = systemClock }) => {
    if (createRollupRepository(app.db).useShortAbandonSeconds(shortAbandonSeconds))
      app.log.warn(
        { shortAbandonSeconds },
        'SHORT_ABANDON_SECONDS changed: earlier report figures keep the old threshold until `npm run reports:rebuild`',
      );
    if (app.hasDecorator('acd')) {
      const recorder = createAgentStatusRecorder({
        db: app.db,
        snapshot: () => app.acd.snapshot(),
        log: app.log,
      });
      const stop = onAcdChange(app.acd, recorder.changed);
      app.addHook('preClose', async () => {
        stop();
        await recorder.settled();
      });
    }
    const reports = createReportsService({
      repository: createReportsRepository(app.db),
      customers: createCustomerReportsRepository(app.db),
      clock,
    });
    await app.register(reportsRoutes, { prefix: '/api/reports', reports });
  },
  { name: 'reports', dependencies: ['db'] },
);
