// Call-path benchmark with every part in a process of its own: the server (server/main.ts, one or
// --servers N sharing Redis and the SQLite file), Twilio (the REST fake and the simulated callers),
// the N agents' desk bots on socket.io. Prints calls/s sustained with zero lost calls, enqueue→offer
// latency at the agent's socket, webhook response times, and what each call cost the server: CPU
// (from /proc), RSS, SQLite statements, socket.io messages, webhooks, Redis commands and Redis CPU
// (INFO deltas of a private redis-server); then our signed webhook against a bare Fastify route.
//   npm run bench:calls -- --agents 1000 --cps 50 --duration 20 [--servers 2]
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import twilio from 'twilio';
import { openDatabase } from '../db/connection.js';
import type { BareFastify } from './bench/bare-fastify.process.js';
import { forkBenchProcess } from './bench/bench-process.js';
import { startCallPath } from './bench/call-path-processes.js';
import { CALL_LOAD_OPTIONS } from './bench/paced-calls.js';
import { percentile } from './bench/percentile.js';
import { processCpuMs } from './bench/server-process.js';

const { values: args } = parseArgs({
  options: {
    ...CALL_LOAD_OPTIONS,
    servers: { type: 'string', default: '1' },
    'desk-processes': { type: 'string', default: '1' },
    requests: { type: 'string', default: '5000' },
  },
});
const AGENTS = Number(args.agents);
const CPS = Number(args.cps);
const DURATION = Number(args.duration);
const REQUESTS = Number(args.requests);

const ms = (value: number) => `${value.toFixed(1)} ms`;

/** Requests/s of `send` at a fixed concurrency: the same load tool for both routes. */
async function throughput(send: () => Promise<number>, total: number, concurrency = 32) {
  let done = 0;
  let failed = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (done < total) {
        done += 1;
        if ((await send()) >= 300) failed += 1;
      }
    }),
  );
  return { perSecond: total / ((performance.now() - started) / 1000), failed };
}

const path = await startCallPath({
  name: 'calls',
  agents: AGENTS,
  supervisors: 0,
  servers: Number(args.servers),
  deskProcesses: Number(args['desk-processes']),
});
console.log(
  `${AGENTS} agents available on socket.io (${args['desk-processes']} desk process(es)), ${path.servers.length} server process(es)`,
);

// What the servers spend with the agents signed in and no call (timers, jobs, socket pings): part of
// every per-call figure below, and most of it at low call rates.
const idle = await path.measure(() => new Promise((resolve) => setTimeout(resolve, 3000)));
const run = await path.measure(() => path.placeCalls(CPS, DURATION));
const { placedSeconds, endedSeconds, calls } = run.result;
// Wrap-ups and the last pushes land after the callers hang up; they are not part of the window.
await new Promise((resolve) => setTimeout(resolve, 1500));

const check = openDatabase({ file: path.databaseFile });
const rows = check
  .prepare<[], { id: number; provider_call_id: string; queued_at: string | null }>(
    "SELECT id, provider_call_id, queued_at FROM interactions WHERE provider = 'twilio'",
  )
  .all();
check.close();
const offerAt = new Map((await Promise.all(path.desks.map((desk) => desk.call('offers', undefined)))).flat());
const byCall = new Map(rows.map((row) => [row.provider_call_id, row]));
const lost = calls.filter((call) => !byCall.has(call.callSid)).length;
const answered = calls.filter((call) => call.outcome === 'answered').length;
const failed = calls.filter((call) => call.outcome === 'failed').length;
const offerLatency = rows
  .filter((row) => row.queued_at && offerAt.has(row.id))
  .map((row) => offerAt.get(row.id)! - Date.parse(row.queued_at!));
const webhookMs = calls.flatMap((call) => call.webhookMs);
const n = calls.length;
const perCall = (value: number, digits = 1) => (value / n).toFixed(digits);
/** Per call, less what the idle rate would have spent over the window anyway. */
const withoutIdle = (spent: number, idleSpent: number) =>
  (spent - (idleSpent / idle.seconds) * run.seconds) / n;

console.log(
  `\ncalls: ${n} placed at ${(n / placedSeconds).toFixed(1)}/s over ${placedSeconds.toFixed(1)} s; all ended after ${endedSeconds.toFixed(1)} s`,
);
console.log(
  `  answered ${answered}, failed ${failed}, lost (no interaction) ${lost}, interactions ${rows.length}`,
);
const reasons = new Map<string, number>();
for (const error of calls.flatMap((call) => call.errors)) {
  const reason = error.replace(/\d+/g, 'N');
  reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
}
for (const [reason, count] of [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 3))
  console.log(`  ${count} × ${reason}`);
console.log(
  `  sustained with zero lost calls: ${lost === 0 && failed === 0 ? `${(n / placedSeconds).toFixed(1)} calls/s` : 'NO (see above)'}`,
);
console.log(
  `enqueue → offer on the agent's socket: p50 ${ms(percentile(offerLatency, 50))}  p99 ${ms(percentile(offerLatency, 99))}  (${offerLatency.length} offers)`,
);
console.log(
  `webhook response (caller side, incl. TwiML): p50 ${ms(percentile(webhookMs, 50))}  p99 ${ms(percentile(webhookMs, 99))}  (${webhookMs.length} webhooks)`,
);
console.log(
  `idle, before the calls: server ${(idle.serverCpuMs / idle.seconds / 10) | 0}% of one core, Redis ${(idle.redisCommands / idle.seconds).toFixed(0)} commands/s, SQLite ${(idle.sqliteStatements / idle.seconds).toFixed(0)} statements/s`,
);
console.log(
  `per call, over the ${run.seconds.toFixed(1)} s the calls ran (server processes summed, idle included):`,
);
console.log(
  `  server CPU ${ms(run.serverCpuMs / n)} (${(run.serverCpuMs / run.seconds / 10) | 0}% of one core; ${ms(withoutIdle(run.serverCpuMs, idle.serverCpuMs))} without the idle rate); peak server RSS ${run.peakRssMb.toFixed(0)} MB`,
);
console.log(
  `  Redis: ${perCall(run.redisCommands)} commands (${perCall(run.redisScripts)} of them scripts, which also count each command they run; ${withoutIdle(run.redisCommands, idle.redisCommands).toFixed(1)} without the idle rate), ${ms(run.redisCpuMs / n)} Redis CPU`,
);
console.log(
  `  SQLite statements ${perCall(run.sqliteStatements)}; socket.io messages ${perCall(run.socketMessagesOut)} sent, ${perCall(run.socketMessagesIn)} received; Twilio webhooks ${perCall(run.twilioWebhooks)}`,
);
console.log(
  `  machine: load average ${loadavg()
    .map((load) => load.toFixed(1))
    .join(
      ' ',
    )}; the server's event loop waited ${(run.serverCpuWaitMs / run.seconds / 10) | 0}% of the window for a CPU held by other processes`,
);
console.log(
  `  load generator (Twilio fake + callers, desk bots): ${(run.loadCpuMs / run.seconds / 10) | 0}% of one core, in its own processes`,
);
console.log(`ACD invariants: ${JSON.stringify(await path.acdInvariants())}`);

// Our webhook (a signed conference callback: signature check, dedupe in Redis) against a bare route,
// each in a process of its own, from the same client in this process.
const bare = forkBenchProcess<BareFastify>(new URL('./bench/bare-fastify.process.ts', import.meta.url));
const bareUrl = await bare.call('listen', undefined);
let cpuBefore = processCpuMs(bare.pid);
const bareRate = await throughput(
  async () => (await fetch(bareUrl, { method: 'POST', body: 'x=1' })).status,
  REQUESTS,
);
const bareCpuMs = (processCpuMs(bare.pid) - cpuBefore) / REQUESTS;
const [server] = path.servers;
const { accountSid, authToken } = path.account;
let sequence = 0;
cpuBefore = server!.cpuMs();
const hookRate = await throughput(async () => {
  const params = {
    AccountSid: accountSid,
    ConferenceSid: `CF${'0'.repeat(32)}`,
    StatusCallbackEvent: 'participant-join',
    SequenceNumber: String((sequence += 1)),
  };
  const url = `${server!.origin}/twilio/conference-status`;
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilio.getExpectedTwilioSignature(authToken, url, params),
    },
    body: new URLSearchParams(params).toString(),
  });
  return response.status;
}, REQUESTS);
const hookCpuMs = (server!.cpuMs() - cpuBefore) / REQUESTS;
console.log(
  `throughput, same client, concurrency 32: bare Fastify ${bareRate.perSecond.toFixed(0)} req/s at ${(bareCpuMs * 1000).toFixed(0)} µs CPU each; our signed webhook ${hookRate.perSecond.toFixed(0)} req/s at ${(hookCpuMs * 1000).toFixed(0)} µs CPU each (${hookRate.failed} non-2xx); ratio ${(hookRate.perSecond / bareRate.perSecond).toFixed(2)}`,
);

await bare.call('close', undefined);
await bare.stop();
await path.close();
process.exit(0);
