import type { Db } from '../../db/connection.js';
import type { Clock } from '../clock.js';
import { segmentCustomersSql } from '../segments/index.js';
import { createCustomerReportsRepository } from './customers.repository.js';
import { createIvrReportsRepository } from './ivr.repository.js';
import { createReportsRepository } from './reports.repository.js';
import { createReportsService, type ReportsService } from './reports.service.js';

/** The report service over one connection: the server's own, or a report worker's read-only one. */
export function reportsServiceOn(db: Db, clock: Clock): ReportsService {
  return createReportsService({
    repository: createReportsRepository(db),
    customers: createCustomerReportsRepository(db),
    ivr: createIvrReportsRepository(db),
    segments: (segmentId, nowMs) => segmentCustomersSql(db, segmentId, nowMs),
    clock,
  });
}
