import { openDatabase } from '../../db/connection.js';
import { DEMO_LINE } from '../../simulator/demo-traffic.js';
import { createCallerEngine, type CallTranscript } from '../../simulator/callers/caller-engine.js';
import type { benchEnvironment } from './bench-environment.js';

/** The command-line options of the Twilio call benchmarks' load, as `parseArgs` takes them. */
export const CALL_LOAD_OPTIONS = {
  agents: { type: 'string', default: '2000' },
  cps: { type: 'string', default: '100' },
  duration: { type: 'string', default: '20' },
} as const;

/** The US numbers of the seeded customers: who the simulated callers call from. */
export function seededCallerNumbers(databaseFile: string): string[] {
  const db = openDatabase({ file: databaseFile });
  const rows = db
    .prepare<[], { e164: string }>("SELECT e164 FROM customer_phones WHERE e164 LIKE '+1%'")
    .all();
  db.close();
  return rows.map((row) => row.e164);
}

/**
 * Callers: English, Support; talk 2 s; `cps` calls a second for `durationSeconds`, each from the next
 * seeded number. Resolves once the last is placed, with when the first was and every call's transcript.
 */
export async function placePacedCalls(
  env: Awaited<ReturnType<typeof benchEnvironment>>,
  { cps, durationSeconds }: { cps: number; durationSeconds: number },
) {
  const engine = createCallerEngine({
    serverBaseUrl: env.origin,
    publicBaseUrl: env.origin,
    accountSid: env.account,
    authToken: env.token,
    fake: env.fake,
  });
  const numbers = seededCallerNumbers(env.config.databaseFile);
  const calls: Promise<CallTranscript>[] = [];
  const started = performance.now();
  for (let i = 0; i < cps * durationSeconds; i += 1) {
    const due = started + (i / cps) * 1000;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    calls.push(
      engine.placeCall({
        from: numbers[i % numbers.length]!,
        to: DEMO_LINE,
        script: { input: ['1', '2'], talkSeconds: 2, patienceSeconds: 120 },
      }),
    );
  }
  return { engine, started, calls };
}
