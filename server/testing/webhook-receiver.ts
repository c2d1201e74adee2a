import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

/** One request a receiver got, with the answer it gave. */
export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  json: { id: number; type: string; occurredAt: string; data: Record<string, unknown> };
  /** The status answered; null when the receiver did not answer in time (the sender gave up). */
  status: number | null;
}

/** What to do with a request: answer `status`, optionally after `delayMs`. */
export type ReceiverAnswer = { status: number; delayMs?: number };

/**
 * A real HTTP webhook receiver on 127.0.0.1 for tests: records every request and answers what
 * `answer` decides (200 by default), so a test can make it fail, stall or refuse.
 */
export async function startWebhookReceiver() {
  const received: ReceivedWebhook[] = [];
  let answer: (request: Omit<ReceivedWebhook, 'status'>, index: number) => ReceiverAnswer = () => ({
    status: 200,
  });
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      const entry: ReceivedWebhook = {
        headers: request.headers,
        body,
        json: JSON.parse(body) as ReceivedWebhook['json'],
        status: null,
      };
      const { status, delayMs = 0 } = answer(entry, received.length);
      received.push(entry);
      const reply = () => {
        if (response.destroyed) return;
        entry.status = status;
        response.writeHead(status).end();
      };
      if (delayMs > 0) setTimeout(reply, delayMs);
      else reply();
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    /** Decides the answers from now on; `index` counts every request received so far. */
    answerWith(decide: typeof answer): void {
      answer = decide;
    },
    /** Resolves once `predicate` holds for what was received; rejects after `timeoutMs`. */
    async waitFor(predicate: (received: ReceivedWebhook[]) => boolean, timeoutMs = 10_000): Promise<void> {
      const until = Date.now() + timeoutMs;
      while (!predicate(received)) {
        if (Date.now() > until)
          throw new Error(`receiver: condition not met; got ${received.length} requests`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;
