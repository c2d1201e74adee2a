// Wallboard benchmark: supervisors watching the live views over socket.io while agents on
// socket.io take calls from simulated Twilio callers, all on this machine. Prints how long after an
// ACD event (a call queued or answered) supervisors hold a view computed after it (p50/p99),
// messages per second per supervisor and per room, CPU and RSS.
//   npm run bench:wallboard -- --supervisors 100 --agents 2000 --cps 100 --duration 20
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openDatabase } from '../db/connection.js';
import { buildApp } from '../server/app.js';
import type { SupervisionView } from '../server/realtime/realtime.events.js';
import { deleteRedisKeys } from '../server/testing/harness.js';
import { consoleSocket, startDeskBots, type ConsoleSocket } from './bench/desk-bots.js';
import { benchEnvironment } from './bench/bench-environment.js';
import { insertSignedInAgents } from './bench/signed-in-agents.js';
import { CALL_LOAD_OPTIONS, placePacedCalls } from './bench/paced-calls.js';
import { percentile } from './bench/percentile.js';

const { values: args } = parseArgs({
  options: {
    supervisors: { type: 'string', default: '100' },
    ...CALL_LOAD_OPTIONS,
    views: { type: 'string', default: 'queues,agents' },
  },
});
const SUPERVISORS = Number(args.supervisors);
const AGENTS = Number(args.agents);
const CPS = Number(args.cps);
const DURATION = Number(args.duration);
const VIEWS = args.views.split(',') as SupervisionView[];

const env = await benchEnvironment('wallboard', (db) => ({
  agentTokens: insertSignedInAgents(db, { count: AGENTS, role: 'agent', usernamePrefix: 'bench' }),
  supervisorTokens: insertSignedInAgents(db, {
    count: SUPERVISORS,
    role: 'supervisor',
    usernamePrefix: 'watcher',
  }),
}));
const {
  dataDir,
  redisPrefix,
  fake,
  port,
  origin,
  config,
  arranged: { agentTokens, supervisorTokens },
} = env;

const app = await buildApp(config);
await app.listen({ port, host: '127.0.0.1' });
const agentSockets = await startDeskBots(origin, agentTokens);
console.log(`${AGENTS} agents available on socket.io`);

/** Every message each supervisor got: when, which view, and when the server computed it. */
const received: { supervisor: number; view: SupervisionView; atMs: number; computedAtMs: number }[] = [];
const supervisorSockets: ConsoleSocket[] = [];
for (const [index, token] of supervisorTokens.entries()) {
  const socket = consoleSocket(origin, token);
  supervisorSockets.push(socket);
  socket.on('supervision:queues', (live) =>
    received.push({ supervisor: index, view: 'queues', atMs: Date.now(), computedAtMs: Date.parse(live.at) }),
  );
  socket.on('supervision:agents', (live) =>
    received.push({ supervisor: index, view: 'agents', atMs: Date.now(), computedAtMs: Date.parse(live.at) }),
  );
  await new Promise<void>((resolve) => socket.on('connect', resolve));
  for (const view of VIEWS) {
    await new Promise<void>((resolve) => socket.emit('supervision:join', { view }, () => resolve()));
  }
}
console.log(`${SUPERVISORS} supervisors watching ${VIEWS.join(' and ')}`);

const cpuBefore = process.cpuUsage();
const startedAtMs = Date.now();
const { engine, started, calls } = await placePacedCalls(env, { cps: CPS, durationSeconds: DURATION });
const transcripts = await Promise.all(calls);
await new Promise((resolve) => setTimeout(resolve, 1500));
const wallSeconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
const rss = process.memoryUsage().rss / 1e6;

// ACD events: each call queued and answered. For each, each view and each supervisor: the first
// message computed after it, and how long after the event it arrived.
const check = openDatabase({ file: config.databaseFile });
const events = check
  .prepare<[], { at: string }>(
    `SELECT queued_at AS at FROM interactions WHERE provider = 'twilio' AND queued_at IS NOT NULL
     UNION ALL SELECT answered_at FROM interactions WHERE provider = 'twilio' AND answered_at IS NOT NULL`,
  )
  .all()
  .map((row) => Date.parse(row.at));
check.close();
const latencies: number[] = [];
for (const view of VIEWS) {
  for (let s = 0; s < SUPERVISORS; s += 1) {
    const mine = received.filter((m) => m.supervisor === s && m.view === view && m.atMs >= startedAtMs);
    for (const event of events) {
      const first = mine.find((m) => m.computedAtMs >= event);
      if (first) latencies.push(first.atMs - event);
    }
  }
}
const during = received.filter((m) => m.atMs >= startedAtMs);
const perRoom = VIEWS.map((view) => {
  const counts = Array.from(
    { length: SUPERVISORS },
    (_, s) => during.filter((m) => m.view === view && m.supervisor === s).length,
  );
  return `${view} ${(Math.max(...counts) / wallSeconds).toFixed(2)}/s at most, ${(counts.reduce((a, b) => a + b, 0) / SUPERVISORS / wallSeconds).toFixed(2)}/s on average`;
});

console.log(
  `\n${transcripts.length} calls at ${CPS}/s for ${DURATION} s: ${transcripts.filter((t) => t.outcome === 'answered').length} answered`,
);
console.log(
  `ACD event → supervisor holds a view computed after it: p50 ${percentile(latencies, 50).toFixed(0)} ms  p99 ${percentile(latencies, 99).toFixed(0)} ms  (${events.length} events × ${SUPERVISORS} supervisors × ${VIEWS.length} views)`,
);
console.log(`messages per supervisor per room: ${perRoom.join('; ')}`);
console.log(
  `messages per supervisor: ${(during.length / SUPERVISORS / wallSeconds).toFixed(2)}/s over ${wallSeconds.toFixed(1)} s`,
);
console.log(
  `CPU (server, fake, callers, ${AGENTS} agent and ${SUPERVISORS} supervisor sockets in one process): ${(((cpu.user + cpu.system) / 1e6 / wallSeconds) * 100).toFixed(0)}% of one core; RSS ${rss.toFixed(0)} MB`,
);

for (const socket of [...agentSockets, ...supervisorSockets]) socket.disconnect();
await engine.close();
await app.close();
await fake.close();
await deleteRedisKeys(redisPrefix);
rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
