import { send, type FuzzRequest, type FuzzResponse } from './http.js';
import { createRng } from './prng.js';
import { describeInput, describeResponse, type FuzzInput, type Report } from './report.js';
import { fuzzRequest, strayRequest, type RequestContext } from './requests.js';
import { diffCounts, type RowCounts } from './row-counts.js';
import type { SessionPool } from './sessions.js';
import { createSocketDriver, fuzzSocketCase, type SocketOutcome } from './sockets.js';
import type { Target } from './target.js';

export interface PhaseContext {
  target: Target;
  report: Report;
  sessions: SessionPool;
  rows: { counts(): RowCounts };
  timeoutMs: number;
  log: (line: string) => void;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Checks shared by both phases: the process alive, the log clean, refusals without writes. */
/** How many inputs back a late error line may come from (one sent without an acknowledgement, say). */
const LOG_LAG_INPUTS = 5;

/** Checks shared by both phases: the process alive, the log clean, refusals without writes. */
function createChecks({ target, report, rows }: PhaseContext) {
  const recent: { at: string; input: FuzzInput }[] = [];
  return {
    /** True when the server died: the run ends there. */
    crashed(at: string, input: FuzzInput): boolean {
      const exit = target.exit();
      if (!exit) return false;
      report.fail(
        at,
        'crash',
        input,
        `the server exited (code ${exit.code}, signal ${exit.signal})\n${target.outputTail().slice(-3000)}`,
      );
      return true;
    },
    /** Error lines the server logged; its log reaches us a little after its answer. */
    async logged(at: string, input: FuzzInput, outcome: string, expectLine: boolean): Promise<string[]> {
      if (expectLine) await pause(200);
      const lines = target.takeErrors();
      if (lines.length && !expectLine) {
        const before = recent.map((entry) => `\n  ${entry.at}: ${describeInput(entry.input)}`).join('');
        report.fail(
          at,
          'error logged',
          input,
          `${outcome}\n  logged: ${lines.join('; ')}\n  (or by one of the inputs before:${before || ' none'})`,
        );
      }
      recent.push({ at, input });
      if (recent.length > LOG_LAG_INPUTS) recent.shift();
      return lines;
    },
    /**
     * A refusal must leave every table as it was. Calls in progress write on their own (timers), so a
     * change is blamed on the input only if the tables then stay still for a moment and replaying the
     * input changes the same tables again.
     */
    async refusedWithoutWrites(
      at: string,
      input: FuzzInput,
      before: RowCounts,
      outcome: string,
      replay: () => Promise<unknown>,
    ) {
      const first = diffTables(before, rows.counts());
      if (first.length === 0) return;
      // Twice, so a timer's write that happens to land during one replay is not blamed on the input.
      let again: string[] = [];
      for (let replays = 0; replays < 2; replays += 1) {
        await pause(300);
        const settled = rows.counts();
        await pause(300);
        if (diffTables(settled, rows.counts()).length) return;
        await replay();
        again = diffCounts(settled, rows.counts()).filter((line) =>
          first.includes(line.slice(0, line.indexOf(':'))),
        );
        if (again.length === 0) return;
      }
      report.fail(
        at,
        'state change from a refused request',
        input,
        `${outcome}\n  rows: ${again.join(', ')}`,
      );
    },
  };
}

const diffTables = (before: RowCounts, after: RowCounts) =>
  Object.keys(after).filter((table) => before[table] !== after[table]);

export async function runHttpPhase(
  context: PhaseContext,
  requestContext: RequestContext,
  seed: number,
  count: number,
) {
  const { target, report, sessions, rows, timeoutMs, log } = context;
  const checks = createChecks(context);
  const { summary } = report;
  const rng = createRng(seed);
  let turn = 0;
  for (let index = 0; index < count; index += 1) {
    if (index % 25 === 0) await sessions.refresh();
    // Routes in turn, so even a short run reaches every one: a stray request takes no route's turn.
    const { routes } = requestContext.catalog;
    const route = rng.chance(0.03) ? null : routes[turn++ % routes.length]!;
    const input: FuzzRequest = route
      ? fuzzRequest(route, requestContext, rng)
      : strayRequest(requestContext, rng);
    const at = `http #${index}`;
    const before = rows.counts();
    const response: FuzzResponse = await send(target.baseUrl, input, timeoutMs);
    summary.httpSent += 1;
    if (checks.crashed(at, input)) return false;
    const outcome = describeResponse(response);
    if (response.kind !== 'answered') {
      report.fail(at, response.kind === 'timeout' ? 'hang' : 'no answer', input, outcome);
      continue;
    }
    report.answered(route ? `${route.method} ${route.path}` : 'no such route', response.status);
    const serverError = response.status >= 500;
    const lines = await checks.logged(at, input, outcome, serverError);
    if (serverError) {
      summary.serverErrors += 1;
      report.fail(at, 'server error', input, `${outcome}\n  logged: ${lines.join('; ') || 'nothing'}`);
      log(`${at}: ${response.status} ${input.method} ${input.path.slice(0, 120)}`);
    } else if (response.status >= 400) {
      summary.httpRefused += 1;
      await checks.refusedWithoutWrites(at, input, before, outcome, () =>
        send(target.baseUrl, input, timeoutMs),
      );
    }
    if (index % 500 === 499) log(`${index + 1} requests, ${summary.failures.length} failures`);
  }
  return true;
}

export async function runSocketPhase(
  context: PhaseContext,
  publicOrigin: string,
  seed: number,
  count: number,
) {
  const { target, report, sessions, rows, timeoutMs } = context;
  const checks = createChecks(context);
  const { summary } = report;
  const rng = createRng(seed);
  await sessions.refresh();
  const sockets = createSocketDriver(target.baseUrl, publicOrigin, sessions.cookie, timeoutMs);
  try {
    for (let index = 0; index < count; index += 1) {
      if (index % 25 === 0) await sessions.refresh();
      const input = fuzzSocketCase(rng, index, publicOrigin, sessions.cookie);
      const at = `socket #${index}`;
      const before = rows.counts();
      const result: SocketOutcome = await sockets.run(input);
      summary.socketSent += 1;
      if (input.kind === 'event' && !summary.eventsSent.includes(input.event))
        summary.eventsSent.push(input.event);
      if (checks.crashed(at, input)) return false;
      const outcome = JSON.stringify(result);
      if (result.kind === 'timeout') {
        report.fail(at, 'hang', input, 'no answer in time');
        continue;
      }
      await checks.logged(at, input, outcome, false);
      const refused =
        result.kind === 'refused' ||
        (result.kind === 'acked' && (result.answer as { ok?: unknown } | null)?.ok !== true);
      if (!refused) continue;
      summary.socketRefused += 1;
      await checks.refusedWithoutWrites(at, input, before, outcome, () => sockets.run(input));
    }
  } finally {
    sockets.close();
  }
  return true;
}
