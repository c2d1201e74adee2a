import type { Db } from '../../db/connection.js';
import { hashPassword } from '../../server/auth/index.js';
import { DEMO_PASSWORD } from '../../server/config.js';
import { createCustomersRepository } from '../../server/customers/index.js';
import { createRollupRepository } from '../../server/reports/index.js';
import { seedDemoData, type DemoDataOptions } from './index.js';

/**
 * Seeds the demo data set with every demo login's password set to `DEMO_PASSWORD`, then builds what
 * the server keeps beside the rows it inserts: the search index and the report rollups (the seed
 * writes closed Interactions directly, not through the call path that rolls them up).
 */
export async function seedDemo(db: Db, options: Omit<DemoDataOptions, 'passwordHash'> = {}) {
  const summary = seedDemoData(db, { ...options, passwordHash: await hashPassword(DEMO_PASSWORD) });
  createCustomersRepository(db).reindexAll();
  createRollupRepository(db).rebuild();
  return summary;
}
