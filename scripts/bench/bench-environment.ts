import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../db/connection.js';
import { migrate } from '../../db/migrate.js';
import { loadConfig } from '../../server/config.js';
import { DEMO_LINE } from '../../simulator/demo-traffic.js';
import { seedDemo } from '../../simulator/demo-data/seed-demo.js';
import { freePort } from '../../server/testing/harness.js';
import { startTwilioFake } from '../../simulator/twilio-fake/index.js';

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
 * What every Twilio call benchmark runs against: a fresh data folder with demo data, its own Redis prefix,
 * a Twilio fake that answers the legs we place, and a demo-mode configuration pointing at both.
 * `arrange` adds rows (signed-in agents) to the seeded database before the server opens it.
 */
export async function benchEnvironment<T>(name: string, arrange: (db: ReturnType<typeof openDatabase>) => T) {
  const account = `AC${randomBytes(16).toString('hex')}`;
  const token = randomBytes(16).toString('hex');
  const fake = await startTwilioFake({
    accountSid: account,
    authToken: token,
    statusCallbacks: true,
    autoAnswer: { afterMs: 50 },
  });
  const { dataDir, redisPrefix, port, origin, config } = await benchServerConfig(name, () => ({
    DEMO: '1',
    TWILIO_ACCOUNT_SID: account,
    TWILIO_AUTH_TOKEN: token,
    TWILIO_CALLER_ID: DEMO_LINE,
    TWILIO_API_BASE_URL: fake.baseUrl,
  }));
  const db = openDatabase({ file: config.databaseFile });
  migrate(db);
  await seedDemo(db, { customers: 2000, days: 1, interactionsPerDay: 10 });
  const arranged = arrange(db);
  db.close();
  return { account, token, dataDir, redisPrefix, fake, port, origin, config, arranged };
}
