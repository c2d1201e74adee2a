import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../db/connection.js';
import { migrate } from '../../db/migrate.js';
import { loadConfig } from '../../server/config.js';
import { seedDemo } from '../../simulator/demo-data/seed-demo.js';
import { freePort } from '../../server/testing/harness.js';

/**
 * A benchmark server's configuration on a free port, with a fresh data folder and its own Redis
 * prefix; `env` adds the provider's settings, which may name the server's own origin.
 */
export async function benchServerConfig(
  name: string,
  env: (origin: string) => Record<string, string> | Promise<Record<string, string>>,
) {
  const dataDir = mkdtempSync(join(tmpdir(), `cti-bench-${name}-`));
  const redisPrefix = `bench:${randomUUID()}:`;
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    PORT: String(port),
    DATA_DIR: dataDir,
    REDIS_PREFIX: redisPrefix,
    PUBLIC_BASE_URL: origin,
    LOG_LEVEL: 'error',
    ...(await env(origin)),
  });
  return { dataDir, redisPrefix, port, origin, config };
}

/**
 * The data every Twilio call benchmark starts from: a fresh data folder with demo data (2,000
 * customers), where `arrange` adds rows (signed-in agents) before any server opens it.
 */
export async function benchData<T>(name: string, arrange: (db: Db) => T) {
  const dataDir = mkdtempSync(join(tmpdir(), `cti-bench-${name}-`));
  const databaseFile = join(dataDir, 'cti.sqlite');
  const db = openDatabase({ file: databaseFile });
  migrate(db);
  await seedDemo(db, { customers: 2000, days: 1, interactionsPerDay: 10 });
  const arranged = arrange(db);
  db.close();
  return { dataDir, databaseFile, arranged };
}
