// Event webhook delivery benchmark: the real app (outbox, BullMQ queue, worker, signing, SQLite
// delivery log) in this process delivers events to a receiver in another process. Prints the bare
// ceiling (plain POSTs to the same receiver), then events/s delivered, this process's CPU per event
// and its peak RSS. --events N (default 20000), --customers N (default 2000), --concurrency N (16).
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { openDatabase } from '../db/connection.js';
import { migrate } from '../db/migrate.js';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { agentIdOf, makeAgent } from '../server/testing/factories.js';

const arg = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};
const EVENTS = arg('events', 20_000);
const CUSTOMERS = arg('customers', 2_000);
const CONCURRENCY = arg('concurrency', 16);
const REDIS_URL = 'redis://127.0.0.1:6379';
const TARGET_PER_SECOND = 500;

async function startReceiver() {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./bench/webhook-receiver.ts', import.meta.url))],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const port = Number((await lines.next()).value as string);
  return { url: `http://127.0.0.1:${port}/hook`, stop: () => child.kill('SIGTERM') };
}

/** Plain POSTs of a typical event body, `CONCURRENCY` at a time: what the receiver and fetch allow. */
async function bareCeiling(url: string, count: number): Promise<number> {
  const body = JSON.stringify({
    id: 1,
    type: 'customer.updated',
    occurredAt: new Date().toISOString(),
    data: {},
  });
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        next += 1;
        const response = await fetch(url, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json' },
        });
        await response.arrayBuffer();
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

const receiver = await startReceiver();
const dataDir = mkdtempSync(join(tmpdir(), 'cti-bench-webhooks-'));
const config = loadConfig({
  DATA_DIR: dataDir,
  REDIS_URL,
  REDIS_PREFIX: `bench:${randomUUID()}:`,
  LOG_LEVEL: 'warn',
  LOG_FORMAT: 'json',
  WEBHOOK_ALLOW_PRIVATE_URLS: '1',
  WEBHOOK_CONCURRENCY: String(CONCURRENCY),
});
const db = openDatabase({ file: config.databaseFile });
migrate(db);
await makeAgent(db, { username: 'bench-admin', role: 'admin' });
const adminId = agentIdOf(db, 'bench-admin');
const app = await buildApp(config, { callTimers: false });
await app.ready();
try {
  const ceiling = await bareCeiling(receiver.url, Math.min(EVENTS, 5_000));
  console.log(`bare ceiling: ${Math.round(ceiling)} POSTs/s (${CONCURRENCY} at a time, same receiver)`);

  const actor = {
    id: adminId,
    username: 'bench-admin',
    displayName: 'Bench',
    role: 'admin' as const,
    uiLanguage: 'en' as const,
  };
  const subscription = await app.webhooks.create(
    actor,
    { name: 'bench', url: receiver.url, events: ['customer.updated'] },
    '127.0.0.1',
  );
  const delivered = db.prepare<[number], { n: number }>(
    "SELECT count(*) AS n FROM webhook_deliveries WHERE subscription_id = ? AND status = 'delivered'",
  );

  let peakRss = process.memoryUsage().rss;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  // Events arrive as changes do: a transaction of 50 at a time, the event loop free in between.
  for (let sent = 0; sent < EVENTS;) {
    app.db.transaction(() => {
      for (let i = 0; i < 50 && sent < EVENTS; i += 1, sent += 1) {
        app.webhookEvents.publish({
          type: 'customer.updated',
          data: { customerId: (sent % CUSTOMERS) + 1, fields: ['tags'] },
        });
      }
    })();
    await new Promise((resolve) => setImmediate(resolve));
  }
  const published = performance.now();
  while (delivered.get(subscription.id)!.n < EVENTS) {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const perSecond = EVENTS / seconds;
  const order = db
    .prepare<[], { bad: number }>(
      `SELECT count(*) AS bad FROM (
         SELECT updated_at, lag(updated_at) OVER (PARTITION BY subscription_id, chain ORDER BY id) AS previous
         FROM webhook_deliveries) WHERE previous > updated_at`,
    )
    .get()!.bad;
  console.log(
    [
      `events: ${EVENTS} over ${CUSTOMERS} customers, published in ${Math.round(published - started)} ms`,
      `delivered: ${Math.round(perSecond)} events/s (target ≥ ${TARGET_PER_SECOND}: ${perSecond >= TARGET_PER_SECOND ? 'met' : 'MISSED'})`,
      `server CPU per event: ${((cpu.user + cpu.system) / 1000 / EVENTS).toFixed(3)} ms`,
      `peak RSS: ${Math.round(peakRss / 1e6)} MB`,
      `deliveries of one customer finished out of order: ${order}`,
    ].join('\n'),
  );
} finally {
  await app.close();
  db.close();
  receiver.stop();
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${config.redisPrefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  rmSync(dataDir, { recursive: true, force: true });
}
