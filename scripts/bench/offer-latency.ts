import { openDatabase } from '../../db/connection.js';
import { createCallerEngine, type CallTranscript } from '../../simulator/callers/caller-engine.js';
import { DEMO_LINE } from '../../simulator/demo-traffic.js';
import type { TwilioFake } from '../../simulator/twilio-fake/index.js';
import { startDeskBots } from './desk-bots.js';
import { percentile } from './percentile.js';

export interface OfferLatencyOptions {
  origin: string;
  account: string;
  token: string;
  fake: TwilioFake;
  /** Session tokens of agents who take the calls on desk bots. */
  deskTokens: string[];
  /** Known callers' numbers. */
  numbers: string[];
  cps: number;
  durationSeconds: number;
  databaseFile: string;
  serverCpuMs: () => number;
  /** One report request, run back to back through the second phase. */
  background: () => Promise<unknown>;
}

/**
 * The call path as bench:calls drives it (Twilio callers through the fake, desk bots accepting on
 * socket.io), twice: quiet, then with `background` running back to back. Latency is from the
 * Interaction's `queued_at` to the offer reaching the agent's socket.
 */
export async function measureOfferLatency(options: OfferLatencyOptions) {
  const offerAt = new Map<number, number>();
  const sockets = await startDeskBots(options.origin, options.deskTokens, (id) => {
    if (!offerAt.has(id)) offerAt.set(id, Date.now());
  });
  const engine = createCallerEngine({
    serverBaseUrl: options.origin,
    publicBaseUrl: options.origin,
    accountSid: options.account,
    authToken: options.token,
    fake: options.fake,
  });
  const db = openDatabase({ file: options.databaseFile });
  const queuedSince = db.prepare<[string], { id: number; queuedAt: string }>(
    "SELECT id, queued_at AS queuedAt FROM interactions WHERE provider = 'twilio' AND queued_at >= ?",
  );

  const phase = async (name: string, withReports: boolean) => {
    const startedIso = new Date().toISOString();
    const cpuBefore = options.serverCpuMs();
    const started = performance.now();
    let running = true;
    let reports = 0;
    const load = withReports
      ? (async () => {
          while (running) {
            await options.background();
            reports += 1;
          }
        })()
      : Promise.resolve();
    const calls: Promise<CallTranscript>[] = [];
    for (let i = 0; i < options.cps * options.durationSeconds; i += 1) {
      const wait = started + (i / options.cps) * 1000 - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      calls.push(
        engine.placeCall({
          from: options.numbers[i % options.numbers.length]!,
          to: DEMO_LINE,
          script: { input: ['1', '2'], talkSeconds: 1, patienceSeconds: 120 },
        }),
      );
    }
    await Promise.all(calls);
    running = false;
    await load;
    const seconds = (performance.now() - started) / 1000;
    const latencies = queuedSince
      .all(startedIso)
      .filter((row) => offerAt.has(row.id))
      .map((row) => offerAt.get(row.id)! - Date.parse(row.queuedAt));
    return {
      name,
      offers: latencies.length,
      reports,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      serverCpuPercent: (options.serverCpuMs() - cpuBefore) / 10 / seconds,
    };
  };

  const results = [await phase('(no report running)', false), await phase('(year report looping)', true)];
  sockets.forEach((socket) => socket.disconnect());
  await engine.close();
  db.close();
  return results;
}
