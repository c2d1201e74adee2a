import { send, type FuzzRequest, type FuzzResponse } from './http.js';
import { knownIssueOf } from './known-issues.js';
import { createRng } from './prng.js';
import { fuzzRequest, strayRequest, type RequestContext } from './requests.js';
import { enumerateRoutes } from './routes.js';
import { diffCounts, openRowCounter } from './row-counts.js';
import { createSessionPool } from './sessions.js';
import { createSocketDriver, fuzzSocketCase, type SocketCase, type SocketOutcome } from './sockets.js';
import { prepareTarget, type Target } from './target.js';

export interface FuzzOptions {
  seed: number;
  /** HTTP requests to send. */
  requests: number;
  /** Socket cases (handshakes and events) to run after them. */
  socketCases: number;
  /** How long one request or acknowledgement may take before it counts as a hang. Default 10 s. */
  timeoutMs?: number;
  /** Progress lines; default none. */
  log?: (line: string) => void;
}

export interface FuzzFailure {
  /** `http #N` or `socket #N`: with the seed, what replays it. */
  at: string;
  kind:
    'server error' | 'error logged' | 'hang' | 'crash' | 'no answer' | 'state change from a refused request';
  input: string;
  outcome: string;
}

export interface FuzzSummary {
  seed: number;
  routes: number;
  httpSent: number;
  httpRefused: number;
  serverErrors: number;
  socketSent: number;
  socketRefused: number;
  /** Answers by route (`METHOD /path`) and status: how deep the fuzzing got on each. */
  statuses: Record<string, Record<number, number>>;
  /** Inputs not sent because they match a known issue, by issue item. */
  skippedKnown: Record<number, number>;
  failures: FuzzFailure[];
}

const clip = (text: string, max = 600) =>
  text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;

const describeRequest = (fuzz: FuzzRequest) =>
  `${fuzz.method} ${clip(fuzz.path, 300)} [${fuzz.label}]\n  headers: ${clip(JSON.stringify(fuzz.headers))}` +
  (fuzz.body === undefined ? '' : `\n  body: ${clip(JSON.stringify(fuzz.body))}`);

const describeSocket = (fuzz: SocketCase) =>
  fuzz.kind === 'handshake'
    ? `socket.io handshake origin=${JSON.stringify(fuzz.origin)} cookie=${clip(JSON.stringify(fuzz.cookie))}`
    : `${fuzz.role} socket emits ${JSON.stringify(fuzz.event)} ${clip(JSON.stringify(fuzz.args))}${fuzz.withAck ? ' with ack' : ''}`;

const describeResponse = (response: FuzzResponse) =>
  response.kind === 'answered'
    ? `${response.status} ${clip(response.body, 300)}`
    : response.kind === 'timeout'
      ? 'no answer in time'
      : `error: ${response.message}`;

const crashed = (target: Target): FuzzFailure['outcome'] | null => {
  const exit = target.exit();
  return exit
    ? `the server exited (code ${exit.code}, signal ${exit.signal})\n${target.outputTail().slice(-3000)}`
    : null;
};

/**
 * Starts the server, fuzzes every route it lists and every socket event of the contract, and checks
 * each answer: no 5xx, no hang, no crash, and no row added or removed by a request it refused.
 */
export async function runFuzz(options: FuzzOptions): Promise<FuzzSummary> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const log = options.log ?? (() => undefined);
  const prepared = await prepareTarget();
  // The route list comes from an app built here while the server starts in its own process.
  const [target, catalog] = await Promise.all([prepared.launch(), enumerateRoutes(prepared.env)]);
  const rows = openRowCounter(target.databaseFile);
  const summary: FuzzSummary = {
    seed: options.seed,
    routes: 0,
    httpSent: 0,
    httpRefused: 0,
    serverErrors: 0,
    socketSent: 0,
    socketRefused: 0,
    skippedKnown: {},
    statuses: {},
    failures: [],
  };
  const skip = (item: number) => (summary.skippedKnown[item] = (summary.skippedKnown[item] ?? 0) + 1);
  try {
    summary.routes = catalog.routes.length;
    log(`${catalog.routes.length} routes; seed ${options.seed}`);
    const publicOrigin = target.env.PUBLIC_BASE_URL!;
    const sessions = createSessionPool(target.baseUrl, publicOrigin);
    await sessions.refresh();
    const context: RequestContext = {
      catalog,
      publicOrigin,
      twilioAuthToken: target.twilioAuthToken,
      sipAuthorization: target.sipAuthorization,
      cookie: sessions.cookie,
      bodyLimit: 65_536,
    };

    /** Row counts around `act`; a change is confirmed by acting once more, so background work is not blamed. */
    const changesRows = async (act: () => Promise<unknown>) => {
      const before = rows.counts();
      await act();
      if (diffCounts(before, rows.counts()).length === 0) return null;
      await new Promise((resolve) => setTimeout(resolve, 200));
      const again = rows.counts();
      await act();
      const diff = diffCounts(again, rows.counts());
      return diff.length ? diff : null;
    };

    let [previous, current] = ['none', 'none'];
    const settleLog = async () => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      target.takeErrors();
    };
    const http = createRng(options.seed);
    for (let index = 0; index < options.requests; index += 1) {
      if (index % 25 === 0) await sessions.refresh();
      const route = http.chance(0.03) ? null : http.pick(catalog.routes);
      const fuzz = route ? fuzzRequest(route, context, http) : strayRequest(context, http);
      const known = knownIssueOf(fuzz);
      if (known) {
        skip(known.item);
        continue;
      }
      const at = `http #${index}`;
      previous = current;
      current = `${at} ${describeRequest(fuzz)}`;
      let response: FuzzResponse = { kind: 'timeout' };
      const before = rows.counts();
      response = await send(target.baseUrl, fuzz, timeoutMs);
      summary.httpSent += 1;
      const exit = crashed(target);
      if (exit) {
        summary.failures.push({ at, kind: 'crash', input: describeRequest(fuzz), outcome: exit });
        return summary;
      }
      if (response.kind === 'timeout') {
        summary.failures.push({
          at,
          kind: 'hang',
          input: describeRequest(fuzz),
          outcome: describeResponse(response),
        });
        continue;
      }
      if (response.kind === 'error') {
        summary.failures.push({
          at,
          kind: 'no answer',
          input: describeRequest(fuzz),
          outcome: describeResponse(response),
        });
        continue;
      }
      const routeName = route ? `${route.method} ${route.path}` : 'no such route';
      const byStatus = (summary.statuses[routeName] ??= {});
      byStatus[response.status] = (byStatus[response.status] ?? 0) + 1;
      // The server's log reaches us a little after its answer: an error line may belong to the input before.
      const logged = target.takeErrors();
      if (response.status < 500 && logged.length)
        summary.failures.push({
          at,
          kind: 'error logged',
          input: `${describeRequest(fuzz)}\n  or the input before it: ${previous}`,
          outcome: `${describeResponse(response)}\n  logged: ${logged.join('; ')}`,
        });
      if (response.status >= 500) {
        // Its own "request failed" line is this failure, not the next input's.
        await settleLog();
        summary.serverErrors += 1;
        summary.failures.push({
          at,
          kind: 'server error',
          input: describeRequest(fuzz),
          outcome: describeResponse(response),
        });
        log(`${at}: ${response.status} ${fuzz.method} ${fuzz.path.slice(0, 120)}`);
        continue;
      }
      if (response.status >= 400) {
        summary.httpRefused += 1;
        if (diffCounts(before, rows.counts()).length) {
          const diff = await changesRows(() => send(target.baseUrl, fuzz, timeoutMs));
          if (diff)
            summary.failures.push({
              at,
              kind: 'state change from a refused request',
              input: describeRequest(fuzz),
              outcome: `${describeResponse(response)}\n  rows: ${diff.join(', ')}`,
            });
        }
      }
      if (index % 500 === 499) log(`${index + 1} requests, ${summary.failures.length} failures`);
    }

    await sessions.refresh();
    const sockets = createSocketDriver(target.baseUrl, publicOrigin, sessions.cookie, timeoutMs);
    const socketRng = createRng(options.seed ^ 0x5eed);
    try {
      for (let index = 0; index < options.socketCases; index += 1) {
        if (index % 25 === 0) await sessions.refresh();
        const fuzz = fuzzSocketCase(socketRng, publicOrigin, sessions.cookie);
        const known = knownIssueOf(fuzz);
        if (known) {
          skip(known.item);
          continue;
        }
        const at = `socket #${index}`;
        previous = current;
        current = `${at} ${describeSocket(fuzz)}`;
        const before = rows.counts();
        const outcome: SocketOutcome = await sockets.run(fuzz);
        summary.socketSent += 1;
        const exit = crashed(target);
        if (exit) {
          summary.failures.push({ at, kind: 'crash', input: describeSocket(fuzz), outcome: exit });
          return summary;
        }
        if (outcome.kind === 'timeout') {
          summary.failures.push({
            at,
            kind: 'hang',
            input: describeSocket(fuzz),
            outcome: 'no answer in time',
          });
          continue;
        }
        const logged = target.takeErrors();
        if (logged.length)
          summary.failures.push({
            at,
            kind: 'error logged',
            input: `${describeSocket(fuzz)}\n  or the input before it: ${previous}`,
            outcome: `${JSON.stringify(outcome)}\n  logged: ${logged.join('; ')}`,
          });
        const refused =
          outcome.kind === 'refused' ||
          (outcome.kind === 'acked' && (outcome.answer as { ok?: unknown } | null)?.ok !== true);
        if (!refused) continue;
        summary.socketRefused += 1;
        if (diffCounts(before, rows.counts()).length) {
          const diff = await changesRows(() => sockets.run(fuzz));
          if (diff)
            summary.failures.push({
              at,
              kind: 'state change from a refused request',
              input: describeSocket(fuzz),
              outcome: `${JSON.stringify(outcome)}\n  rows: ${diff.join(', ')}`,
            });
        }
      }
    } finally {
      sockets.close();
    }
    // A crash may come after the answer (a rejected promise, a timer): give it a moment to show.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const exit = crashed(target);
    if (exit)
      summary.failures.push({ at: 'after the run', kind: 'crash', input: 'the last inputs', outcome: exit });
    return summary;
  } finally {
    rows.close();
    await target.stop();
  }
}
