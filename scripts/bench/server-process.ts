import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../server/testing/harness.js';

const MAIN = fileURLToPath(new URL('../../server/main.ts', import.meta.url));
const CLOCK_TICKS_PER_SECOND = 100;

const statOf = (pid: number) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');

/** CPU time (user + system, all threads) process `pid` has used so far, in ms (Linux /proc). */
export function processCpuMs(pid: number): number {
  const fields = statOf(pid);
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/**
 * Time the main thread of process `pid` (a Node event loop) has spent runnable but waiting for a
 * CPU, in ms (Linux /proc schedstat): how much other work on the machine held it back.
 */
export function processCpuWaitMs(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1e6;
}

/** Resident set size of process `pid`, in MB. */
export function processRssMb(pid: number): number {
  return (Number(statOf(pid)[21]) * 4096) / 1e6;
}

export interface ServerProcess {
  child: ChildProcess;
  /** CPU time (user + system) the server process has used so far, in ms (Linux /proc). */
  cpuMs(): number;
  /** Resident set size of the server process, in MB. */
  rssMb(): number;
  /** Time its event loop waited for a CPU so far, in ms (see {@link processCpuWaitMs}). */
  cpuWaitMs(): number;
  stop(): Promise<void>;
}

/**
 * Starts `server/main.ts` in a process of its own, as in production, so that the benchmark's load
 * generator does not share its event loop; resolves once `origin` answers HTTP.
 */
export async function startServerProcess(
  env: Record<string, string>,
  origin: string,
): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let tries = 0; ; tries += 1) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      await fetch(`${origin}/docs/json`);
      break;
    } catch {
      if (tries > 600) throw new Error('server did not start in 60 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    child,
    cpuMs: () => processCpuMs(child.pid!),
    rssMb: () => processRssMb(child.pid!),
    cpuWaitMs: () => processCpuWaitMs(child.pid!),
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface BenchServer extends ServerProcess {
  origin: string;
  port: number;
  redisPrefix: string;
}

/**
 * A benchmark's server process on a free port of 127.0.0.1, serving `dataDir` in demo mode without
 * simulated traffic, logging errors only, under a fresh Redis prefix unless one is given (servers of
 * one installation share theirs). `env` adds or replaces settings.
 */
export async function startBenchServer(options: {
  dataDir: string;
  redisPrefix?: string;
  env?: Record<string, string>;
}): Promise<BenchServer> {
  const redisPrefix = options.redisPrefix ?? `bench:${randomUUID()}:`;
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const server = await startServerProcess(
    {
      PORT: String(port),
      DATA_DIR: options.dataDir,
      REDIS_PREFIX: redisPrefix,
      PUBLIC_BASE_URL: origin,
      DEMO: '1',
      SIMULATE: '0',
      LOG_LEVEL: 'error',
      ...options.env,
    },
    origin,
  );
  return { ...server, origin, port, redisPrefix };
}
