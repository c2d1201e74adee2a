import { openDatabase } from '../../db/connection.js';
import { DEMO_LINE } from '../../simulator/demo-traffic.js';
import type { CallTranscript, CallerEngine } from '../../simulator/callers/caller-engine.js';

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
 * of `numbers` through the next of `engines` (one per server process). Resolves once the last is
 * placed, with when the first was and every call's transcript.
 */
export async function placePacedCalls(
  engines: readonly CallerEngine[],
  numbers: readonly string[],
  { cps, durationSeconds }: { cps: number; durationSeconds: number },
) {
  const calls: Promise<CallTranscript>[] = [];
  const started = performance.now();
  for (let i = 0; i < cps * durationSeconds; i += 1) {
    const due = started + (i / cps) * 1000;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    calls.push(
      engines[i % engines.length]!.placeCall({
        from: numbers[i % numbers.length]!,
        to: DEMO_LINE,
        script: { input: ['1', '2'], talkSeconds: 2, patienceSeconds: 120 },
      }),
    );
  }
  return { started, calls };
}
