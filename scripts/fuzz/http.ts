import { request } from 'node:http';

/** A request exactly as the fuzzer sends it: raw path and query, headers, body bytes. */
export interface FuzzRequest {
  method: string;
  /** Path and query string as sent on the wire (already percent-encoded, or deliberately not). */
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** What kind of request this is (session, signature, body kind), for the report. */
  label: string;
}

export type FuzzResponse =
  | { kind: 'answered'; status: number; body: string }
  | { kind: 'timeout' }
  | { kind: 'error'; message: string };

// Node refuses header values with control or non-Latin-1 characters; a client on the wire sends the
// UTF-8 bytes, so the fuzzer does too (as Latin-1 code units) and drops what no wire can carry.
const wireHeader = (value: string) =>
  Buffer.from(value, 'utf8')
    .toString('latin1')
    .replace(/[^\t\x20-\x7e\x80-\xff]/g, '');

// Likewise a request target: characters outside printable ASCII are percent-encoded, `%` is left
// as it is, so malformed escapes reach the server.
const wirePath = (path: string) =>
  path.replace(/[^\x21-\x7e]/gu, (c) => encodeURIComponent(/[\uD800-\uDFFF]/u.test(c) ? '\uFFFD' : c));

/** Sends one request; answers within `timeoutMs` or reports a timeout (a hang). */
export function send(baseUrl: string, fuzz: FuzzRequest, timeoutMs: number): Promise<FuzzResponse> {
  const url = new URL(baseUrl);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(fuzz.headers)) headers[name] = wireHeader(value);
  return new Promise((resolve) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: fuzz.method,
        path: wirePath(fuzz.path),
        headers,
        // A connection of its own: a request that kills it cannot be blamed on the one before.
        agent: false,
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ kind: 'answered', status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        );
        res.on('error', (error) => resolve({ kind: 'error', message: error.message }));
      },
    );
    req.on('timeout', () => {
      req.destroy();
      resolve({ kind: 'timeout' });
    });
    req.on('error', (error) => resolve({ kind: 'error', message: error.message }));
    req.end(fuzz.body);
  });
}
