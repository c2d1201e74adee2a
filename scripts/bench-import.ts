// Customer import benchmark: a CSV of 100,000 rows (default), a fifth of them duplicates of existing
// customers, imported with the update policy into a copy of a generated base of 1,000,000 customers
// (cached under /tmp/cti-bench-crm like bench:crm's, built once). The server runs in a process of its
// own; this process uploads, starts and polls as the console does. Prints the upload's time, the
// import's rows per second, the server's CPU and peak RSS.
//   npm run bench:import -- --customers 1000000 --rows 100000 --duplicates 0.2
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../db/connection.js';
import type { ImportState } from '../server/customer-imports/customer-imports.schemas.js';
import { deleteRedisKeys } from '../server/testing/harness.js';
import { crmDatabase, crmPhoneOf } from './bench/crm-database.js';
import { startBenchServer } from './bench/server-process.js';
import { insertSignedInAgents } from './bench/signed-in-agents.js';

const { values: args } = parseArgs({
  options: {
    customers: { type: 'string', default: '1000000' },
    rows: { type: 'string', default: '100000' },
    duplicates: { type: 'string', default: '0.2' },
  },
});
const CUSTOMERS = Number(args.customers);
const ROWS = Number(args.rows);
const DUPLICATE_SHARE = Number(args.duplicates);
const log = (line: string) => console.log(line);

const cached = await crmDatabase({ customers: CUSTOMERS, events: 0, interactions: 0, open: 0 }, log);
// The import writes: it runs on a copy, so the cached base stays as generated.
const dataDir = mkdtempSync(join(tmpdir(), 'cti-bench-import-'));
copyFileSync(cached.file, join(dataDir, 'cti.sqlite'));
const db = openDatabase({ file: join(dataDir, 'cti.sqlite') });
const [adminToken] = insertSignedInAgents(db, {
  count: 1,
  role: 'admin',
  usernamePrefix: `bench-admin-${randomUUID()}-`,
});
const lastCustomer = db.prepare<[], number>('SELECT max(id) FROM customers').pluck().get()!;
db.close();

// Customer i has phone crmPhoneOf(i): duplicates spread over the generated base, new rows number past it.
const lines = ['Name,Mobile,Email,Company'];
const duplicates = Math.round(ROWS * DUPLICATE_SHARE);
for (let n = 0; n < ROWS; n += 1) {
  const phone =
    n < duplicates
      ? crmPhoneOf(lastCustomer - Math.floor((n * CUSTOMERS) / duplicates))
      : crmPhoneOf(lastCustomer + 1 + n);
  lines.push(`Imported ${n},${phone},imported${n}@example.com,Company ${n % 997}`);
}
const csv = Buffer.from(`${lines.join('\r\n')}\r\n`);
log(`file: ${ROWS} rows (${duplicates} duplicates), ${(csv.length / 1e6).toFixed(1)} MB`);

const server = await startBenchServer({ dataDir });
const { origin } = server;
const headers = { cookie: `cti_session=${adminToken}`, origin };

try {
  let cpuAt = server.cpuMs();
  let at = performance.now();
  const uploaded = await fetch(`${origin}/api/customer-imports?fileName=bench.csv`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'text/csv' },
    body: csv,
  });
  if (uploaded.status !== 201) throw new Error(`upload: ${uploaded.status} ${await uploaded.text()}`);
  const { id, proposedMapping } = (await uploaded.json()) as ImportState;
  log(
    `upload (decode, parse, store): ${(performance.now() - at).toFixed(0)} ms, server CPU ${(server.cpuMs() - cpuAt).toFixed(0)} ms`,
  );

  cpuAt = server.cpuMs();
  at = performance.now();
  const started = await fetch(`${origin}/api/customer-imports/${id}/start`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ mapping: proposedMapping, duplicates: 'update' }),
  });
  if (started.status !== 202) throw new Error(`start: ${started.status} ${await started.text()}`);
  let state: ImportState;
  let peakRssMb = server.rssMb();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    peakRssMb = Math.max(peakRssMb, server.rssMb());
    state = (await (await fetch(`${origin}/api/customer-imports/${id}`, { headers })).json()) as ImportState;
    if (state.status === 'done' || state.status === 'failed') break;
  }
  const seconds = (performance.now() - at) / 1000;
  const cpuS = (server.cpuMs() - cpuAt) / 1000;
  const { status, created, updated, unchanged, skipped, invalid } = state;
  log(
    `import: ${status}, created ${created}, updated ${updated}, unchanged ${unchanged}, skipped ${skipped}, invalid ${invalid}`,
  );
  log(
    `  ${(ROWS / seconds).toFixed(0)} rows/s (${seconds.toFixed(1)} s for ${ROWS} rows against ${CUSTOMERS} customers)`,
  );
  log(
    `  server CPU ${cpuS.toFixed(1)} s (${((cpuS * 1e6) / ROWS).toFixed(0)} µs/row, ${((cpuS / seconds) * 100).toFixed(0)} % of a core)`,
  );
  log(`  server peak RSS ${peakRssMb.toFixed(0)} MB`);
  if (status !== 'done') process.exitCode = 1;
} finally {
  await server.stop();
  await deleteRedisKeys(server.redisPrefix);
  rmSync(dataDir, { recursive: true, force: true });
}
