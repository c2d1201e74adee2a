import { fork } from 'node:child_process';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each handler names its own argument
type Handlers = Record<string, (argument: any) => unknown>;

interface Request {
  id: number;
  name: string;
  argument: unknown;
}
type Reply = { id: number; result: unknown } | { id: number; error: string };

/**
 * A part of a benchmark's load (callers, desk bots) in a Node process of its own, so that it does
 * not share the event loop or the CPU accounting of the server or of the driver. `call` runs one of
 * the handlers the module at `file` passed to {@link serveBenchProcess}; results cross as JSON.
 */
export function forkBenchProcess<H extends Handlers>(file: URL) {
  const child = fork(file, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let next = 0;
  child.on('message', (reply: Reply) => {
    const pending = waiting.get(reply.id);
    waiting.delete(reply.id);
    if ('error' in reply) pending?.reject(new Error(reply.error));
    else pending?.resolve(reply.result);
  });
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      for (const pending of waiting.values())
        pending.reject(new Error(`${file.pathname} exited with ${code}`));
      resolve();
    }),
  );
  return {
    pid: child.pid!,
    call<K extends keyof H & string>(
      name: K,
      argument: Parameters<H[K]>[0],
    ): Promise<Awaited<ReturnType<H[K]>>> {
      next += 1;
      const request: Request = { id: next, name, argument };
      return new Promise((resolve, reject) => {
        waiting.set(request.id, { resolve: resolve as (value: unknown) => void, reject });
        child.send(request);
      });
    },
    async stop(): Promise<void> {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The child's side of {@link forkBenchProcess}: answers each request with its handler's result. */
export function serveBenchProcess(handlers: Handlers): void {
  process.on('message', (request: Request) => {
    void (async () => {
      let reply: Reply;
      try {
        reply = { id: request.id, result: await handlers[request.name]!(request.argument) };
      } catch (error) {
        reply = {
          id: request.id,
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        };
      }
      process.send!(reply);
    })();
  });
}
