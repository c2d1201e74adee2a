// Twilio's side of a call benchmark in a process of its own: the fake of Twilio's REST API that the
// server calls over HTTP, and the callers who follow the server's TwiML. They share this process
// because the caller engine plays the calls on the fake's state (conferences, hang-ups) in memory.
import { createCallerEngine, deliverVia } from '../../simulator/callers/caller-engine.js';
import { startTwilioFake, type TwilioFake } from '../../simulator/twilio-fake/index.js';
import { serveBenchProcess } from './bench-process.js';
import { placePacedCalls } from './paced-calls.js';

type Deliver = ReturnType<typeof deliverVia>;

let fake: TwilioFake | null = null;
let account = { sid: '', token: '' };
/** Where status callbacks go: each to the next server process, as a load balancer would. */
let servers: Deliver[] = [];
let nextServer = 0;

const handlers = {
  /** Starts the fake; answers the base URL the servers' TWILIO_API_BASE_URL names. */
  async startFake({ accountSid, authToken }: { accountSid: string; authToken: string }) {
    account = { sid: accountSid, token: authToken };
    fake = await startTwilioFake({
      accountSid,
      authToken,
      statusCallbacks: true,
      autoAnswer: { afterMs: 50 },
      deliver: (request) => servers[(nextServer += 1) % servers.length]!(request),
    });
    return fake.baseUrl;
  },

  /**
   * Places `cps` calls a second for `durationSeconds`, each through the next server in turn, signed
   * for `publicOrigin`; resolves when every call has ended, with each call's outcome and the response
   * times of its webhooks.
   */
  async placeCalls(options: {
    serverOrigins: string[];
    publicOrigin: string;
    numbers: string[];
    cps: number;
    durationSeconds: number;
  }) {
    servers = options.serverOrigins.map((origin) => deliverVia(origin, options.publicOrigin));
    const engines = options.serverOrigins.map((origin) =>
      createCallerEngine({
        serverBaseUrl: origin,
        publicBaseUrl: options.publicOrigin,
        accountSid: account.sid,
        authToken: account.token,
        fake: fake!,
      }),
    );
    const { started, calls } = await placePacedCalls(engines, options.numbers, options);
    const placedSeconds = (performance.now() - started) / 1000;
    const transcripts = await Promise.all(calls);
    const endedSeconds = (performance.now() - started) / 1000;
    await Promise.all(engines.map((engine) => engine.close()));
    return {
      placedSeconds,
      endedSeconds,
      calls: transcripts.map((t) => ({
        callSid: t.callSid,
        outcome: t.outcome,
        webhookMs: t.webhooks.filter((w) => w.status !== null).map((w) => w.ms),
        errors: t.errors,
      })),
    };
  },

  close: async () => fake?.close(),
};

export type TwilioLoad = typeof handlers;

serveBenchProcess(handlers);
