// Reports benchmark: a generated history (default 10 M interactions over 13 months, 1 M customers,
// 200 agents, 6 queues; cached by parameters in a temp folder), the server in a process of its own on
// it, and this process as the client. Prints p50/p99 and server CPU per request for each report, the
// drill-down's first page, CSV export rows/s and server RSS, the database size, the CPU the rollup
// hook adds to closing an Interaction (in process), and enqueue → offer latency without and with a
// year-long report running.
//   npm run bench:reports -- --interactions 2000000 --customers 200000
import { randomBytes, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { openDatabase } from '../db/connection.js';
import { deleteRedisKeys } from '../server/testing/harness.js';
import { startTwilioFake } from '../simulator/twilio-fake/index.js';
import { DEMO_LINE } from '../simulator/demo-traffic.js';
import { databaseSizeMb, reportDatabase } from './bench/report-database.js';
import { measureCloseCost } from './bench/close-cost.js';
import { measureOfferLatency } from './bench/offer-latency.js';
import { percentile } from './bench/percentile.js';
import { startBenchServer } from './bench/server-process.js';
import { insertSignedInAgents } from './bench/signed-in-agents.js';

const { values: args } = parseArgs({
  options: {
    interactions: { type: 'string', default: '10000000' },
    customers: { type: 'string', default: '1000000' },
    agents: { type: 'string', default: '200' },
    queues: { type: 'string', default: '6' },
    months: { type: 'string', default: '13' },
    repeat: { type: 'string', default: '20' },
    closes: { type: 'string', default: '2000' },
    cps: { type: 'string', default: '5' },
    desks: { type: 'string', default: '50' },
    duration: { type: 'string', default: '15' },
  },
});
const REPEAT = Number(args.repeat);
const CLOSES = Number(args.closes);
const log = (line: string) => console.log(line);
const ms = (value: number) => `${value.toFixed(1)} ms`;

const { dataDir, file, now } = await reportDatabase(
  {
    interactions: Number(args.interactions),
    customers: Number(args.customers),
    agents: Number(args.agents),
    queues: Number(args.queues),
    months: Number(args.months),
    open: CLOSES,
  },
  log,
);

const close = measureCloseCost(file, CLOSES);
const sizeMb = databaseSizeMb(file);

const db = openDatabase({ file });
const [supervisorToken] = insertSignedInAgents(db, {
  count: 1,
  role: 'supervisor',
  usernamePrefix: `bench-sup-${randomUUID()}-`,
});
const deskTokens = insertSignedInAgents(db, {
  count: Number(args.desks),
  role: 'agent',
  usernamePrefix: `bench-desk-${randomUUID()}-`,
});
const queueId = db.prepare<[], number>('SELECT min(id) FROM call_queues').pluck().get()!;
const numbers = db
  .prepare<[], string>("SELECT e164 FROM customer_phones WHERE e164 LIKE '+1%'")
  .pluck()
  .all();
db.close();

const account = `AC${randomBytes(16).toString('hex')}`;
const token = randomBytes(16).toString('hex');
const fake = await startTwilioFake({
  accountSid: account,
  authToken: token,
  statusCallbacks: true,
  autoAnswer: { afterMs: 50 },
});
const server = await startBenchServer({
  dataDir,
  env: {
    TWILIO_ACCOUNT_SID: account,
    TWILIO_AUTH_TOKEN: token,
    TWILIO_CALLER_ID: DEMO_LINE,
    TWILIO_API_BASE_URL: fake.baseUrl,
  },
});
const { origin } = server;

const headers = { cookie: `cti_session=${supervisorToken}`, origin };
const get = async (path: string) => {
  const response = await fetch(`${origin}${path}`, { headers });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`${path}: ${response.status} ${body.slice(0, 200)}`);
  return body;
};

// Ranges end at the last full hour of the generated history.
const day = 86_400_000;
const monthStart = (ms: number, back: number) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - back, 1);
};
const iso = (value: number) => new Date(value).toISOString();
const range = (from: number, to: number) => `from=${iso(from)}&to=${iso(to)}`;
const yearByMonth = `/api/reports/summary?${range(monthStart(now, 12), monthStart(now, 0))}&interval=month&by=queue`;
const reports: [string, string][] = [
  ['year by month, all queues (by queue)', yearByMonth],
  [
    'month by 15 min, one queue',
    `/api/reports/summary?${range(monthStart(now, 1), monthStart(now, 0))}&interval=15min&queueId=${queueId}`,
  ],
  ['per agent, a quarter', `/api/reports/summary?${range(now - 90 * day, now)}&by=agent`],
  ['customers: repeat % and FCR, 90 days', `/api/reports/customers?${range(now - 90 * day, now)}`],
  ['staffing, one queue, a week', `/api/reports/staffing?${range(now - 7 * day, now)}&queueId=${queueId}`],
  [
    'drill-down first page (abandoned, a month)',
    `/api/reports/interactions?${range(now - 30 * day, now)}&metric=abandoned&limit=50`,
  ],
];

console.log(`\nreports over HTTP (${REPEAT} runs each after 2 warm-ups; server CPU per request):`);
for (const [name, path] of reports) {
  for (let i = 0; i < 2; i += 1) await get(path);
  const times: number[] = [];
  const cpuBefore = server.cpuMs();
  for (let i = 0; i < REPEAT; i += 1) {
    const started = performance.now();
    await get(path);
    times.push(performance.now() - started);
  }
  const cpu = (server.cpuMs() - cpuBefore) / REPEAT;
  console.log(
    `  ${name.padEnd(44)} p50 ${ms(percentile(times, 50)).padStart(9)}  p99 ${ms(percentile(times, 99)).padStart(9)}  CPU ${ms(cpu)}`,
  );
}

// CSV export: a year of contacts through the streamed route, as a supervisor downloads it.
{
  const path = `/api/reports/interactions.csv?${range(monthStart(now, 12), monthStart(now, 0))}&metric=contacts`;
  const cpuBefore = server.cpuMs();
  const started = performance.now();
  const response = await fetch(`${origin}${path}`, { headers });
  if (response.status !== 200) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  let lines = 0;
  const rssBefore = server.rssMb();
  let peakRss = rssBefore;
  const reader = response.body!.getReader();
  for (let part = await reader.read(); !part.done; part = await reader.read()) {
    for (let at = part.value.indexOf(10); at !== -1; at = part.value.indexOf(10, at + 1)) lines += 1;
    peakRss = Math.max(peakRss, server.rssMb());
  }
  const seconds = (performance.now() - started) / 1000;
  const rows = lines - 1;
  console.log(
    `  CSV export (a year of contacts): ${rows} rows in ${seconds.toFixed(1)} s = ${Math.round(rows / seconds)} rows/s (target ≥ 100,000); server RSS ${rssBefore.toFixed(0)} MB before, peak ${peakRss.toFixed(0)} MB (target < 300 MB); server CPU ${((server.cpuMs() - cpuBefore) / 1000).toFixed(1)} s`,
  );
}

console.log(`\ndatabase: ${sizeMb.toFixed(0)} MB (${file})`);
console.log(
  `closing an Interaction (in process, ${close.closes} closes): ${close.withoutMs.toFixed(3)} ms CPU without the rollup hook, ${close.withMs.toFixed(3)} ms with: rollups add ${(close.withMs - close.withoutMs).toFixed(3)} ms`,
);

const offers = await measureOfferLatency({
  origin,
  account,
  token,
  fake,
  deskTokens,
  numbers,
  cps: Number(args.cps),
  durationSeconds: Number(args.duration),
  databaseFile: file,
  serverCpuMs: () => server.cpuMs(),
  background: () => get(yearByMonth),
});
for (const phase of offers)
  console.log(
    `enqueue → offer ${phase.name.padEnd(28)} p50 ${ms(phase.p50)}  p99 ${ms(phase.p99)}  (${phase.offers} offers; ${phase.reports} reports run; server CPU ${phase.serverCpuPercent.toFixed(0)}% of a core)`,
  );
const [quiet, busy] = offers;
console.log(
  `offer p99 rise while a year-long report runs: ${(((busy!.p99 - quiet!.p99) / quiet!.p99) * 100).toFixed(0)}%`,
);

await server.stop();
await fake.close();
await deleteRedisKeys(server.redisPrefix);
process.exit(0);
