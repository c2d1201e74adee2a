import type { Db } from '../../db/connection.js';
import { hashPassword } from '../../server/auth/index.js';
import { DEMO_PASSWORD } from '../../server/config.js';
import { createCustomersRepository } from '../../server/customers/index.js';
import { seedDemoData, type DemoDataOptions } from './index.js';

/** Seeds the demo data set with every demo login's password set to `DEMO_PASSWORD`, then builds the search index. */
export async function seedDemo(db: Db, options: Omit<DemoDataOptions, 'passwordHash'> = {}) {
  const summary = seedDemoData(db, { ...options, passwordHash: await hashPassword(DEMO_PASSWORD) });
  createCustomersRepository(db).reindexAll();
  return summary;
}
