import { reportsServiceOn } from './reports-on-db.js';
import fp from 'fastify-plugin';
import type { AppContext } from '../plugins/app-context.js';
import { createAgentStatusRecorder } from './agent-status-history.js';
import { exportPlugin } from './export.plugin.js';
import { createReportRunner, inProcessQueries } from './report-runner.js';
import { reportsRoutes } from './reports.routes.js';
import { createSatisfactionRepository } from './satisfaction.repository.js';
import { satisfactionRoutes } from './satisfaction.routes.js';
import { createRollupRepository } from './rollup.repository.js';

/**
 * The reports: routes under /api/reports, and the agent status history fed by the observed ACD.
 * The rollups themselves are written by the interactions repository as calls close. The routes' reads
 * run on worker threads (`REPORT_WORKERS`); exports still read in process, a page at a time.
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
    const reports = reportsServiceOn(app.db, clock);
    let queries = inProcessQueries(reports);
    if (config.reportWorkers > 0) {
      const runner = createReportRunner({
        file: config.databaseFile,
        workers: config.reportWorkers,
        clock,
        log: app.log,
      });
      app.addHook('onClose', () => runner.close());
      queries = runner;
    }
    await app.register(reportsRoutes, { prefix: '/api/reports', reports: queries });
    await app.register(satisfactionRoutes, {
      prefix: '/api/reports',
      satisfaction: createSatisfactionRepository(app.db),
    });
    const { dataDir, redisUrl } = config;
    await app.register(exportPlugin, { prefix: '/api/reports', reports, dataDir, redisUrl, clock });
  },
  { name: 'reports', dependencies: ['db', 'acd', 'audit', 'call-state'] },
);
