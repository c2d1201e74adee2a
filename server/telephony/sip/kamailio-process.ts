import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKamailioControl } from './kamailio-control.js';

export interface RunningKamailio {
  pid: number;
  /** What Kamailio printed so far (its log goes to stderr). */
  output(): string;
  /** SIGTERM to our Kamailio's main process (it stops its children), SIGKILL if it lingers. */
  stop(): Promise<void>;
}

export interface StartKamailioOptions {
  /** The rendered configuration. */
  config: string;
  /** Loopback control port, polled with JSON-RPC `core.version` until Kamailio is ready. */
  controlPort: number;
  sharedSecret: string;
  /** Echo Kamailio's log to this process's stderr. Default false. */
  echo?: boolean;
  /** Shared memory, MB. Default 64. */
  sharedMemoryMb?: number;
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

/**
 * Starts Kamailio in the foreground as our child, with its config and runtime files in a private temp
 * folder (the config holds the shared secret: mode 0600), and waits until it answers JSON-RPC.
 */
export async function startKamailio(options: StartKamailioOptions): Promise<RunningKamailio> {
  const dir = mkdtempSync(join(tmpdir(), 'cti-kamailio-'));
  const file = join(dir, 'kamailio.cfg');
  writeFileSync(file, options.config, { mode: 0o600 });
  const child = spawn(
    'kamailio',
    [
      '-f',
      file,
      '-DD',
      '-E',
      '-m',
      String(options.sharedMemoryMb ?? 64),
      '-M',
      '8',
      '-Y',
      dir,
      '-P',
      join(dir, 'kamailio.pid'),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    if (options.echo) process.stderr.write(chunk);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  // Kamailio runs in the foreground as our child: if this process dies without stop(), it goes too.
  const orphanGuard = () => child.kill('SIGTERM');
  process.once('exit', orphanGuard);
  const stop = async () => {
    process.removeListener('exit', orphanGuard);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited(child);
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const control = createKamailioControl({
    controlUrl: new URL(`http://127.0.0.1:${options.controlPort}`),
    sharedSecret: options.sharedSecret,
    timeoutMs: 500,
  });
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Error(`Kamailio exited at start:\n${output.slice(-2000)}`);
    }
    const failed = await Promise.race([
      control.rpc('core.version').then(
        () => null,
        () => undefined,
      ),
      spawnError,
    ]);
    if (failed === null) break;
    if (failed instanceof Error) {
      await stop();
      throw new Error(`Kamailio could not start: ${failed.message}`, { cause: failed });
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Kamailio did not answer JSON-RPC within 10 s:\n${output.slice(-2000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (child.pid === undefined) throw new Error('Kamailio has no process id');
  return { pid: child.pid, output: () => output, stop };
}
