import { fileURLToPath } from 'node:url';
import type { Db } from '../../db/connection.js';
import { hashPassword } from '../../server/auth/index.js';
import { DEMO_PASSWORD } from '../../server/config.js';
import { loadValueModel } from '../../server/customer-value/index.js';
import { createCustomersRepository } from '../../server/customers/index.js';
import { evaluateAll } from '../../server/lifecycle/index.js';
import { createRollupRepository } from '../../server/reports/index.js';
import { seedDemoData, type DemoDataOptions } from './index.js';

/** The value model the server ships with (config/value-model.json). */
export const SHIPPED_VALUE_MODEL = fileURLToPath(new URL('../../config/value-model.json', import.meta.url));

/**
 * Seeds the demo data set with every demo login's password set to `DEMO_PASSWORD`, then builds what
 * the server keeps beside the rows it inserts: the search index, the report rollups (the seed
 * writes closed Interactions directly, not through the call path that rolls them up), and each
 * customer's lifecycle stage and churn-risk score by the value model's rules, so no seeded customer
 * contradicts them (no "lost" customer who bought last week).
 */
export async function seedDemo(
  db: Db,
  options: Omit<DemoDataOptions, 'passwordHash'> & {
    /** The value model whose lifecycle rules set the stages. Default the shipped one. */
    valueModelFile?: string;
  } = {},
) {
  const { valueModelFile = SHIPPED_VALUE_MODEL, ...dataOptions } = options;
  const model = loadValueModel(valueModelFile);
  const now = dataOptions.now ?? new Date();
  const summary = seedDemoData(db, {
    ...dataOptions,
    now,
    passwordHash: await hashPassword(DEMO_PASSWORD),
  });
  createCustomersRepository(db).reindexAll();
  createRollupRepository(db).rebuild();
  const lifecycle = evaluateAll(db, model, now);
  return { ...summary, lifecycleChanges: lifecycle.stageChanges };
}
