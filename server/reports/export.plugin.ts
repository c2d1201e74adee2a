import type { FastifyPluginAsync } from 'fastify';
import { join } from 'node:path';
import type { Clock } from '../clock.js';
import { createJobs } from '../jobs/jobs.js';
import { EXPORT_JOBS, type ExportJobPayloads } from './export.jobs.js';
import { createExportRepository } from './export.repository.js';
import { exportRoutes } from './export.routes.js';
import { createExportService } from './export.service.js';
import { createReportsRepository } from './reports.repository.js';
import type { ReportsService } from './reports.service.js';

export interface ExportPluginOptions {
  reports: ReportsService;
  /** DATA_DIR: the files go in its `exports/` folder. */
  dataDir: string;
  redisUrl: string;
  clock: Clock;
}

/**
 * CSV exports: the routes, and a BullMQ queue of their own so that a long export never waits behind,
 * or holds up, the call path's jobs. One export at a time per process: each is a long sequential read.
 */
export const exportPlugin: FastifyPluginAsync<ExportPluginOptions> = async (app, options) => {
  const jobs = createJobs<ExportJobPayloads>({
    redisUrl: options.redisUrl,
    prefix: `${app.callStatePrefix}bull`,
    queueName: 'report-exports',
    log: app.log,
    concurrency: 1,
  });
  app.addHook('onClose', async () => jobs.close());
  const exports = createExportService({
    reports: options.reports,
    rollups: createReportsRepository(app.db),
    repository: createExportRepository(app.db),
    audit: app.audit,
    jobs,
    dir: join(options.dataDir, 'exports'),
    clock: options.clock,
    log: app.log,
  });
  jobs.start({
    [EXPORT_JOBS.write]: (job) => exports.write(job),
    [EXPORT_JOBS.remove]: (job) => exports.remove(job),
  });
  await app.register(exportRoutes, { exports });
};
