import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort } from '../../server/testing/harness.js';

/** Redis's own counters at one moment: commands run (those inside scripts included) and its CPU. */
export interface RedisStats {
  commands: number;
  /** EVAL, EVALSHA and FCALL: each also counts, in `commands`, every command it ran inside. */
  scripts: number;
  /** User + system CPU of the whole redis-server, in ms. */
  cpuMs: number;
  /** Time Redis spent running scripts, in ms (their inner commands included). */
  scriptMs: number;
}

const SCRIPT_COMMANDS = new Set(['eval', 'evalsha', 'eval_ro', 'evalsha_ro', 'fcall', 'fcall_ro']);

function parseStats(info: string): RedisStats {
  let commands = 0;
  let scripts = 0;
  let cpuSeconds = 0;
  let scriptUsec = 0;
  for (const line of info.split('\r\n')) {
    const command = /^cmdstat_([^:|]+)[^:]*:calls=(\d+),usec=(\d+)/.exec(line);
    if (command) {
      commands += Number(command[2]);
      if (SCRIPT_COMMANDS.has(command[1]!)) {
        scripts += Number(command[2]);
        scriptUsec += Number(command[3]);
      }
    }
    const cpu = /^used_cpu_(?:user|sys):([\d.]+)$/.exec(line);
    if (cpu) cpuSeconds += Number(cpu[1]);
  }
  return { commands, scripts, cpuMs: cpuSeconds * 1000, scriptMs: scriptUsec / 1000 };
}

/**
 * A redis-server of the benchmark's own on a free port, without persistence: its INFO counters
 * then hold only what the benchmarked servers asked of it, not other users of a shared Redis.
 */
export async function startPrivateRedis() {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `redis://127.0.0.1:${port}`;
  // ioredis keeps retrying until the server listens, and queues the ping meanwhile; the refused
  // connections before that are expected.
  const client = new Redis(url);
  const starting = () => undefined;
  client.on('error', starting);
  await client.ping();
  client.off('error', starting);
  return {
    url,
    stats: async (): Promise<RedisStats> =>
      parseStats(`${await client.info('commandstats')}\r\n${await client.info('cpu')}`),
    async stop(): Promise<void> {
      client.disconnect();
      child.kill('SIGTERM');
      await exited;
    },
  };
}
