// Customer export benchmark: a generated customer base (default 1 M customers with one phone each;
// built once and cached by size under /tmp/cti-bench-export, apart from bench:crm's cache because
// this branch's migrations upgrade what they open), the server in a process of its own on it, and
// this process as the client reading GET /api/customers/export.csv to the end. Prints rows/s, MB/s,
// the server's CPU per 1,000 rows and its peak RSS (sampled every 50 ms) against its RSS before.
//   npm run bench:export -- --customers 300000
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../db/connection.js';
import { deleteRedisKeys } from '../server/testing/harness.js';
import { crmDatabase } from './bench/crm-database.js';
import { databaseSizeMb } from './bench/report-database.js';
import { startBenchServer } from './bench/server-process.js';
import { insertSignedInAgents } from './bench/signed-in-agents.js';

const { values: args } = parseArgs({
  options: {
    customers: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '2' },
  },
});
const CUSTOMERS = Number(args.customers);
const TARGET_ROWS_PER_S = 100_000;
const TARGET_RSS_MB = 300;
const log = (line: string) => console.log(line);

process.env.BENCH_DATA_DIR ??= join(tmpdir(), 'cti-bench-export');
const { dataDir, file } = await crmDatabase(
  { customers: CUSTOMERS, events: 0, interactions: 0, open: 0 },
  log,
);
log(`database: ${databaseSizeMb(file).toFixed(0)} MB (${file})`);

const db = openDatabase({ file });
const [adminToken] = insertSignedInAgents(db, {
  count: 1,
  role: 'admin',
  usernamePrefix: `bench-admin-${randomUUID()}-`,
});
const expectedRows = db
  .prepare<[], number>('SELECT count(*) FROM customers WHERE erased_at IS NULL')
  .pluck()
  .get()!;
db.close();

const server = await startBenchServer({ dataDir });
const { origin } = server;
process.on('uncaughtException', (error) => {
  console.error(error);
  void server.stop().finally(() => process.exit(1));
});

// A database never computed gets its first value computation as the server starts: it runs first.
{
  const check = openDatabase({ file });
  const settled = () =>
    check.prepare('SELECT 1 FROM customer_value_cutoffs').get() !== undefined &&
    check.prepare("SELECT 1 FROM app_meta WHERE key = 'customer_value.recompute_running'").get() ===
      undefined;
  if (!settled()) log('waiting for the first value computation the server started on its own…');
  while (!settled()) await new Promise((resolve) => setTimeout(resolve, 1000));
  check.close();
}

log(`\nGET /api/customers/export.csv, ${expectedRows} customers, ${args.runs} runs:`);
for (let run = 1; run <= Number(args.runs); run += 1) {
  const rssBefore = server.rssMb();
  let peakRss = rssBefore;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, server.rssMb())), 50);
  const cpuBefore = server.cpuMs();
  const started = performance.now();
  const response = await fetch(`${origin}/api/customers/export.csv`, {
    headers: { cookie: `cti_session=${adminToken}` },
  });
  if (!response.ok || !response.body) throw new Error(`export: ${response.status}`);
  let bytes = 0;
  let lines = 0;
  const reader = response.body.getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    bytes += chunk.value.byteLength;
    for (const byte of chunk.value) if (byte === 10) lines += 1;
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, server.rssMb());
  const rows = lines - 1;
  if (rows !== expectedRows) throw new Error(`export: ${rows} rows, expected ${expectedRows}`);
  const rate = rows / seconds;
  const cpuPer1000 = (server.cpuMs() - cpuBefore) / (rows / 1000);
  log(
    `  run ${run}: ${rows} rows in ${seconds.toFixed(2)} s = ${Math.round(rate).toLocaleString('en-US')} rows/s ` +
      `(${(bytes / 1e6 / seconds).toFixed(1)} MB/s, ${(bytes / 1e6).toFixed(0)} MB); ` +
      `server CPU ${cpuPer1000.toFixed(2)} ms per 1,000 rows; ` +
      `server RSS ${rssBefore.toFixed(0)} MB before, peak ${peakRss.toFixed(0)} MB ` +
      `[targets: ≥ ${TARGET_ROWS_PER_S.toLocaleString('en-US')} rows/s ${rate >= TARGET_ROWS_PER_S ? 'met' : 'MISSED'}, ` +
      `RSS < ${TARGET_RSS_MB} MB ${peakRss < TARGET_RSS_MB ? 'met' : 'MISSED'}]`,
  );
}

await server.stop();
await deleteRedisKeys(server.redisPrefix);
