import type { FuzzRequest, FuzzResponse } from './http.js';
import type { SocketCase } from './sockets.js';

export type FuzzInput = FuzzRequest | SocketCase;

export type FailureKind =
  'server error' | 'error logged' | 'hang' | 'crash' | 'no answer' | 'state change from a refused request';

export interface FuzzFailure {
  /** `http #N` or `socket #N`: with the seed, what replays it. */
  at: string;
  kind: FailureKind;
  input: string;
  outcome: string;
}

export interface FuzzSummary {
  seed: number;
  routes: number;
  httpSent: number;
  httpRefused: number;
  /** 5xx answers. */
  serverErrors: number;
  socketSent: number;
  socketRefused: number;
  /** Answers by route (`METHOD /path`) and status: how deep the fuzzing got on each. */
  statuses: Record<string, Record<number, number>>;
  /** Events that were sent on a signed-in socket. */
  eventsSent: string[];
  failures: FuzzFailure[];
}

export const isRequest = (input: FuzzInput): input is FuzzRequest => !('kind' in input);

const clip = (text: string, max = 600) =>
  text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;

export function describeInput(input: FuzzInput): string {
  if (isRequest(input)) {
    return (
      `${input.method} ${clip(input.path, 300)} [${input.label}]\n  headers: ${clip(JSON.stringify(input.headers))}` +
      (input.body === undefined ? '' : `\n  body: ${clip(JSON.stringify(input.body))}`)
    );
  }
  return input.kind === 'handshake'
    ? `socket.io handshake origin=${JSON.stringify(input.origin)} cookie=${clip(JSON.stringify(input.cookie))}`
    : `${input.role} socket emits ${JSON.stringify(input.event)} ${clip(JSON.stringify(input.args))}${input.withAck ? ' with ack' : ''}`;
}

export const describeResponse = (response: FuzzResponse) =>
  response.kind === 'answered'
    ? `${response.status} ${clip(response.body, 300)}`
    : response.kind === 'timeout'
      ? 'no answer in time'
      : `error: ${response.message}`;

/** The run's tally. */
export function createReport(seed: number) {
  const summary: FuzzSummary = {
    seed,
    routes: 0,
    httpSent: 0,
    httpRefused: 0,
    serverErrors: 0,
    socketSent: 0,
    socketRefused: 0,
    statuses: {},
    eventsSent: [],
    failures: [],
  };
  return {
    summary,
    fail(at: string, kind: FailureKind, input: FuzzInput, outcome: string): void {
      summary.failures.push({ at, kind, input: describeInput(input), outcome });
    },
    answered(route: string, status: number): void {
      const byStatus = (summary.statuses[route] ??= {});
      byStatus[status] = (byStatus[status] ?? 0) + 1;
    },
  };
}

export type Report = ReturnType<typeof createReport>;
