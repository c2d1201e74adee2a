import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../server/main.ts', import.meta.url));
const CLOCK_TICKS_PER_SECOND = 100;

export interface ServerProcess {
  child: ChildProcess;
  /** CPU time (user + system) the server process has used so far, in ms (Linux /proc). */
  cpuMs(): number;
  /** Resident set size of the server process, in MB. */
  rssMb(): number;
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
  const stat = () => readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return {
    child,
    cpuMs: () => {
      const fields = stat();
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
    },
    rssMb: () => (Number(stat()[21]) * 4096) / 1e6,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
