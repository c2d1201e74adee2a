// CRM benchmark: a generated customer base (default 1 M customers with one phone each, 20 M value
// events over three years in five currencies, 1 M interactions over 120 days; cached by parameters
// under /tmp/cti-bench-crm), the server in a process of its own on it, and this process as the client.
// Prints the full nightly recomputation, its value and lifecycle passes (wall time, each pass's time,
// server CPU, peak server RSS, and what the server answered meanwhile), then, in this process on the same file: a value event's incremental update,
// closing an Interaction with its rollups, and the screen-pop lookup by phone number.
//   npm run bench:crm -- --customers 100000 --events 2000000
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { parseArgs } from 'node:util';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { openDatabase } from '../db/connection.js';
import { createAuditLog } from '../server/audit/index.js';
import { systemClock } from '../server/clock.js';
import { createCustomerValueRepository } from '../server/customer-value/customer-value.repository.js';
import { createCustomerValueService, loadValueModel } from '../server/customer-value/index.js';
import { inProcessRecompute } from '../server/customer-value/recompute-runner.js';
import { createCustomersRepository, createCustomersService } from '../server/customers/index.js';
import { createInteractionsRepository, createInteractionsService } from '../server/interactions/index.js';
import { deleteRedisKeys } from '../server/testing/harness.js';
import { measureCloseCost } from './bench/close-cost.js';
import { crmDatabase, crmPhoneOf } from './bench/crm-database.js';
import { databaseSizeMb } from './bench/report-database.js';
import { percentile } from './bench/percentile.js';
import { startBenchServer } from './bench/server-process.js';
import { insertSignedInAgents } from './bench/signed-in-agents.js';
import { createSegmentsRepository, createSegmentsService } from '../server/segments/index.js';

const { values: args } = parseArgs({
  options: {
    customers: { type: 'string', default: '1000000' },
    events: { type: 'string', default: '20000000' },
    interactions: { type: 'string', default: '1000000' },
    closes: { type: 'string', default: '2000' },
    updates: { type: 'string', default: '5000' },
    lookups: { type: 'string', default: '50000' },
  },
});
const CUSTOMERS = Number(args.customers);
const log = (line: string) => console.log(line);
const ms = (value: number) => `${value.toFixed(3)} ms`;
const s = (value: number) => `${(value / 1000).toFixed(1)} s`;
const MODEL_FILE = new URL('../config/value-model.json', import.meta.url).pathname;

/**
 * A POST that waits for its answer however long the run takes: fetch gives up after 300 s without
 * response headers, which a recomputation on a busy machine (its worker yields the CPU) can exceed.
 */
function postAwaitingAnswer(url: string, headers: Record<string, string>): Promise<Response> {
  return new Promise((resolve, reject) => {
    const call = request(url, { method: 'POST', headers }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => resolve(new Response(Buffer.concat(chunks), { status: answer.statusCode })));
      answer.on('error', reject);
    });
    call.on('error', reject);
    call.end();
  });
}

const { dataDir, file } = await crmDatabase(
  {
    customers: CUSTOMERS,
    events: Number(args.events),
    interactions: Number(args.interactions),
    open: Number(args.closes),
  },
  log,
);
console.log(`database: ${databaseSizeMb(file).toFixed(0)} MB (${file})`);

const db = openDatabase({ file });
const [adminToken] = insertSignedInAgents(db, {
  count: 1,
  role: 'admin',
  usernamePrefix: `bench-admin-${randomUUID()}-`,
});
const firstCustomer = db.prepare<[], number>('SELECT max(id) FROM customers').pluck().get()! - CUSTOMERS + 1;
const model = loadValueModel(MODEL_FILE);
db.close();

// ---- The full recomputation, in the server process (on its worker thread) -------------------------
const server = await startBenchServer({ dataDir, env: { VALUE_MODEL_FILE: MODEL_FILE } });
const { origin } = server;
const headers = { cookie: `cti_session=${adminToken}`, origin };
const jsonHeaders = { ...headers, 'content-type': 'application/json' };
// A failure below must not leave the server process running.
process.on('uncaughtException', (error) => {
  console.error(error);
  void server.stop().finally(() => process.exit(1));
});

// A database never computed gets its first computation as the server starts: it runs first, both
// passes (the lifecycle pass's unannounced row goes when the run is over).
{
  const check = openDatabase({ file });
  const settled = () =>
    check.prepare('SELECT 1 FROM customer_value_cutoffs').get() !== undefined &&
    check
      .prepare(
        "SELECT 1 FROM app_meta WHERE key = 'customer_value.recompute_running' OR key GLOB 'lifecycle.unannounced:*'",
      )
      .get() === undefined;
  if (!settled()) log('waiting for the first computation the server started on its own…');
  while (!settled()) await new Promise((resolve) => setTimeout(resolve, 1000));
  check.close();
}

console.log(
  `\nfull recomputation, value and lifecycle passes (POST /api/customer-value/recompute, ${CUSTOMERS} customers):`,
);
{
  const rssBefore = server.rssMb();
  let peakRss = rssBefore;
  const cpuBefore = server.cpuMs();
  const reads: number[] = [];
  const writes: number[] = [];
  let running = true;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, server.rssMb())), 100);
  // While it runs, the server keeps answering: a customer's value read every 50 ms, a value event
  // written every 250 ms (its own write transaction on the server's connection).
  const probe = async (every: number, into: number[], request: (i: number) => Promise<Response>) => {
    for (let i = 0; running; i += 1) {
      const started = performance.now();
      const response = await request(i);
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`probe: ${response.status}`);
      into.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, every));
    }
  };
  const customerAt = (i: number) => firstCustomer + ((i * 7919) % CUSTOMERS);
  const probes = Promise.all([
    probe(50, reads, (i) => fetch(`${origin}/api/customers/${customerAt(i)}/value`, { headers })),
    probe(250, writes, (i) =>
      fetch(`${origin}/api/customers/${customerAt(i)}/value-events`, {
        method: 'POST',
        headers: jsonHeaders,
        body: JSON.stringify({
          amount: 12.5,
          currency: 'CNY',
          occurredAt: new Date(Date.now() - 60_000).toISOString(),
          reference: `bench-${randomUUID()}`,
        }),
      }),
    ),
  ]);
  const started = performance.now();
  const response = await postAwaitingAnswer(`${origin}/api/customer-value/recompute`, headers);
  const wall = performance.now() - started;
  running = false;
  clearInterval(sampler);
  await probes;
  if (!response.ok) throw new Error(`recompute: ${response.status} ${await response.text()}`);
  const result = (await response.json()) as {
    customers: number;
    changed: number;
    passes: {
      name: string;
      durationMs: number;
      changed: number;
      written?: number;
      phasesMs?: Record<string, number>;
    }[];
    rssMb: number;
  };
  const lifecycle = result.passes.find((pass) => pass.name === 'lifecycle');
  console.log(
    `  wall ${s(wall)} (target ≤ 60 s); server CPU ${s(server.cpuMs() - cpuBefore)}; server RSS ${rssBefore.toFixed(0)} MB before, peak ${peakRss.toFixed(0)} MB; ${result.customers} customers, ${result.changed} tiers changed`,
  );
  const phases = (pass: (typeof result.passes)[number]) =>
    pass.phasesMs
      ? ` (${Object.entries(pass.phasesMs)
          .map(([name, value]) => `${name} ${s(value)}`)
          .join(', ')})`
      : '';
  const passesMs = result.passes.reduce((sum, pass) => sum + pass.durationMs, 0);
  console.log(
    `  passes: ${result.passes.map((pass) => `${pass.name} ${s(pass.durationMs)}${phases(pass)}`).join('; ')}; both ${s(passesMs)}; worker's process RSS at the end ${result.rssMb.toFixed(0)} MB`,
  );
  if (lifecycle)
    console.log(
      `  lifecycle: ${lifecycle.changed} stages changed, ${lifecycle.written ?? 0} customers' stage or churn score written`,
    );
  console.log(
    `  meanwhile GET /api/customers/:id/value  p50 ${ms(percentile(reads, 50))}  p99 ${ms(percentile(reads, 99))}  max ${ms(Math.max(...reads))}  (${reads.length} requests)`,
  );
  console.log(
    `  meanwhile POST …/value-events (writes)  p50 ${ms(percentile(writes, 50))}  p99 ${ms(percentile(writes, 99))}  max ${ms(Math.max(...writes))}  (${writes.length} requests)`,
  );
}
await server.stop();
await deleteRedisKeys(server.redisPrefix);

// ---- In this process, on the same file --------------------------------------------------------------
const local = openDatabase({ file });
const audit = createAuditLog(local, systemClock);
const interactions = createInteractionsService({ interactions: createInteractionsRepository(local) });
const customers = createCustomersService({
  customers: createCustomersRepository(local),
  interactions,
  audit,
  clock: systemClock,
  defaultPhoneRegion: 'US',
  segments: createSegmentsService({ segments: createSegmentsRepository(local), audit, clock: systemClock }),
});
const values = createCustomerValueService({
  repository: createCustomerValueRepository(local),
  customers,
  audit,
  clock: systemClock,
  models: { current: () => model },
  recompute: inProcessRecompute(local),
  scheduleExpiry: async () => undefined,
});
const admin = local
  .prepare<[], { id: number }>("SELECT id FROM agents WHERE role = 'admin' ORDER BY id DESC LIMIT 1")
  .get()!;
const actor = { id: admin.id } as Parameters<typeof values.recordEvent>[0];

// A value event recorded (insert, audit, the customer placed at once), as POST …/value-events does it;
// rolled back, so the database stays as generated.
{
  const updates = Number(args.updates);
  const times: number[] = [];
  local.exec('BEGIN');
  for (let i = 0; i < updates; i += 1) {
    const customerId = firstCustomer + ((i * 104_729) % CUSTOMERS);
    const started = performance.now();
    values.recordEvent(
      actor,
      customerId,
      {
        amount: 99,
        currency: 'USD',
        occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
        reference: `bench-update-${i}`,
      },
      '127.0.0.1',
    );
    times.push(performance.now() - started);
  }
  local.exec('ROLLBACK');
  console.log(
    `\na value event recorded, its customer placed at once (in process, ${updates} customers): p50 ${ms(percentile(times, 50))}  p99 ${ms(percentile(times, 99))} (target ≤ 1 ms)`,
  );
}

const close = measureCloseCost(file, Number(args.closes));
console.log(
  `closing an Interaction (in process, ${close.closes} closes): ${close.withMs.toFixed(3)} ms CPU each with its rollups (${close.withoutMs.toFixed(3)} ms without the rollup hook) (target ≤ 1 ms)`,
);

// Screen pop: callers' numbers as they arrive, E.164, national and international forms.
{
  const lookups = Number(args.lookups);
  let state = 42;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  const forms = Array.from({ length: lookups }, () => {
    const e164 = crmPhoneOf(firstCustomer + Math.floor(random() * CUSTOMERS));
    const parsed = parsePhoneNumberFromString(e164)!;
    const pick = random();
    return pick < 0.4 ? e164 : pick < 0.8 ? parsed.formatNational() : parsed.formatInternational();
  });
  for (const number of forms.slice(0, 2000)) customers.screenPop(number);
  const times: number[] = [];
  let found = 0;
  for (const number of forms) {
    const started = performance.now();
    if (customers.screenPop(number).customer) found += 1;
    times.push(performance.now() - started);
  }
  if (found !== lookups) throw new Error(`only ${found} of ${lookups} numbers were found`);
  console.log(
    `screen-pop lookup by phone number (in process, ${lookups} lookups, all found): p50 ${ms(percentile(times, 50))}  p99 ${ms(percentile(times, 99))} (target ≤ 1 ms)`,
  );
}
local.close();
process.exit(0);
