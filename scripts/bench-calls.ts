// Call-path benchmark: the server, the Twilio fake, simulated callers and N agents on socket.io, all
// on this machine. Prints calls/s sustained with zero lost calls, enqueue→offer latency at the
// agent's socket, webhook response times, RSS, and our webhook throughput against a bare Fastify
// route measured the same way.
//   npm run bench:calls -- --agents 2000 --cps 100 --duration 20
import { rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import Fastify from 'fastify';
import twilio from 'twilio';
import { openDatabase } from '../db/connection.js';
import { buildApp } from '../server/app.js';
import { deleteRedisKeys } from '../server/testing/harness.js';
import { startDeskBots } from './bench/desk-bots.js';
import { benchEnvironment } from './bench/bench-environment.js';
import { insertSignedInAgents } from './bench/signed-in-agents.js';
import { CALL_LOAD_OPTIONS, placePacedCalls } from './bench/paced-calls.js';
import { percentile } from './bench/percentile.js';

const { values: args } = parseArgs({
  options: {
    ...CALL_LOAD_OPTIONS,
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

const env = await benchEnvironment('calls', (db) =>
  insertSignedInAgents(db, { count: AGENTS, role: 'agent', usernamePrefix: 'bench' }),
);
const {
  account: ACCOUNT,
  token: TOKEN,
  dataDir,
  redisPrefix,
  fake,
  port,
  origin,
  config,
  arranged: tokens,
} = env;

const app = await buildApp(config);
await app.listen({ port, host: '127.0.0.1' });

// Agents: available at once, accept every offer at once, wrap up at once with no code.
const offerReceivedAt = new Map<number, number>();
const sockets = await startDeskBots(origin, tokens, (interactionId) => {
  if (!offerReceivedAt.has(interactionId)) offerReceivedAt.set(interactionId, Date.now());
});
console.log(`${AGENTS} agents available on socket.io`);

const { engine, started, calls } = await placePacedCalls(env, { cps: CPS, durationSeconds: DURATION });
const placedSeconds = (performance.now() - started) / 1000;
const transcripts = await Promise.all(calls);
const elapsed = (performance.now() - started) / 1000;
await new Promise((resolve) => setTimeout(resolve, 1500));

const check = openDatabase({ file: config.databaseFile });
const rows = check
  .prepare<
    [],
    { id: number; provider_call_id: string; state: string; outcome: string | null; queued_at: string | null }
  >("SELECT id, provider_call_id, state, outcome, queued_at FROM interactions WHERE provider = 'twilio'")
  .all();
check.close();
const byCall = new Map(rows.map((row) => [row.provider_call_id, row]));
const lost = transcripts.filter((t) => !byCall.has(t.callSid)).length;
const answered = transcripts.filter((t) => t.outcome === 'answered').length;
const failed = transcripts.filter((t) => t.outcome === 'failed').length;
const offerLatency = rows
  .filter((row) => row.queued_at && offerReceivedAt.has(row.id))
  .map((row) => offerReceivedAt.get(row.id)! - Date.parse(row.queued_at!));
const webhookMs = transcripts.flatMap((t) => t.webhooks.filter((w) => w.status !== null).map((w) => w.ms));
const rss = process.memoryUsage().rss / 1e6;

// Our webhook (a signed conference callback: signature check, dedupe in Redis) against a bare route.
const bare = Fastify();
bare.post('/hello', async () => 'hello');
await bare.listen({ port: 0, host: '127.0.0.1' });
const bareUrl = `http://127.0.0.1:${(bare.server.address() as AddressInfo).port}/hello`;
const bareRate = await throughput(
  async () => (await fetch(bareUrl, { method: 'POST', body: 'x=1' })).status,
  REQUESTS,
);
let sequence = 0;
const hookRate = await throughput(async () => {
  const params = {
    AccountSid: ACCOUNT,
    ConferenceSid: `CF${'0'.repeat(32)}`,
    StatusCallbackEvent: 'participant-join',
    SequenceNumber: String((sequence += 1)),
  };
  const url = `${origin}/twilio/conference-status`;
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilio.getExpectedTwilioSignature(TOKEN, url, params),
    },
    body: new URLSearchParams(params).toString(),
  });
  return response.status;
}, REQUESTS);

console.log(
  `\ncalls: ${transcripts.length} placed at ${(transcripts.length / placedSeconds).toFixed(1)}/s over ${placedSeconds.toFixed(1)} s; all ended after ${elapsed.toFixed(1)} s`,
);
console.log(
  `  answered ${answered}, failed ${failed}, lost (no interaction) ${lost}, interactions ${rows.length}`,
);
console.log(
  `  sustained with zero lost calls: ${lost === 0 && failed === 0 ? `${(transcripts.length / placedSeconds).toFixed(1)} calls/s` : 'NO (see above)'}`,
);
console.log(
  `enqueue → offer on the agent's socket: p50 ${ms(percentile(offerLatency, 50))}  p99 ${ms(percentile(offerLatency, 99))}  (${offerLatency.length} offers)`,
);
console.log(
  `webhook response (caller side, incl. TwiML): p50 ${ms(percentile(webhookMs, 50))}  p99 ${ms(percentile(webhookMs, 99))}  (${webhookMs.length} webhooks)`,
);
console.log(`RSS (server, fake, callers and ${AGENTS} agent sockets in one process): ${rss.toFixed(0)} MB`);
console.log(
  `throughput, same client, concurrency 32: bare Fastify ${bareRate.perSecond.toFixed(0)} req/s; our signed webhook ${hookRate.perSecond.toFixed(0)} req/s (${hookRate.failed} non-2xx); ratio ${(hookRate.perSecond / bareRate.perSecond).toFixed(2)}`,
);
console.log(`ACD invariants: ${JSON.stringify(await app.acd.checkInvariants())}`);

sockets.forEach((socket) => socket.disconnect());
await engine.close();
await bare.close();
await app.close();
await fake.close();
await deleteRedisKeys(redisPrefix);
rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
