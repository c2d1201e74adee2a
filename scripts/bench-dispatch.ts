// ACD dispatch benchmark: for each routing strategy and each number of available agents in one
// CallQueue, takes calls through the ACD API (enqueue → dispatch → accept → end) on a redis-server of
// its own and prints, per call, the Redis commands executed (those inside scripts included), Redis CPU
// and script time, beside this process's CPU. The point: Redis work per call does not grow with agents.
//   npm run bench:dispatch -- --agents 100,1000,5000 --calls 300 --strategies least_occupied
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { createAcd, type RoutingStrategy } from '../queues/index.js';
import { startPrivateRedis } from './bench/private-redis.js';
import { createRng } from './fuzz/prng.js';

const STRATEGIES: RoutingStrategy[] = ['longest_idle', 'least_occupied', 'skills_best_match', 'round_robin'];
const { values: args } = parseArgs({
  options: {
    agents: { type: 'string', default: '100,1000,5000' },
    calls: { type: 'string', default: '300' },
    strategies: { type: 'string', default: STRATEGIES.join(',') },
  },
});
const AGENT_COUNTS = args.agents.split(',').map(Number);
const CALLS = Number(args.calls);
const WARM_UP_CALLS = 10;

// Seeded, so every run measures the same agents and talk times.
const rng = createRng(42);
const random = (n: number) => rng.int(0, n - 1);

const server = await startPrivateRedis();
const redis = new Redis(server.url);
let nowMs = Date.parse('2026-11-22T09:00:00Z');
const acd = createAcd({ redis, prefix: 'bench:acd:', clock: { now: () => new Date(nowMs) } });

/** One queue needing two skills and `agents` agents available for it, every one a little idle. */
async function fill(strategy: RoutingStrategy, agents: number) {
  await redis.flushall();
  await acd.upsertQueue({
    id: 1,
    priority: 0,
    tierBoost: { platinum: 120, gold: 60, silver: 20, bronze: 0 },
    strategy,
    requiredSkills: [
      { skill: 'billing', minProficiency: 1 },
      { skill: 'mandarin', minProficiency: 1 },
    ],
    ringTimeoutSeconds: 20,
    acwPolicy: 'none',
    acwSeconds: null,
  });
  const BATCH = 500;
  for (let first = 1; first <= agents; first += BATCH) {
    const ids = Array.from({ length: Math.min(BATCH, agents - first + 1) }, (_, i) => first + i);
    await Promise.all(
      ids.map(async (id) => {
        await acd.setAgentProfile({
          id,
          skills: [
            { skill: 'billing', proficiency: 1 + random(5) },
            { skill: 'mandarin', proficiency: 1 + random(5) },
          ],
        });
        await acd.agentEvent(id, 'login');
        await acd.agentEvent(id, 'go_available');
      }),
    );
    nowMs += 1000;
  }
}

let interactionId = 0;
/** One call from enqueue to hang-up: offered, accepted, talked for 30 s to 5 min. */
async function takeCall() {
  const id = ++interactionId;
  await acd.enqueue({ interactionId: id, queueId: 1, tier: 'bronze' });
  const [offer] = await acd.dispatch();
  if (!offer) throw new Error('no agent was offered the call');
  await acd.acceptReservation(offer.id, offer.agentId);
  nowMs += 30_000 + random(270_000);
  await acd.endCall(id);
  nowMs += 1000;
}

console.log(`ACD dispatch, ${CALLS} calls per row, load average ${loadavg()[0]!.toFixed(2)} before`);
console.log(
  'strategy           agents  commands/call  Redis CPU ms/call  script ms/call  client CPU ms/call',
);
for (const strategy of args.strategies.split(',') as RoutingStrategy[]) {
  for (const agents of AGENT_COUNTS) {
    await fill(strategy, agents);
    for (let i = 0; i < WARM_UP_CALLS; i++) await takeCall();
    const before = await server.stats();
    const cpuBefore = process.cpuUsage();
    for (let i = 0; i < CALLS; i++) await takeCall();
    const cpu = process.cpuUsage(cpuBefore);
    const after = await server.stats();
    const violations = await acd.checkInvariants();
    if (violations.length > 0) throw new Error(`invariants broken: ${violations.join('; ')}`);
    const perCall = (value: number) => value / CALLS;
    console.log(
      [
        strategy.padEnd(17),
        String(agents).padStart(7),
        perCall(after.commands - before.commands)
          .toFixed(1)
          .padStart(14),
        perCall(after.cpuMs - before.cpuMs)
          .toFixed(3)
          .padStart(18),
        perCall(after.scriptMs - before.scriptMs)
          .toFixed(3)
          .padStart(15),
        perCall((cpu.user + cpu.system) / 1000)
          .toFixed(3)
          .padStart(19),
      ].join(' '),
    );
  }
}
console.log(`load average ${loadavg()[0]!.toFixed(2)} after`);
redis.disconnect();
await server.stop();
