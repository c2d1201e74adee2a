import Database from 'better-sqlite3';
import { FLOWS_DIR, flowForNumber, loadFlows } from '../ivr/index.js';
import type { DeliveryMode, TwilioFake } from './twilio-fake/index.js';
import { startBotAgents, type BotAgents, type BotAgentsOptions } from './bot-agents.js';
import {
  createCallerEngine,
  type CallerBehaviour,
  type CallerEngine,
  type CallerOutcome,
  type CallTranscript,
} from './callers/caller-engine.js';
import { navigateFlow } from './callers/ivr-navigator.js';

/**
 * A steady stream of callers (Poisson arrivals) from the customers' own numbers, walking the real
 * IVR to the seeded CallQueues, against bot agents: load and soak testing of the whole call path.
 */

export interface CallerMix {
  /** Seconds a caller waits for an Agent before hanging up: [min, max]. Default [30, 120]. */
  patienceSeconds?: readonly [number, number];
  /** Seconds a caller talks once an Agent joined: [min, max]. Default [10, 60]. */
  talkSeconds?: readonly [number, number];
  /** Weight of each main-menu choice (the flow's option values). Default sales 40, support 40, billing 20. */
  departments?: Record<string, number>;
  /** Share of callers choosing Mandarin (0–1). Default 0.1. */
  mandarinShare?: number;
  /** Share of callers from numbers no customer has (0–1). Default 0.1. */
  unknownShare?: number;
  /** Share of callers who hang up during the IVR (0–1). Default 0.02. */
  ivrAbandonShare?: number;
  /** How the fake delivers the callers' status callbacks. Default: in order, once. */
  callbacks?: DeliveryMode;
  /** Share of webhooks sent twice, as Twilio retries (0–1). Default 0. */
  duplicateWebhooks?: number;
  /** IVR pacing of the callers. Default: 300 ms per `<Say>`, 500 ms to press keys. */
  behaviour?: CallerBehaviour;
}

export interface SimulationOptions {
  /** Where the server listens. */
  serverBaseUrl: string;
  /** The server's `PUBLIC_BASE_URL`: webhooks are signed for it. Default `serverBaseUrl`. */
  publicBaseUrl?: string;
  /** The Twilio fake the server's `TWILIO_API_BASE_URL` points at, started with status callbacks on. */
  fake: TwilioFake;
  accountSid: string;
  authToken: string;
  /** The SQLite file to read customers' numbers from (opened read-only). */
  databaseFile?: string;
  /** Callers' numbers; used instead of (or when there is no) `databaseFile`. */
  callerNumbers?: readonly string[];
  /** The number callers dial; it picks the IVR flow. Default +14155550199, the demo line (no office hours). */
  to?: string;
  /** Mean arrival rate. */
  callsPerSecond: number;
  /** Stop placing calls after this long. Default: until `stop()`. */
  durationSeconds?: number;
  /** Bot agents' usernames; none: no bots (people or another process answer). */
  agents: readonly string[];
  /** Their password. Default `demo`. */
  password?: string;
  bots?: Partial<Omit<BotAgentsOptions, 'serverBaseUrl' | 'usernames' | 'password'>>;
  callerBehaviour?: CallerMix;
  /** IVR flows folder, to navigate by the same menus as the server. Default the shipped flows. */
  flowsDir?: string;
  /** Seed of the simulation's choices (numbers, menus, patience, talk). Default: random. */
  seed?: number;
  /** Every finished call. */
  onCall?: (transcript: CallTranscript) => void;
}

export interface SimulationCounters {
  placed: number;
  active: number;
  answered: number;
  abandoned: number;
  endedInIvr: number;
  endedByServer: number;
  transferred: number;
  /** Hung up when the simulation stopped, before an Agent joined. */
  stopped: number;
  failed: number;
}

export interface SimulationSummary {
  counters: SimulationCounters;
  seconds: number;
  /** Mean seconds callers waited in a conference, answered calls only / abandoned only. */
  meanWaitAnswered: number;
  meanWaitAbandoned: number;
  /** Status callbacks and webhooks the server did not answer with 2xx, by status (or error). */
  callbackFailures: Record<string, number>;
  webhookFailures: Record<string, number>;
  /** The last few failed calls' errors. */
  failures: { callSid: string; errors: string[] }[];
  bots: ReturnType<BotAgents['totals']> | null;
}

export interface Simulation {
  /** Live counters; read them while it runs. */
  counters: SimulationCounters;
  bots: BotAgents | null;
  engine: CallerEngine;
  summary(): SimulationSummary;
  /** Resolves when `durationSeconds` has passed and the calls placed have ended (never without a duration). */
  done: Promise<SimulationSummary>;
  /** Stops placing calls; hangs the live ones up (default) or lets them finish; stops the bots. */
  stop(options?: { hangUp?: boolean }): Promise<SimulationSummary>;
}

const OUTCOME_COUNTER: Record<CallerOutcome, keyof SimulationCounters> = {
  answered: 'answered',
  abandoned: 'abandoned',
  ended_in_ivr: 'endedInIvr',
  ended_by_server: 'endedByServer',
  transferred: 'transferred',
  stopped: 'stopped',
  failed: 'failed',
};

export async function startSimulation(options: SimulationOptions): Promise<Simulation> {
  const publicBaseUrl = options.publicBaseUrl ?? options.serverBaseUrl;
  const to = options.to ?? '+14155550199';
  const mix = options.callerBehaviour ?? {};
  const random = seeded(options.seed ?? Math.floor(Math.random() * 2 ** 31));
  const between = ([min, max]: readonly [number, number]) => min + (max - min) * random();
  const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(random() * items.length)];

  const known = [
    ...(options.callerNumbers ?? []),
    ...(options.databaseFile ? customerNumbers(options.databaseFile) : []),
  ];
  const unknownShare = known.length === 0 ? 1 : (mix.unknownShare ?? 0.1);
  const departments = Object.entries(mix.departments ?? { sales: 40, support: 40, billing: 20 });
  const flow = flowForNumber(await loadFlows(options.flowsDir ?? FLOWS_DIR), to);

  const engine = createCallerEngine({
    serverBaseUrl: options.serverBaseUrl,
    publicBaseUrl,
    accountSid: options.accountSid,
    authToken: options.authToken,
    fake: options.fake,
    behaviour: { sayMs: 300, thinkMs: 500, ...mix.behaviour },
  });
  const bots =
    options.agents.length > 0
      ? await startBotAgents({
          serverBaseUrl: options.serverBaseUrl,
          usernames: options.agents,
          password: options.password ?? 'demo',
          random,
          // The server admits only its configured origins, as a browser on its public URL sends.
          origin: publicBaseUrl,
          ...options.bots,
        })
      : null;

  const counters: SimulationCounters = {
    placed: 0,
    active: 0,
    answered: 0,
    abandoned: 0,
    endedInIvr: 0,
    endedByServer: 0,
    transferred: 0,
    stopped: 0,
    failed: 0,
  };
  const waits = { answered: [] as number[], abandoned: [] as number[] };
  const webhookFailures: Record<string, number> = {};
  const failures: SimulationSummary['failures'] = [];
  const inFlight = new Set<Promise<void>>();
  const started = Date.now();
  let stopped = false;
  let wakeArrivals: (() => void) | null = null;

  function callerNumber(): string {
    if (random() >= unknownShare) {
      const number = pick(known);
      if (number) return number;
    }
    // Fictional numbers: 555-0100…0199 in a few US area codes.
    const area = pick(['202', '212', '312', '415', '646']) ?? '415';
    return `+1${area}5550${100 + Math.floor(random() * 100)}`;
  }

  function placeOne(): void {
    const department = weighted(departments, random());
    const language = random() < (mix.mandarinShare ?? 0.1) ? 'zh-CN' : 'en-US';
    const call = engine.placeCall({
      from: callerNumber(),
      to,
      script: {
        input: navigateFlow(flow, {
          menus: { choose_language: language, department },
        }),
        patienceSeconds: between(mix.patienceSeconds ?? [30, 120]),
        talkSeconds: between(mix.talkSeconds ?? [10, 60]),
        voicemailSeconds: between([3, 15]),
        ...(random() < (mix.ivrAbandonShare ?? 0.02) && { abandonInIvrAfterSeconds: between([2, 10]) }),
        ...(mix.callbacks && { callbacks: mix.callbacks }),
        ...(mix.duplicateWebhooks !== undefined && { duplicateWebhooks: mix.duplicateWebhooks }),
      },
    });
    counters.placed += 1;
    counters.active += 1;
    const tracked = call.then(
      (transcript) => {
        counters[OUTCOME_COUNTER[transcript.outcome]] += 1;
        if (transcript.outcome === 'answered') waits.answered.push(transcript.waitedSeconds);
        if (transcript.outcome === 'abandoned') waits.abandoned.push(transcript.waitedSeconds);
        for (const webhook of transcript.webhooks) {
          if (webhook.status !== null && webhook.status < 300) continue;
          const key = webhook.error ?? String(webhook.status);
          webhookFailures[key] = (webhookFailures[key] ?? 0) + 1;
        }
        if (transcript.outcome === 'failed' || transcript.errors.length > 0) {
          failures.push({ callSid: transcript.callSid, errors: transcript.errors });
          if (failures.length > 10) failures.shift();
        }
        options.onCall?.(transcript);
      },
      (error: unknown) => {
        counters.failed += 1;
        failures.push({ callSid: '', errors: [error instanceof Error ? error.message : String(error)] });
      },
    );
    const settled = tracked.finally(() => {
      counters.active -= 1;
      inFlight.delete(settled);
    });
    inFlight.add(settled);
  }

  async function arrivals(): Promise<void> {
    const end = options.durationSeconds === undefined ? Infinity : started + options.durationSeconds * 1000;
    while (!stopped) {
      // Poisson arrivals: exponential gaps with mean 1/rate.
      const gapMs = (-Math.log(1 - random()) / options.callsPerSecond) * 1000;
      const wait = Math.min(gapMs, end - Date.now());
      if (wait > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, wait);
          wakeArrivals = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wakeArrivals = null;
      }
      if (stopped || Date.now() >= end) break;
      placeOne();
    }
  }

  async function drain(): Promise<void> {
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  }

  function summary(): SimulationSummary {
    const callbackFailures: Record<string, number> = {};
    for (const delivery of options.fake.deliveries) {
      const key = 'status' in delivery.result ? delivery.result.status : delivery.result.error;
      if (typeof key === 'number' && key < 300) continue;
      callbackFailures[String(key)] = (callbackFailures[String(key)] ?? 0) + 1;
    }
    return {
      counters: { ...counters },
      seconds: (Date.now() - started) / 1000,
      meanWaitAnswered: mean(waits.answered),
      meanWaitAbandoned: mean(waits.abandoned),
      callbackFailures,
      webhookFailures: { ...webhookFailures },
      failures: [...failures],
      bots: bots?.totals() ?? null,
    };
  }

  let finishing: Promise<SimulationSummary> | null = null;
  async function stop({ hangUp = true }: { hangUp?: boolean } = {}): Promise<SimulationSummary> {
    finishing ??= (async () => {
      stopped = true;
      wakeArrivals?.();
      await placing;
      if (hangUp) await engine.hangUpAll();
      await drain();
      await options.fake.settled();
      await bots?.stop();
      await engine.close();
      return summary();
    })();
    return finishing;
  }

  const placing = arrivals();
  const done =
    options.durationSeconds === undefined
      ? new Promise<SimulationSummary>(() => undefined)
      : placing.then(() => stop({ hangUp: false }));

  return { counters, bots, engine, summary, done, stop };
}

/** Customers' numbers, read-only, so a running server's database is safe. */
export function customerNumbers(databaseFile: string, limit = 50_000): string[] {
  const db = new Database(databaseFile, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT e164 FROM customer_phones ORDER BY id LIMIT ?').all(limit) as {
      e164: string;
    }[];
    return rows.map((row) => row.e164);
  } finally {
    db.close();
  }
}

function weighted(entries: readonly [string, number][], x: number): string {
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  let target = x * total;
  for (const [value, weight] of entries) {
    target -= weight;
    if (target < 0) return value;
  }
  return entries.at(-1)?.[0] ?? '';
}

function mean(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** mulberry32: small, fast and seedable, so a run can be repeated. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
