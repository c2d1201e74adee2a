import type { FastifyInstance } from 'fastify';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../db/connection.js';
import { migrate } from '../db/migrate.js';
import { FLOWS_DIR, flowForNumber, loadFlows, type Flow } from '../ivr/index.js';
import { buildApp } from '../server/app.js';
import type { Clock } from '../server/clock.js';
import { loadConfig } from '../server/config.js';
import { seedDemo } from './demo-data/seed-demo.js';
import { deleteRedisKeys, freePort } from '../server/testing/harness.js';
import { startTwilioFake, type TwilioFake } from './twilio-fake/index.js';
import { startBotAgents, type BotAgents } from './bot-agents.js';
import { createCallerEngine, type CallerEngine, type CallerScript } from './callers/caller-engine.js';
import { navigateFlow } from './callers/ivr-navigator.js';
import { startSimulation } from './simulation.js';

/**
 * The simulator against the real server: the app built as `npm start` builds it (real IVR flows,
 * ACD in Redis, SQLite seeded with a small demo set), listening on a port, with Twilio's REST API
 * played by the fake. Bots answer on the desk over socket.io; callers follow the TwiML.
 */

const ACCOUNT = `AC${randomBytes(16).toString('hex')}`;
const TOKEN = randomBytes(16).toString('hex');
const MAIN_LINE = '+14155550100';
/** The app's clock runs at real speed from a Wednesday, 11:00 in New York, so the office is open. */
const OPEN = Date.parse('2026-11-18T16:00:00Z');

describe('simulated callers and bot agents against the real server', () => {
  let dataDir: string;
  let redisPrefix: string;
  let db: Db;
  let app: FastifyInstance;
  let origin: string;
  let fake: TwilioFake;
  let engine: CallerEngine;
  let bots: BotAgents;
  let flow: Flow;
  let logText = '';
  /** Two billing agents; neither takes Sales calls. */
  const BILLING_BOTS = ['agent2', 'agent5'];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cti-sim-'));
    redisPrefix = `test:${randomUUID()}:`;
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    fake = await startTwilioFake({
      accountSid: ACCOUNT,
      authToken: TOKEN,
      statusCallbacks: true,
      conferenceCallbacks: true,
      autoAnswer: { afterMs: 200 },
    });
    const config = loadConfig({
      PORT: String(port),
      DATA_DIR: dataDir,
      REDIS_PREFIX: redisPrefix,
      PUBLIC_BASE_URL: origin,
      DEMO: '1',
      LOG_LEVEL: 'warn',
      LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
      TWILIO_ACCOUNT_SID: ACCOUNT,
      TWILIO_AUTH_TOKEN: TOKEN,
      TWILIO_CALLER_ID: MAIN_LINE,
      TWILIO_API_BASE_URL: fake.baseUrl,
    });
    db = openDatabase({ file: config.databaseFile });
    migrate(db);
    await seedDemo(db, { customers: 40, days: 2, interactionsPerDay: 5 });
    const offset = OPEN - Date.now();
    const clock: Clock = { now: () => new Date(Date.now() + offset) };
    app = await buildApp(config, {
      clock,
      logStream: new Writable({
        write(chunk: Buffer, _encoding, done) {
          logText += chunk.toString();
          done();
        },
      }),
    });
    await app.listen({ port, host: '127.0.0.1' });
    flow = flowForNumber(await loadFlows(FLOWS_DIR), MAIN_LINE);
    engine = createCallerEngine({
      serverBaseUrl: origin,
      publicBaseUrl: origin,
      accountSid: ACCOUNT,
      authToken: TOKEN,
      fake,
      numbers: { to: MAIN_LINE, from: () => knownNumber() },
    });
    bots = await startBotAgents({
      serverBaseUrl: origin,
      usernames: BILLING_BOTS,
      password: 'demo',
      acceptDelayMs: [50, 150],
      wrapUpDelayMs: 100,
    });
    await until(() => bots.bots.every((bot) => bot.desk?.status === 'available'), 'bots available');
  });

  afterEach((test) => {
    if (test.task.result?.state === 'fail') {
      console.error(logText.slice(-5000));
      console.error(bots.bots.map((bot) => `${bot.username}: ${bot.errors.join(' | ')}`).join('\n'));
    }
  });

  afterAll(async () => {
    await engine?.close();
    await bots?.stop();
    await app?.close();
    await fake?.close();
    db?.close();
    await deleteRedisKeys(redisPrefix);
    rmSync(dataDir, { recursive: true, force: true });
  });

  let phoneIndex = 0;
  /** A different seeded customer's number for each call. */
  function knownNumber(): string {
    const row = db
      .prepare('SELECT e164 FROM customer_phones ORDER BY id LIMIT 1 OFFSET ?')
      .get(phoneIndex++) as {
      e164: string;
    };
    return row.e164;
  }

  const script = (department: string, extra: CallerScript = {}): CallerScript => ({
    input: navigateFlow(flow, { menus: { department } }),
    patienceSeconds: 20,
    talkSeconds: 1,
    ...extra,
  });

  const interactionOf = (callSid: string) =>
    db.prepare('SELECT * FROM interactions WHERE provider_call_id = ?').get(callSid) as
      Record<string, unknown> | undefined;
  const eventsOf = (id: unknown) =>
    (
      db.prepare('SELECT type FROM interaction_events WHERE interaction_id = ? ORDER BY id').all(id) as {
        type: string;
      }[]
    ).map((e) => e.type);
  const agentIds = () =>
    BILLING_BOTS.map(
      (username) =>
        (db.prepare('SELECT id FROM agents WHERE username = ?').get(username) as { id: number }).id,
    );

  it('answers a billing call, and the bot wraps it up with a code: one complete interaction', async () => {
    const transcript = await engine.placeCall({ script: script('billing') });

    expect(transcript.errors).toEqual([]);
    expect(transcript.outcome).toBe('answered');
    expect(transcript.webhooks.every((w) => w.status === 200)).toBe(true);
    await until(() => interactionOf(transcript.callSid)?.wrap_up_code_id != null, 'the wrap-up');
    const interaction = interactionOf(transcript.callSid)!;
    expect(interaction).toMatchObject({
      provider: 'twilio',
      state: 'completed',
      outcome: 'answered',
      caller_number: transcript.from,
    });
    expect(interaction.customer_id).not.toBeNull();
    expect(agentIds()).toContain(interaction.agent_id);
    const events = eventsOf(interaction.id);
    for (const type of ['offered', 'answered', 'ended', 'wrap_up_submitted']) expect(events).toContain(type);
    expect(events.indexOf('offered')).toBeLessThan(events.indexOf('answered'));
    expect(events.indexOf('ended')).toBeLessThan(events.indexOf('wrap_up_submitted'));
    await fake.settled();
    expect(fake.deliveries.filter((d) => !('status' in d.result) || d.result.status >= 300)).toEqual([]);
    expect(await app.acd.checkInvariants()).toEqual([]);
  });

  it('records a caller who gives up while queued, with no agent for the queue, as abandoned', async () => {
    const transcript = await engine.placeCall({ script: script('sales', { patienceSeconds: 1.5 }) });

    expect(transcript.outcome).toBe('abandoned');
    await until(() => interactionOf(transcript.callSid)?.state === 'completed', 'the end');
    expect(interactionOf(transcript.callSid)).toMatchObject({ outcome: 'abandoned', agent_id: null });
    const events = eventsOf(interactionOf(transcript.callSid)!.id);
    expect(events).toContain('queued');
    expect(events).not.toContain('offered');
  });

  it('keeps exactly one interaction per call when Twilio retries every webhook and callback', async () => {
    fake.delivery = { duplicate: 1 };
    try {
      const transcript = await engine.placeCall({
        script: script('billing', { duplicateWebhooks: 1, callbacks: { duplicate: 1 } }),
      });
      expect(transcript.outcome).toBe('answered');
      expect(transcript.webhooks.filter((w) => w.retry).length).toBeGreaterThan(0);
      await until(() => interactionOf(transcript.callSid)?.wrap_up_code_id != null, 'the wrap-up');
      await fake.settled();
      expect(fake.deliveries.some((d) => d.retry && d.params.CallSid === transcript.callSid)).toBe(true);

      const rows = db
        .prepare('SELECT count(*) AS n FROM interactions WHERE provider_call_id = ?')
        .get(transcript.callSid) as { n: number };
      expect(rows.n).toBe(1);
      const events = eventsOf(interactionOf(transcript.callSid)!.id);
      for (const type of ['arrived', 'queued', 'answered', 'ended', 'wrap_up_submitted']) {
        expect(events.filter((e) => e === type)).toHaveLength(1);
      }
      expect(interactionOf(transcript.callSid)).toMatchObject({ outcome: 'answered', state: 'completed' });
    } finally {
      fake.delivery = {};
    }
  });

  it('runs a short simulation: Poisson arrivals from customers’ numbers, its own bots, no failures', async () => {
    const simulation = await startSimulation({
      serverBaseUrl: origin,
      publicBaseUrl: origin,
      fake,
      accountSid: ACCOUNT,
      authToken: TOKEN,
      databaseFile: join(dataDir, 'cti.sqlite'),
      callsPerSecond: 2,
      durationSeconds: 3,
      agents: ['agent4', 'agent7', 'agent9'],
      bots: { acceptDelayMs: [50, 200], wrapUpDelayMs: 100 },
      callerBehaviour: {
        patienceSeconds: [3, 5],
        talkSeconds: [0.5, 1.5],
        behaviour: { sayMs: 0, thinkMs: 0 },
      },
      seed: 7,
    });
    const summary = await simulation.done;

    // The default number is the demo line (no office hours).
    expect(summary.counters.placed).toBeGreaterThan(0);
    expect(summary.counters.answered).toBeGreaterThan(0);
    expect(summary.counters.active).toBe(0);
    expect(summary.counters.failed).toBe(0);
    expect(summary.failures).toEqual([]);
    expect(summary.webhookFailures).toEqual({});
    expect(summary.callbackFailures).toEqual({});
    const { placed, answered, abandoned, endedInIvr, endedByServer, transferred, stopped } = summary.counters;
    expect(stopped).toBe(0);
    expect(answered + abandoned + endedInIvr + endedByServer + transferred).toBe(placed);
    expect(summary.bots?.signedIn).toBe(3);
    expect(await app.acd.checkInvariants()).toEqual([]);
  });
});

async function until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
