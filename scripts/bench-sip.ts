// SIP call-path benchmark, all on this machine: SIPp callers → our Kamailio → our server's routing
// hook and ACD → N agents whose offers are accepted for them (auto-accept; `--desk-accept`: desk bots
// on socket.io click Accept instead) → N SIP.js softphones in Node that answer. The agents run in a
// process of their own: real agents are not on the server's event loop. Steps up the call rate and
// prints, per rate, calls completed and failed and INVITE→200 p50/p99; then the same through Kamailio
// ringing a softphone directly, without our server, as the baseline that shows what the hook costs.
// Dialog events are pushed over evapi (`--events hook`: by the HTTP hook, as without SIP_EVAPI_PORT).
//   npm run bench:sip -- --agents 20 --rates 5,10,20,40 --seconds 5
import { createHash, randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openDatabase } from '../db/connection.js';
import { migrate } from '../db/migrate.js';
import { buildApp } from '../server/app.js';
import type { SipConfig } from '../server/config.js';
import { renderKamailioConfig, startKamailio, type RunningKamailio } from '../server/telephony/index.js';
import { createSipCredentials } from '../server/telephony/sip/sip-credentials.js';
import { deleteRedisKeys, freePort } from '../server/testing/harness.js';
import { missingSipPeers } from '../server/testing/sipp.js';
import { benchServerConfig } from './bench/bench-environment.js';
import { startSipAgents } from './bench/sip-agents.js';
import { percentile } from './bench/percentile.js';

const { values: args } = parseArgs({
  options: {
    agents: { type: 'string', default: '20' },
    rates: { type: 'string', default: '5,10,20,40' },
    seconds: { type: 'string', default: '5' },
    talk: { type: 'string', default: '500' },
    workers: { type: 'string', default: '8' },
    // Agents click Accept on the desk (a socket.io round trip per call) instead of auto-accept.
    'desk-accept': { type: 'boolean', default: false },
    // Dialog events pushed over evapi (SIP_EVAPI_PORT, as recommended in production), or `hook`:
    // every event by the HTTP hook, the default when SIP_EVAPI_PORT is not set.
    events: { type: 'string', default: 'push' },
  },
});
const AGENTS = Number(args.agents);
const RATES = args.rates.split(',').map(Number);
const SECONDS = Number(args.seconds);
const TALK_MS = Number(args.talk);
const DESK_ACCEPT = args['desk-accept'];
if (args.events !== 'push' && args.events !== 'hook') throw new Error('--events is push or hook');
const PUSH = args.events === 'push';
const DOMAIN = 'bench.cti';
const SECRET = randomBytes(24).toString('hex');
const SCENARIO = fileURLToPath(
  new URL('../server/telephony/sip/fixtures/caller-hangs-up.xml', import.meta.url),
);

const missing = missingSipPeers();
if (missing) {
  console.error(`bench:sip needs Kamailio and SIPp: ${missing}`);
  process.exit(1);
}

interface Step {
  rate: number;
  ok: number;
  failed: number;
  /** SIPp's nonzero Failed* counters (why calls failed), e.g. `TimeoutOnRecv 12`. */
  why: string;
  p50: number;
  p99: number;
}

/** One SIPp run at `rate` calls/s for SECONDS; INVITE→200 from its per-call response-time trace. */
async function sippStep(proxy: string, to: string, rate: number): Promise<Step> {
  const dir = mkdtempSync(join(tmpdir(), 'cti-bench-sipp-'));
  const calls = Math.max(1, Math.round(rate * SECONDS));
  const child = spawn(
    'sipp',
    [
      proxy,
      '-sf',
      SCENARIO,
      '-s',
      to,
      '-set',
      'caller',
      '+14155550123',
      '-i',
      '127.0.0.1',
      '-p',
      String(await freePort()),
      '-r',
      String(rate),
      '-m',
      String(calls),
      '-l',
      String(AGENTS * 2),
      '-d',
      String(TALK_MS),
      '-timeout',
      String(SECONDS + 60) + 's',
      '-timeout_error',
      '-trace_rtt',
      '-rtt_freq',
      '1',
      '-trace_stat',
      '-fd',
      '1',
    ],
    { cwd: dir, stdio: ['ignore', 'ignore', 'ignore'] },
  );
  await new Promise((resolve) => child.on('exit', resolve));
  const read = (suffix: string) => {
    const file = readdirSync(dir).find((name) => name.endsWith(suffix));
    return file ? readFileSync(join(dir, file), 'utf8').trim().split('\n') : [];
  };
  // rtt.csv: date_ms;response_time_ms;rtd_no — rtd 1 is INVITE→200 (rtd="true" in the scenario).
  const rtts = read('_rtt.csv')
    .slice(1)
    .map((line) => line.split(';'))
    .filter((cells) => cells[2] === '1')
    .map((cells) => Number(cells[1]));
  const stats = read('.csv').filter((line) => !line.endsWith('_rtt.csv'));
  const header = stats[0]?.split(';') ?? [];
  const last = stats.at(-1)?.split(';') ?? [];
  const cell = (name: string) => Number(last[header.indexOf(name)] ?? NaN);
  rmSync(dir, { recursive: true, force: true });
  return {
    rate,
    ok: cell('SuccessfulCall(C)'),
    failed: cell('FailedCall(C)'),
    why: header
      .filter((name) => /^Failed.+\(C\)$/.test(name) && name !== 'FailedCall(C)' && cell(name) > 0)
      .map((name) => `${name.slice('Failed'.length, -'(C)'.length)} ${cell(name)}`)
      .join(', '),
    p50: percentile(rtts, 50),
    p99: percentile(rtts, 99),
  };
}

function print(title: string, steps: Step[]) {
  console.log(`\n${title}`);
  console.log('calls/s  completed  failed  INVITE→200 p50  p99');
  for (const s of steps) {
    console.log(
      `${String(s.rate).padStart(7)}  ${String(s.ok).padStart(9)}  ${String(s.failed).padStart(6)}  ` +
        `${s.p50.toFixed(1).padStart(11)} ms  ${s.p99.toFixed(1)} ms${s.why ? `  (${s.why})` : ''}`,
    );
  }
  const clean = steps.filter((s) => s.failed === 0 && s.ok > 0).at(-1);
  console.log(`highest rate with zero failures: ${clean ? `${clean.rate} calls/s` : 'none'}`);
}

async function withKamailio(
  sip: SipConfig,
  directRouting: boolean,
  work: (k: RunningKamailio) => Promise<void>,
) {
  const kamailio = await startKamailio({
    config: renderKamailioConfig(sip, { logLevel: 0, directRouting }),
    controlPort: sip.controlPort,
    sharedSecret: sip.sharedSecret,
  });
  try {
    await work(kamailio);
  } finally {
    await kamailio.stop();
  }
}

const { dataDir, redisPrefix, port, origin, config } = await benchServerConfig('sip', async (origin) => ({
  DEMO: '0',
  SIP_SHARED_SECRET: SECRET,
  // Every benchmark caller comes from 127.0.0.1: the flood check would measure itself.
  SIP_FLOOD_LIMIT: '0',
  SIP_WORKERS: args.workers,
  SIP_DOMAIN: DOMAIN,
  SIP_PORT: String(await freePort()),
  SIP_WS_PORT: String(await freePort()),
  SIP_CONTROL_PORT: String(await freePort()),
  SIP_CTI_URL: origin,
  ...(PUSH && { SIP_EVAPI_PORT: String(await freePort()) }),
}));
const sip = config.sip!;

// Agents signed in by session rows, in a queue without after-call work.
const db = openDatabase({ file: config.databaseFile });
migrate(db);
const now = new Date();
const tokens: string[] = [];
db.transaction(() => {
  db.prepare(
    "INSERT INTO call_queues (name, acw_policy, created_at, updated_at) VALUES ('Support', 'none', ?, ?)",
  ).run(now.toISOString(), now.toISOString());
  for (let i = 0; i < AGENTS; i += 1) {
    const id = Number(
      db
        .prepare(
          `INSERT INTO agents (username, display_name, role, password_hash, sip_address, auto_accept, created_at, updated_at)
           VALUES (?, ?, 'agent', 'x', ?, ?, ?, ?)`,
        )
        .run(
          `bench${i}`,
          `Bench ${i}`,
          `sip:bench${i}@${DOMAIN}`,
          DESK_ACCEPT ? 0 : 1,
          now.toISOString(),
          now.toISOString(),
        ).lastInsertRowid,
    );
    const token = randomBytes(32).toString('base64url');
    db.prepare('INSERT INTO sessions (token_hash, agent_id, created_at, expires_at) VALUES (?, ?, ?, ?)').run(
      createHash('sha256').update(token).digest('hex'),
      id,
      now.toISOString(),
      new Date(now.getTime() + 86_400_000).toISOString(),
    );
    tokens.push(token);
  }
})();
db.close();

const app = await buildApp(config);
await app.listen({ port, host: '127.0.0.1' });
const credentials = createSipCredentials({ sharedSecret: SECRET, domain: DOMAIN, ttlHours: 1 });
const proxy = `127.0.0.1:${sip.sipPort}`;

const issued = () => tokens.map((_token, i) => credentials.issue(`bench${i}`, new Date()));

const hooked: Step[] = [];
const direct: Step[] = [];
let softphoneErrors = 0;
try {
  await withKamailio(sip, false, async () => {
    const agents = await startSipAgents({
      wsUrl: sip.wsUrl,
      credentials: issued(),
      desks: { origin, tokens, acceptOffers: DESK_ACCEPT },
    });
    // Our evapi client retries with a doubling wait of at most 5 s: by then it is connected.
    if (PUSH) await new Promise((resolve) => setTimeout(resolve, 5500));
    console.log(
      `${AGENTS} agents available, softphones registered, offers accepted ` +
        `${DESK_ACCEPT ? 'on the desk' : 'for them (auto-accept)'}; dialog events ` +
        `${PUSH ? 'pushed over evapi' : 'by the HTTP hook'}; ${SECONDS} s per rate, ${TALK_MS} ms talk`,
    );
    for (const rate of RATES) {
      hooked.push(await sippStep(proxy, '100', rate));
      console.log(`  through our server at ${rate} calls/s: done`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    softphoneErrors += await agents.stop();
  });
  await withKamailio(sip, true, async () => {
    const agents = await startSipAgents({ wsUrl: sip.wsUrl, credentials: issued() });
    for (const rate of RATES) {
      direct.push(await sippStep(proxy, 'bench0', rate));
      console.log(`  direct at ${rate} calls/s: done`);
    }
    softphoneErrors += await agents.stop();
  });
} finally {
  const row = openDatabase({ file: config.databaseFile })
    .prepare("SELECT COUNT(*) AS n, SUM(state = 'completed') AS done FROM interactions")
    .get() as { n: number; done: number };
  await app.close();
  await deleteRedisKeys(redisPrefix);
  rmSync(dataDir, { recursive: true, force: true });
  print(
    `Through our routing hook and the ACD, offers accepted ${DESK_ACCEPT ? 'on the desk' : 'for the agents'} (SIPp → Kamailio → server → softphone)`,
    hooked,
  );
  print('Kamailio ringing the softphone directly (no server)', direct);
  console.log(
    `\nInteractions: ${row.n} recorded, ${row.done} completed; SIP.js lost-ACK errors: ${softphoneErrors}`,
  );
}
