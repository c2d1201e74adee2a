// Wallboard benchmark: supervisors watching the live views over socket.io while agents on socket.io
// take calls from simulated Twilio callers, each part in a process of its own (see bench:calls).
// Prints how long after an ACD event (a call queued or answered) supervisors hold a view computed
// after it (p50/p99), messages per second per supervisor and per room, and the server's CPU per
// push (a view computed and sent to its room) and per call, RSS and socket messages.
//   npm run bench:wallboard -- --supervisors 100 --agents 2000 --cps 100 --duration 20
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { openDatabase } from '../db/connection.js';
import type { SupervisionView } from '../server/realtime/realtime.events.js';
import { startCallPath } from './bench/call-path-processes.js';
import { CALL_LOAD_OPTIONS } from './bench/paced-calls.js';
import { percentile } from './bench/percentile.js';

const { values: args } = parseArgs({
  options: {
    supervisors: { type: 'string', default: '100' },
    ...CALL_LOAD_OPTIONS,
    servers: { type: 'string', default: '1' },
    'desk-processes': { type: 'string', default: '1' },
    views: { type: 'string', default: 'queues,agents' },
  },
});
const SUPERVISORS = Number(args.supervisors);
const AGENTS = Number(args.agents);
const CPS = Number(args.cps);
const DURATION = Number(args.duration);
const VIEWS = args.views.split(',') as SupervisionView[];

const path = await startCallPath({
  name: 'wallboard',
  agents: AGENTS,
  supervisors: SUPERVISORS,
  servers: Number(args.servers),
  deskProcesses: Number(args['desk-processes']),
});
console.log(`${AGENTS} agents available on socket.io, ${path.servers.length} server process(es)`);
const { supervisorTokens, desks, share } = path;
let first = 0;
for (const [d, desk] of desks.entries()) {
  const tokens = share(supervisorTokens, d);
  await desk.call('startSupervisors', { ...path.consoles, tokens, views: VIEWS, first });
  first += tokens.length;
}
console.log(`${SUPERVISORS} supervisors watching ${VIEWS.join(' and ')}`);

const startedAtMs = Date.now();
const run = await path.measure(async () => {
  const placed = await path.placeCalls(CPS, DURATION);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  return placed;
});
const { calls } = run.result;
const received = (await Promise.all(desks.map((desk) => desk.call('viewsReceived', undefined)))).flat();

// ACD events: each call queued and answered. For each, each view and each supervisor: the first
// message computed after it, and how long after the event it arrived.
const check = openDatabase({ file: path.databaseFile });
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
      const firstAfter = mine.find((m) => m.computedAtMs >= event);
      if (firstAfter) latencies.push(firstAfter.atMs - event);
    }
  }
}
const during = received.filter((m) => m.atMs >= startedAtMs);
// A push is one view computed and sent to its room: the supervisors in it share its computed time.
const pushes = new Set(during.map((m) => `${m.view} ${m.computedAtMs}`)).size;
const perRoom = VIEWS.map((view) => {
  const counts = Array.from(
    { length: SUPERVISORS },
    (_, s) => during.filter((m) => m.view === view && m.supervisor === s).length,
  );
  return `${view} ${(Math.max(...counts) / run.seconds).toFixed(2)}/s at most, ${(counts.reduce((a, b) => a + b, 0) / SUPERVISORS / run.seconds).toFixed(2)}/s on average`;
});

console.log(
  `\n${calls.length} calls at ${CPS}/s for ${DURATION} s: ${calls.filter((c) => c.outcome === 'answered').length} answered`,
);
console.log(
  `ACD event → supervisor holds a view computed after it: p50 ${percentile(latencies, 50).toFixed(0)} ms  p99 ${percentile(latencies, 99).toFixed(0)} ms  (${events.length} events × ${SUPERVISORS} supervisors × ${VIEWS.length} views)`,
);
console.log(`messages per supervisor per room: ${perRoom.join('; ')}`);
console.log(
  `messages per supervisor: ${(during.length / SUPERVISORS / run.seconds).toFixed(2)}/s over ${run.seconds.toFixed(1)} s`,
);
console.log(
  `server (processes summed): CPU ${(run.serverCpuMs / run.seconds / 10) | 0}% of one core = ${(run.serverCpuMs / pushes).toFixed(1)} ms per push (all of it, calls included, ÷ ${pushes} pushes), ${(run.serverCpuMs / calls.length).toFixed(1)} ms per call; peak RSS ${run.peakRssMb.toFixed(0)} MB; ${(run.socketMessagesOut / run.seconds).toFixed(0)} socket messages/s sent`,
);
console.log(
  `machine: load average ${loadavg()
    .map((load) => load.toFixed(1))
    .join(
      ' ',
    )}; the server's event loop waited ${(run.serverCpuWaitMs / run.seconds / 10) | 0}% of the window for a CPU`,
);
console.log(
  `Redis: ${(run.redisCommands / calls.length).toFixed(1)} commands and ${(run.redisCpuMs / calls.length).toFixed(2)} ms CPU per call; load generator ${(run.loadCpuMs / run.seconds / 10) | 0}% of one core in its own processes`,
);

await path.close();
process.exit(0);
