import type { Logger } from 'pino';
import { startSimulation, type Simulation } from './simulation.js';
import type { Config } from '../server/config.js';
import { startTwilioFake, type TwilioFake } from './twilio-fake/index.js';

/** The demo line (ivr/flows/numbers.yaml → demo.yaml: the main menu at any hour). */
export const DEMO_LINE = '+14155550199';
const DEMO_ACCOUNT_SID = `AC${'d'.repeat(32)}`;
// Not a secret: it only signs webhooks between this process and its own fake of Twilio.
const DEMO_AUTH_TOKEN = 'demo-simulator-token';
/** agent1 is left for the person trying the console. */
const BOT_AGENTS = ['agent2', 'agent3', 'agent4', 'agent5', 'agent6', 'agent7'];
/** A gentle rate: one call about every 12 seconds. */
const CALLS_PER_SECOND = 1 / 12;

/** Demo mode's phone network: what the server is given as its Twilio account, then the traffic on it. */
export interface DemoTelephony {
  /** The server's configuration with the fake as its Twilio account. */
  config: Config;
  /** Callers and bot agents start once the server listens at `serverBaseUrl`. */
  startTraffic(options: { serverBaseUrl: string; log: Logger }): Promise<void>;
  /** The average gap between two simulated calls, for the banner. */
  secondsBetweenCalls: number;
  /** Hangs the simulated calls up and closes the fake. */
  stop(): Promise<void>;
}

/**
 * Demo mode's stand-in for Twilio: a local fake of its REST API, given to the server as its Twilio
 * account before the app is built, then callers and bot agents once it listens. The server loads
 * this module only in demo mode, so production start never reaches the simulator.
 */
export async function prepareDemoTelephony(config: Config): Promise<DemoTelephony> {
  const fake = await startTwilioFake({
    accountSid: DEMO_ACCOUNT_SID,
    authToken: DEMO_AUTH_TOKEN,
    statusCallbacks: true,
    conferenceCallbacks: true,
    autoAnswer: { afterMs: 800 },
  });
  const demoConfig: Config = {
    ...config,
    twilio: {
      accountSid: DEMO_ACCOUNT_SID,
      authToken: DEMO_AUTH_TOKEN,
      callerId: DEMO_LINE,
      apiBaseUrl: new URL(fake.baseUrl),
    },
  };
  let simulation: Simulation | null = null;
  return {
    config: demoConfig,
    secondsBetweenCalls: Math.round(1 / CALLS_PER_SECOND),
    async startTraffic({ serverBaseUrl, log }) {
      simulation = await startDemoTraffic({ config: demoConfig, fake, serverBaseUrl, log });
    },
    async stop() {
      await simulation?.stop({ hangUp: true }).catch(() => undefined);
      await fake.close();
    },
  };
}

function startDemoTraffic(options: {
  config: Config;
  fake: TwilioFake;
  serverBaseUrl: string;
  log: Logger;
}): Promise<Simulation> {
  const { config, fake, serverBaseUrl, log } = options;
  return startSimulation({
    serverBaseUrl,
    publicBaseUrl: config.publicBaseUrl.origin,
    fake,
    accountSid: DEMO_ACCOUNT_SID,
    authToken: DEMO_AUTH_TOKEN,
    databaseFile: config.databaseFile,
    to: DEMO_LINE,
    callsPerSecond: CALLS_PER_SECOND,
    agents: BOT_AGENTS,
    password: 'demo',
    bots: { acceptDelayMs: [1000, 4000], wrapUpDelayMs: [3000, 8000], log: (message) => log.warn(message) },
    callerBehaviour: { patienceSeconds: [60, 180], talkSeconds: [20, 90] },
  });
}
