import { runHttpPhase, runSocketPhase, type PhaseContext } from './phases.js';
import { createReport, type FuzzSummary } from './report.js';
import type { RequestContext } from './requests.js';
import { enumerateRoutes } from './routes.js';
import { openRowCounter } from './row-counts.js';
import { createSessionPool } from './sessions.js';
import { prepareTarget } from './target.js';

export type { FuzzFailure, FuzzSummary } from './report.js';

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

/** BODY_LIMIT_BYTES's default, which the server under fuzz runs with. */
const BODY_LIMIT_BYTES = 65_536;

/**
 * Starts the server, fuzzes every route it lists and every socket event of the contract, and checks
 * each answer: no 5xx, no error logged, no hang, no crash, and no row added or removed by a request
 * it refused.
 */
export async function runFuzz(options: FuzzOptions): Promise<FuzzSummary> {
  const log = options.log ?? (() => undefined);
  const report = createReport(options.seed);
  const prepared = await prepareTarget();
  // The route list comes from an app built here while the server starts in its own process.
  const [target, catalog] = await Promise.all([prepared.launch(), enumerateRoutes(prepared.env)]);
  const rows = openRowCounter(target.databaseFile);
  try {
    report.summary.routes = catalog.routes.length;
    log(`${catalog.routes.length} routes; seed ${options.seed}`);
    const publicOrigin = target.env.PUBLIC_BASE_URL!;
    const sessions = createSessionPool(target.baseUrl, publicOrigin);
    await sessions.refresh();
    const context: PhaseContext = {
      target,
      report,
      sessions,
      rows,
      timeoutMs: options.timeoutMs ?? 10_000,
      log,
    };
    const requestContext: RequestContext = {
      catalog,
      publicOrigin,
      twilioAuthToken: target.twilioAuthToken,
      sipAuthorization: target.sipAuthorization,
      cookie: sessions.cookie,
      bodyLimit: BODY_LIMIT_BYTES,
    };
    if (!(await runHttpPhase(context, requestContext, options.seed, options.requests))) return report.summary;
    // Socket cases draw from a stream of their own: changing the request count does not reshuffle them.
    if (!(await runSocketPhase(context, publicOrigin, options.seed ^ 0x5eed, options.socketCases)))
      return report.summary;
    // A crash may come after the answer (a rejected promise, a timer): give it a moment to show.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const exit = target.exit();
    if (exit) {
      report.summary.failures.push({
        at: 'after the run',
        kind: 'crash',
        input: 'the last inputs',
        outcome: `the server exited (code ${exit.code}, signal ${exit.signal})\n${target.outputTail().slice(-3000)}`,
      });
    }
    return report.summary;
  } finally {
    rows.close();
    await target.stop();
  }
}
