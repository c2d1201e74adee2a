// Load simulator: a steady stream of simulated callers (Twilio's side played by a local fake) and
// bot agents against a RUNNING server. `npm run simulate -- --help` for the options.
//
// The server must send its Twilio REST calls to this script's fake, so start it with the
// environment this script prints (`npm run simulate -- --env`), then run the simulation.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import twilio from 'twilio';
import { FLOWS_DIR, flowForNumber, isOpen, loadFlows } from '../ivr/index.js';
import { startTwilioFake } from '../simulator/twilio-fake/index.js';
import { deliverVia } from '../simulator/callers/caller-engine.js';
import { startSimulation, type SimulationSummary } from '../simulator/simulation.js';

const HELP = `Usage: npm run simulate -- [options]

Drives a running server with simulated callers and bot agents, and prints counters every 5 s.

  --server URL            the running server (default http://127.0.0.1:3000)
  --public-base-url URL   the server's PUBLIC_BASE_URL, what webhooks are signed for (default: --server)
  --cps N                 mean calls per second, Poisson arrivals (default 1)
  --duration S            seconds of arrivals, then the calls in progress finish (default 60; 0: until Ctrl-C)
  --agents N              bot agents agent2 … agent(N+1); agent1 stays free for you (default 10; demo data has 20)
  --password P            the bots' password (default demo)
  --fake-port N           port of the Twilio REST fake (default 4010)
  --account-sid AC…       Twilio account the server is configured with (default: the simulator's)
  --auth-token T          its auth token (default: the simulator's)
  --caller-id +E164       TWILIO_CALLER_ID printed for the server (default +14155550100)
  --to +E164              the number callers dial, which picks the IVR flow (default +14155550199, the
                          demo line: no office hours; +14155550100 is the main line with them)
  --db FILE               SQLite file to read customers' numbers from, read-only (default ./data/cti.sqlite)
  --unknown X             share of callers from unknown numbers (default 0.1)
  --patience MIN-MAX      seconds callers wait for an agent (default 30-120)
  --talk MIN-MAX          seconds callers talk (default 10-60)
  --accept-delay MIN-MAX  ms before a bot accepts an offer (default 500-3000)
  --wrap-up MIN-MAX       ms of after-call work before a bot submits its wrap-up (default 1000-5000)
  --reject-rate X         share of offers the bots reject (default 0)
  --say-ms N              ms each IVR <Say> takes (default 300)
  --duplicates X          share of webhooks and status callbacks delivered twice, as Twilio retries (default 0)
  --reorder X             share of status callbacks delivered late, out of order (default 0)
  --seed N                seed of the callers' choices, to repeat a run
  --env                   print the environment the server needs, and exit
  --help

Exit status: 0 when every call ended without a failure and the server answered every webhook and
callback with 2xx; 1 otherwise.`;

const { values: args } = parseArgs({
  options: {
    server: { type: 'string', default: 'http://127.0.0.1:3000' },
    'public-base-url': { type: 'string' },
    cps: { type: 'string', default: '1' },
    duration: { type: 'string', default: '60' },
    agents: { type: 'string', default: '10' },
    password: { type: 'string', default: 'demo' },
    'fake-port': { type: 'string', default: '4010' },
    'account-sid': { type: 'string', default: `AC${'5e'.repeat(16)}` },
    'auth-token': { type: 'string', default: 'simulator-auth-token' },
    'caller-id': { type: 'string', default: '+14155550100' },
    to: { type: 'string', default: '+14155550199' },
    db: { type: 'string', default: join('data', 'cti.sqlite') },
    unknown: { type: 'string', default: '0.1' },
    patience: { type: 'string', default: '30-120' },
    talk: { type: 'string', default: '10-60' },
    'accept-delay': { type: 'string', default: '500-3000' },
    'wrap-up': { type: 'string', default: '1000-5000' },
    'reject-rate': { type: 'string', default: '0' },
    'say-ms': { type: 'string', default: '300' },
    duplicates: { type: 'string', default: '0' },
    reorder: { type: 'string', default: '0' },
    seed: { type: 'string' },
    env: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
  strict: true,
});

function fail(message: string): never {
  console.error(`simulate: ${message}`);
  process.exit(1);
}

function number(name: keyof typeof args, min: number, max = Infinity): number {
  const value = Number(args[name]);
  if (!Number.isFinite(value) || value < min || value > max)
    fail(`--${name} must be a number from ${min} to ${max}`);
  return value;
}

function range(name: keyof typeof args): [number, number] {
  const match = /^(\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))?$/.exec(String(args[name]));
  if (!match) fail(`--${name} must be MIN-MAX, like 10-60`);
  const min = Number(match[1]);
  const max = match[2] === undefined ? min : Number(match[2]);
  if (max < min) fail(`--${name}: MAX is below MIN`);
  return [min, max];
}

if (args.help) {
  console.log(HELP);
  process.exit(0);
}

const server = new URL(args.server).origin;
const publicBaseUrl = new URL(args['public-base-url'] ?? server).origin;
const fakePort = number('fake-port', 1, 65535);
const accountSid = args['account-sid'];
const authToken = args['auth-token'];
if (!/^AC[0-9a-f]{32}$/.test(accountSid)) fail('--account-sid must be AC followed by 32 hex digits');
const agentCount = number('agents', 0, 10_000);
const env = {
  TWILIO_ACCOUNT_SID: accountSid,
  TWILIO_AUTH_TOKEN: authToken,
  TWILIO_CALLER_ID: args['caller-id'],
  TWILIO_API_BASE_URL: `http://127.0.0.1:${fakePort}`,
  PUBLIC_BASE_URL: publicBaseUrl,
  // PUBLIC_BASE_URL turns demo mode off by default; the simulator signs in as the demo agents.
  DEMO: '1',
  // Every bot signs in from this one address.
  LOGIN_RATE_LIMIT_PER_MINUTE: String(Math.max(60, agentCount * 2)),
};
const envLine = Object.entries(env)
  .map(([name, value]) => `${name}=${value}`)
  .join(' ');

if (args.env) {
  console.log(envLine);
  process.exit(0);
}

console.log(`The server at ${server} must run with:\n\n  ${envLine} npm start\n`);

// --- is the server ready, and configured for this fake? ------------------------------------------

async function waitForServer(): Promise<void> {
  const deadline = Date.now() + 60_000;
  let said = false;
  for (;;) {
    const healthy = await fetch(`${server}/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) break;
    if (Date.now() > deadline) fail(`no healthy server at ${server}/health after 60 s`);
    if (!said) console.log(`Waiting for ${server} …`);
    said = true;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  // A signed status callback for a call the server does not know: 204 when it checks signatures
  // with our token and public URL, 403 when either differs, 404 without Twilio configured.
  const url = `${publicBaseUrl}/twilio/call-status`;
  const params = {
    AccountSid: accountSid,
    CallSid: `CA${randomBytes(16).toString('hex')}`,
    CallStatus: 'completed',
    SequenceNumber: '0',
  };
  const probe = await fetch(`${server}/twilio/call-status`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilio.getExpectedTwilioSignature(authToken, url, params),
    },
    body: new URLSearchParams(params).toString(),
  });
  if (probe.status === 404) fail('the server has no Twilio webhooks: start it with the environment above');
  if (probe.status === 403) {
    fail('the server refused our signature: its TWILIO_AUTH_TOKEN or PUBLIC_BASE_URL differ from the above');
  }
  if (probe.status >= 300) fail(`the server answered the probe webhook with ${probe.status}`);
}

async function officeWarning(): Promise<void> {
  const flow = flowForNumber(await loadFlows(FLOWS_DIR), args.to);
  for (const [id, node] of Object.entries(flow.nodes)) {
    if (node.type === 'business_hours' && !isOpen(node.calendar, new Date())) {
      console.log(
        `Note: flow "${flow.id}" is closed now (node ${id}, ${node.calendar.timeZone}): callers get the after-hours menu.\n`,
      );
    }
  }
}

// --- run -----------------------------------------------------------------------------------------

const line = (summary: SimulationSummary, fakeRequests: number, callbacks: number) => {
  const { counters: c, bots } = summary;
  const agentPart = bots
    ? ` | agents ${bots.connected}/${bots.signedIn} offers ${bots.offers} accepted ${bots.accepted} wrap-ups ${bots.wrapUps} refused ${bots.refused}`
    : '';
  return (
    `${summary.seconds.toFixed(0).padStart(5)} s  placed ${c.placed} active ${c.active} answered ${c.answered} ` +
    `abandoned ${c.abandoned} ivr ${c.endedInIvr} by-server ${c.endedByServer} failed ${c.failed}` +
    `${agentPart} | REST ${fakeRequests} callbacks ${callbacks}`
  );
};

await waitForServer();
await officeWarning();

const fake = await startTwilioFake({
  accountSid,
  authToken,
  port: fakePort,
  statusCallbacks: true,
  conferenceCallbacks: true,
  autoAnswer: { afterMs: 300 },
  delivery: { duplicate: number('duplicates', 0, 1), reorder: number('reorder', 0, 1) },
  ...(publicBaseUrl !== server && { deliver: deliverVia(server, publicBaseUrl) }),
}).catch((error: unknown) =>
  fail(
    `could not start the Twilio fake on port ${fakePort}: ${error instanceof Error ? error.message : String(error)}`,
  ),
);
console.log(`Twilio fake listening on ${fake.baseUrl}`);

const usernames = Array.from({ length: agentCount }, (_, i) => `agent${i + 2}`);
if (agentCount + 1 > 20)
  console.log(`Note: the demo data has agent1 … agent20; agent21 and up will not sign in.`);
const databaseFile = resolve(args.db);
if (!existsSync(databaseFile))
  console.log(`Note: no database at ${databaseFile}; every caller is unknown.\n`);
const durationSeconds = number('duration', 0);

const simulation = await startSimulation({
  serverBaseUrl: server,
  publicBaseUrl,
  fake,
  accountSid,
  authToken,
  ...(existsSync(databaseFile) && { databaseFile }),
  to: args.to,
  callsPerSecond: number('cps', 0.001),
  ...(durationSeconds > 0 && { durationSeconds }),
  agents: usernames,
  password: args.password,
  bots: {
    acceptDelayMs: range('accept-delay'),
    wrapUpDelayMs: range('wrap-up'),
    rejectRate: number('reject-rate', 0, 1),
    log: (message) => console.warn(`  bot ${message}`),
  },
  callerBehaviour: {
    patienceSeconds: range('patience'),
    talkSeconds: range('talk'),
    unknownShare: number('unknown', 0, 1),
    duplicateWebhooks: number('duplicates', 0, 1),
    behaviour: { sayMs: number('say-ms', 0), thinkMs: 500 },
  },
  ...(args.seed !== undefined && { seed: number('seed', 0) }),
}).catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));

console.log(
  `Simulating ${args.cps} calls/s for ${durationSeconds > 0 ? `${durationSeconds} s` : 'ever (Ctrl-C stops)'} ` +
    `with ${simulation.bots?.bots.length ?? 0} bot agents. Ctrl-C hangs up and prints the summary.\n`,
);
const ticker = setInterval(
  () => console.log(line(simulation.summary(), fake.requests.length, fake.deliveries.length)),
  5000,
);

const interrupted = new Promise<SimulationSummary>((resolve) => {
  let signals = 0;
  process.on('SIGINT', () => {
    signals += 1;
    if (signals > 1) process.exit(130);
    console.log('\nStopping: hanging up the calls in progress (Ctrl-C again to quit at once) …');
    void simulation.stop({ hangUp: true }).then(resolve);
  });
});
const summary = await Promise.race([simulation.done, interrupted]);
clearInterval(ticker);
await fake.close();

const { counters: c } = summary;
const percent = (n: number) => (c.placed === 0 ? '0%' : `${((100 * n) / c.placed).toFixed(1)}%`);
console.log(`
Summary after ${summary.seconds.toFixed(1)} s
  calls placed      ${c.placed}
  answered          ${c.answered} (${percent(c.answered)}), waited ${summary.meanWaitAnswered.toFixed(1)} s on average
  abandoned         ${c.abandoned} (${percent(c.abandoned)}), after ${summary.meanWaitAbandoned.toFixed(1)} s on average
  ended in the IVR  ${c.endedInIvr}
  ended by server   ${c.endedByServer}
  transferred       ${c.transferred}
  stopped           ${c.stopped} (hung up when the simulation stopped)
  failed            ${c.failed}
  REST requests     ${fake.requests.length}
  callbacks sent    ${fake.deliveries.length}, not 2xx: ${JSON.stringify(summary.callbackFailures)}
  webhooks not 2xx  ${JSON.stringify(summary.webhookFailures)}`);
if (summary.bots) {
  const b = summary.bots;
  console.log(
    `  bot agents        ${b.signedIn} signed in; offers ${b.offers}, accepted ${b.accepted}, rejected ${b.rejected}, wrap-ups ${b.wrapUps}, refused ${b.refused}`,
  );
}
for (const failure of summary.failures)
  console.log(`  failed ${failure.callSid}: ${failure.errors.join('; ')}`);

const clean =
  c.failed === 0 &&
  Object.keys(summary.callbackFailures).length === 0 &&
  Object.keys(summary.webhookFailures).length === 0;
process.exit(clean ? 0 : 1);
