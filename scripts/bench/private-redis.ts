import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort } from '../../server/testing/harness.js';

/**
 * A redis-server of the benchmark's own on a free port, without persistence: its INFO figures
 * (commandstats, cpu) count only the benchmark's work, not other processes sharing the usual Redis.
 */
export async function startPrivateRedis(): Promise<{ url: string; stop(): void }> {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const url = `redis://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 50; attempt++) {
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    const up = await probe
      .connect()
      .then(() => probe.ping())
      .catch(() => null);
    probe.disconnect();
    if (up === 'PONG') return { url, stop: () => void child.kill('SIGTERM') };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGTERM');
  throw new Error(`redis-server did not start on port ${port}`);
}

/** Commands executed (inside scripts included) and CPU seconds used, from INFO, for deltas. */
export async function redisWork(
  redis: Redis,
): Promise<{ commands: number; cpuSeconds: number; scriptUsec: number }> {
  const info = await redis.info('all');
  let commands = 0;
  let scriptUsec = 0;
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)) {
    // INFO is the benchmark reading, not work done for a call.
    if (match[1] === 'info') continue;
    commands += Number(match[2]);
    if (match[1] === 'evalsha' || match[1] === 'eval') scriptUsec += Number(match[3]);
  }
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);
  return { commands, cpuSeconds: field('used_cpu_sys') + field('used_cpu_user'), scriptUsec };
}
