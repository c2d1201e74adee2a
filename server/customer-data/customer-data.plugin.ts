import fp from 'fastify-plugin';
import { createJobs } from '../jobs/jobs.js';
import type { AppContext } from '../plugins/app-context.js';
import { segmentCustomersSql } from '../segments/index.js';
import {
  CUSTOMER_DATA_JOBS,
  RECORDING_SWEEP_CRON,
  RECORDING_SWEEP_SCHEDULER_ID,
  type CustomerDataJobPayloads,
} from './customer-data.jobs.js';
import { customerDataRoutes } from './customer-data.routes.js';
import { createCustomerDataService } from './customer-data.service.js';
import { openCustomerExport } from './customer-export.repository.js';
import { createDataPackageRepository } from './data-package.repository.js';
import { createErasureRepository } from './erasure.repository.js';
import { createErasureService, type ErasureService } from './erasure.service.js';

declare module 'fastify' {
  interface FastifyInstance {
    erasure: ErasureService;
  }
}

/** Tries of one recording deletion before it waits for the hourly sweep: about 17 minutes of backoff. */
const DELETE_ATTEMPTS = 10;

/**
 * Customer data in and out under privacy law: the CSV export, the subject-access data package and
 * erasure, whose recording deletions run as BullMQ jobs of their own queue.
 */
export const customerDataPlugin = fp<AppContext>(
  async (app, { config, clock }) => {
    const jobs = createJobs<CustomerDataJobPayloads>({
      redisUrl: config.redisUrl,
      prefix: `${app.callStatePrefix}bull`,
      queueName: 'customer-data',
      log: app.log,
      concurrency: 2,
      attempts: DELETE_ATTEMPTS,
    });
    app.addHook('onClose', async () => jobs.close());

    const erasure = createErasureService({
      erasure: createErasureRepository(app.db, app.webhookEvents),
      media: app.telephony.recordingMedia,
      queueDeletion: (recordingRef, attempt) =>
        jobs.add(
          CUSTOMER_DATA_JOBS.deleteRecording,
          { recordingRef },
          { jobId: `delete-recording:${recordingRef}:${attempt}` },
        ),
      audit: app.audit,
      clock,
      log: app.log,
    });
    app.decorate('erasure', erasure);
    const customerData = createCustomerDataService({
      customers: app.customers,
      segmentSql: (segmentId, nowMs) => segmentCustomersSql(app.db, segmentId, nowMs),
      openExport: (selection) => openCustomerExport(config.databaseFile, selection),
      packages: createDataPackageRepository(app.db),
      audit: app.audit,
      clock,
    });

    app.addHook('onReady', async () =>
      jobs.start({
        [CUSTOMER_DATA_JOBS.deleteRecording]: ({ recordingRef }) => erasure.deleteRecording(recordingRef),
        [CUSTOMER_DATA_JOBS.sweepRecordingDeletions]: async () => {
          await erasure.sweepRecordingDeletions();
        },
      }),
    );
    await jobs.repeat(
      RECORDING_SWEEP_SCHEDULER_ID,
      RECORDING_SWEEP_CRON,
      CUSTOMER_DATA_JOBS.sweepRecordingDeletions,
      {},
    );
    await app.register(customerDataRoutes, { prefix: '/api/customers', customerData, erasure });
  },
  {
    name: 'customer-data',
    dependencies: [
      'db',
      'audit',
      'auth',
      'customers',
      'segments',
      'telephony',
      'call-state',
      'webhook-outbox',
    ],
  },
);
