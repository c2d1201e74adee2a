import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKamailioControl } from './kamailio-control.js';
import { startDaemon, type RunningDaemon } from './daemon-process.js';

export type RunningKamailio = RunningDaemon;

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

/**
 * Starts Kamailio in the foreground as our child, with its config and runtime files in a private temp
 * folder (the config holds the shared secret: mode 0600), and waits until it answers JSON-RPC.
 */
export async function startKamailio(options: StartKamailioOptions): Promise<RunningKamailio> {
  const dir = mkdtempSync(join(tmpdir(), 'cti-kamailio-'));
  const file = join(dir, 'kamailio.cfg');
  writeFileSync(file, options.config, { mode: 0o600 });
  const control = createKamailioControl({
    controlUrl: new URL(`http://127.0.0.1:${options.controlPort}`),
    sharedSecret: options.sharedSecret,
    timeoutMs: 500,
  });
  return startDaemon({
    name: 'Kamailio',
    command: 'kamailio',
    args: [
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
    ready: () => control.rpc('core.version').then(() => true),
    readyMeans: 'answer JSON-RPC',
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
    ...(options.echo !== undefined && { echo: options.echo }),
  });
}
