import { spawn, type ChildProcess } from 'node:child_process';

/** A SIP edge daemon (Kamailio, rtpengine) running in the foreground as our child. */
export interface RunningDaemon {
  pid: number;
  /** What it printed so far (both log to stderr). */
  output(): string;
  /** SIGTERM to its main process (which stops its own children), SIGKILL if it lingers. */
  stop(): Promise<void>;
}

export interface StartDaemonOptions {
  /** Its name in errors. */
  name: string;
  command: string;
  args: string[];
  /** Whether it serves yet; polled every 100 ms for up to 10 s. */
  ready: () => Promise<boolean>;
  /** What `ready` waits for, in the error when it never comes ("answer JSON-RPC"). */
  readyMeans: string;
  /** Runs once it stopped (its temp files). */
  cleanup?: () => void;
  /** Echo its output to this process's stderr. Default false. */
  echo?: boolean;
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

/** Starts the daemon and waits until it is ready; fails with the end of its output when it is not. */
export async function startDaemon(options: StartDaemonOptions): Promise<RunningDaemon> {
  const child = spawn(options.command, options.args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    if (options.echo) process.stderr.write(chunk);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  // If this process dies without stop(), the daemon goes too.
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
    options.cleanup?.();
  };

  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Error(`${options.name} exited at start:\n${output.slice(-2000)}`);
    }
    const answer = await Promise.race([options.ready().catch(() => false), spawnError]);
    if (answer === true) break;
    if (answer instanceof Error) {
      await stop();
      throw new Error(`${options.name} could not start: ${answer.message}`, { cause: answer });
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${options.name} did not ${options.readyMeans} within 10 s:\n${output.slice(-2000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (child.pid === undefined) throw new Error(`${options.name} has no process id`);
  return { pid: child.pid, output: () => output, stop };
}
