import { randomBytes, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { Redis } from 'ioredis';
import { openDatabase } from '../../db/connection.js';
import { systemClock } from '../../server/clock.js';
import { installationId } from '../../server/plugins/installation.repository.js';
import { DEMO_LINE } from '../../simulator/demo-traffic.js';
import { createAcd } from '../../queues/index.js';
import { benchData } from './bench-environment.js';
import { forkBenchProcess } from './bench-process.js';
import type { DeskLoad } from './desk-load.process.js';
import { seededCallerNumbers } from './paced-calls.js';
import { startPrivateRedis } from './private-redis.js';
import { readServerCounters } from './server-counters.js';
import { processCpuMs, startBenchServer } from './server-process.js';
import { insertSignedInAgents } from './signed-in-agents.js';
import type { TwilioLoad } from './twilio-load.process.js';

export interface CallPathOptions {
  name: string;
  agents: number;
  supervisors: number;
  /** Server processes sharing the Redis and the SQLite file; webhooks and consoles go to each in turn. */
  servers: number;
  /** Processes the agents' and supervisors' sockets are spread over. */
  deskProcesses: number;
}

/**
 * The Twilio call path with every part in a process of its own: N server processes (server/main.ts,
 * with BENCH_COUNTERS) on a private redis-server, Twilio (the fake and the callers) in one process,
 * the agents' and supervisors' consoles in others. `measure` runs some load and answers what the
 * servers and Redis spent on it.
 */
export async function startCallPath(options: CallPathOptions) {
  const { dataDir, databaseFile, arranged } = await benchData(options.name, (db) => ({
    agentTokens: insertSignedInAgents(db, { count: options.agents, role: 'agent', usernamePrefix: 'bench' }),
    supervisorTokens: insertSignedInAgents(db, {
      count: options.supervisors,
      role: 'supervisor',
      usernamePrefix: 'watcher',
    }),
  }));
  const redis = await startPrivateRedis();
  const twilio = forkBenchProcess<TwilioLoad>(new URL('./twilio-load.process.ts', import.meta.url));
  const accountSid = `AC${randomBytes(16).toString('hex')}`;
  const authToken = randomBytes(16).toString('hex');
  const env = {
    REDIS_URL: redis.url,
    BENCH_COUNTERS: '1',
    TWILIO_ACCOUNT_SID: accountSid,
    TWILIO_AUTH_TOKEN: authToken,
    TWILIO_CALLER_ID: DEMO_LINE,
    TWILIO_API_BASE_URL: await twilio.call('startFake', { accountSid, authToken }),
  };
  const redisPrefix = `bench:${randomUUID()}:`;
  // The first migrates the database; the others share its public origin, as behind a load balancer.
  const first = await startBenchServer({ dataDir, redisPrefix, env });
  const servers = [first];
  while (servers.length < options.servers) {
    servers.push(
      await startBenchServer({ dataDir, redisPrefix, env: { ...env, PUBLIC_BASE_URL: first.origin } }),
    );
  }
  const serverOrigins = servers.map((server) => server.origin);
  const consoles = { serverOrigins, pageOrigin: first.origin };
  const desks = Array.from({ length: options.deskProcesses }, () =>
    forkBenchProcess<DeskLoad>(new URL('./desk-load.process.ts', import.meta.url)),
  );
  const share = (tokens: string[], d: number) => tokens.filter((_, i) => i % desks.length === d);
  await Promise.all(
    desks.map((desk, d) => desk.call('startAgents', { ...consoles, tokens: share(arranged.agentTokens, d) })),
  );
  const loadPids = [twilio.pid, ...desks.map((desk) => desk.pid)];
  const numbers = seededCallerNumbers(databaseFile);

  const snapshot = async () => ({
    at: performance.now(),
    serverCpuMs: servers.reduce((sum, server) => sum + server.cpuMs(), 0),
    serverCpuWaitMs: servers.reduce((sum, server) => sum + server.cpuWaitMs(), 0),
    loadCpuMs: loadPids.reduce((sum, pid) => sum + processCpuMs(pid), 0),
    redis: await redis.stats(),
    counters: await readServerCounters(serverOrigins),
  });

  return {
    databaseFile,
    /** The Twilio account the servers and the fake share: webhooks are signed with its token. */
    account: { accountSid, authToken },
    servers,
    desks,
    supervisorTokens: arranged.supervisorTokens,
    consoles,
    share,

    /** `cps` calls a second for `durationSeconds` through the servers in turn, until every one ended. */
    placeCalls: (cps: number, durationSeconds: number) =>
      twilio.call('placeCalls', { ...consoles, publicOrigin: first.origin, numbers, cps, durationSeconds }),

    /** Runs `load`, then what the servers, their Redis and the load processes spent while it ran. */
    async measure<T>(load: () => Promise<T>) {
      const before = await snapshot();
      let peakRssMb = 0;
      const sampleRss = () =>
        (peakRssMb = Math.max(
          peakRssMb,
          servers.reduce((sum, server) => sum + server.rssMb(), 0),
        ));
      const sampler = setInterval(sampleRss, 250);
      const result = await load();
      clearInterval(sampler);
      sampleRss();
      const after = await snapshot();
      return {
        result,
        seconds: (after.at - before.at) / 1000,
        serverCpuMs: after.serverCpuMs - before.serverCpuMs,
        /** Summed over the servers' event loops: time runnable but waiting for a CPU. */
        serverCpuWaitMs: after.serverCpuWaitMs - before.serverCpuWaitMs,
        loadCpuMs: after.loadCpuMs - before.loadCpuMs,
        peakRssMb,
        redisCommands: after.redis.commands - before.redis.commands,
        redisScripts: after.redis.scripts - before.redis.scripts,
        redisCpuMs: after.redis.cpuMs - before.redis.cpuMs,
        sqliteStatements: after.counters.sqliteStatements - before.counters.sqliteStatements,
        socketMessagesOut: after.counters.socketMessagesOut - before.counters.socketMessagesOut,
        socketMessagesIn: after.counters.socketMessagesIn - before.counters.socketMessagesIn,
        twilioWebhooks: after.counters.twilioWebhooks - before.counters.twilioWebhooks,
      };
    },

    /** Broken ACD invariants in the shared Redis (none expected). */
    async acdInvariants() {
      const db = openDatabase({ file: databaseFile });
      const installation = installationId(db);
      db.close();
      const client = new Redis(redis.url);
      try {
        const acd = createAcd({
          redis: client,
          prefix: `${redisPrefix}${installation}:acd:`,
          clock: systemClock,
        });
        return await acd.checkInvariants();
      } finally {
        client.disconnect();
      }
    },

    async close() {
      await Promise.all(desks.map((desk) => desk.call('close', undefined)));
      await twilio.call('close', undefined);
      await Promise.all([...desks, twilio].map((child) => child.stop()));
      await Promise.all(servers.map((server) => server.stop()));
      await redis.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type CallPath = Awaited<ReturnType<typeof startCallPath>>;
