import type { FastifyInstance } from 'fastify';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import twilio from 'twilio';
import { buildApp } from '../app.js';
import { systemClock } from '../clock.js';
import type { Db } from '../../db/connection.js';
import { connectDesk } from './desk-socket.js';
import { createTestContext, login } from './harness.js';
import { startTwilioFake, type TwilioFake } from '../../simulator/twilio-fake/index.js';
import type { Me } from '../auth/auth.schemas.js';
import { conferenceNameOf } from '../telephony/index.js';

export const ACCOUNT_SID = `AC${'1'.repeat(32)}`;
export const AUTH_TOKEN = 'test-auth-token';
/** The address Twilio knows the app by: it signs its webhooks over it, and browsers come from it. */
export const PUBLIC = 'https://cti.example.com';
export const OUR_NUMBER = '+14155550100';

/** The plainest IVR: every caller hears one prompt and waits in Support's queue. */
export const SUPPORT_FLOW = `
id: test
version: 1
language: en-US
start: support
nodes:
  support:
    type: route_to_queue
    queue: Support
    prompt:
      en-US: Connecting you to support.
`;

/** A webhook's form; Twilio repeats a key for each value of a list. */
export type TwilioForm = Record<string, string | string[]>;

export interface TwilioAppOptions {
  /** IVR flows by id, each written to `<id>.yaml`. */
  flows: Record<string, string>;
  /** The numbers.yaml that maps dialled numbers to flows; every number reaches `test` unless told. */
  numbers?: string;
  arrange?: (db: Db) => unknown;
  /** Added to the Twilio settings, or overriding them. */
  env?: Record<string, string>;
  clock?: 'manual' | 'system';
  /** Off unless asked: the test drives reconciliation itself. */
  callTimers?: boolean;
  /** Whose desk opens over socket.io on a listening server, as a browser at PUBLIC; `false` for none. */
  desk?: string | false;
}

/**
 * The real app wired to the stateful fake of Twilio's REST API, with its IVR flows in a temp folder,
 * and an Agent's desk open. The fake posts nothing: the test delivers Twilio's webhooks itself,
 * signed with Twilio's own helper.
 */
export async function startTwilioApp(options: TwilioAppOptions) {
  const fake = await startTwilioFake({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  const flowsDir = mkdtempSync(join(tmpdir(), 'cti-flows-'));
  for (const [id, yaml] of Object.entries(options.flows)) writeFileSync(join(flowsDir, `${id}.yaml`), yaml);
  writeFileSync(join(flowsDir, 'numbers.yaml'), options.numbers ?? 'default: test\n');
  const callTimers = options.callTimers ?? false;
  const ctx = await createTestContext({
    clock: options.clock,
    env: {
      PUBLIC_BASE_URL: PUBLIC,
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_CALLER_ID: OUR_NUMBER,
      TWILIO_API_BASE_URL: fake.baseUrl,
      ...options.env,
    },
    app: { flowsDir, callTimers },
    arrange: options.arrange,
  });
  const username = options.desk ?? 'ana';
  let app = ctx.app;
  let origin = '';
  let cookie = '';
  const open = async () => {
    if (username === false) return undefined;
    await app.listen({ port: 0, host: '127.0.0.1' });
    origin = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    cookie = await login(app, username, 'test-password');
    return connectDesk(origin, cookie, PUBLIC);
  };
  let desk = await open();

  return {
    ctx,
    fake,
    get app(): FastifyInstance {
      return app;
    },
    /** The desk of `options.desk`; a test that asked for none must not use it. */
    get desk() {
      return desk!;
    },
    /** Where the server listens, and the desk Agent's session cookie. */
    get origin() {
      return origin;
    },
    get cookie() {
      return cookie;
    },

    /** POSTs a webhook the way Twilio does: form-encoded, signed over the public URL. */
    webhook: (pathAndQuery: string, params: TwilioForm) => {
      const body = new URLSearchParams();
      for (const [name, value] of Object.entries(params))
        for (const one of [value].flat()) body.append(name, one);
      return app.inject({
        method: 'POST',
        url: pathAndQuery,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': twilio.getExpectedTwilioSignature(AUTH_TOKEN, PUBLIC + pathAndQuery, params),
        },
        payload: body.toString(),
      });
    },

    /** Stops the server (no process listens) and starts a new one on the same SQLite file and Redis prefix. */
    restart: async (whileDown: () => void | Promise<void> = () => {}) => {
      desk?.socket.disconnect();
      await app.close();
      await whileDown();
      const clock = options.clock === 'system' ? systemClock : ctx.clock;
      app = await buildApp(ctx.config, { clock, flowsDir, callTimers });
      desk = await open();
    },

    close: async () => {
      desk?.socket.disconnect();
      if (app !== ctx.app) await app.close();
      await ctx.close();
      await fake.close();
      rmSync(flowsDir, { recursive: true, force: true });
    },
  };
}

export type TwilioApp = Awaited<ReturnType<typeof startTwilioApp>>;

/**
 * A Twilio caller from `from` waits in Support's conference; `agent` goes Available, accepts the offer
 * and their phone answers. Resolves with the Interaction's id.
 */
export async function connectedTwilioCall(
  app: FastifyInstance,
  fake: TwilioFake,
  agent: Me,
  from = '+14155550123',
): Promise<number> {
  const callSid = fake.arrive({ from, to: OUR_NUMBER }).sid;
  const { interactionId } = await app.calls.arrive({
    provider: 'twilio',
    providerCallId: callSid,
    from,
    to: OUR_NUMBER,
  });
  await app.calls.enqueue(interactionId, { queueName: 'Support', priorityBoostSeconds: 0, ivrAnswers: {} });
  fake.joinConference(callSid, conferenceNameOf(interactionId));
  await app.calls.setStatus(agent, { status: 'available' });
  const offer = (await app.calls.deskState(agent.id)).offer!;
  await app.calls.accept(agent, offer.reservationId);
  await app.calls.agentLegAnswered(interactionId);
  return interactionId;
}

/** A caller from `from` dials our number on the fake; `form` is what each of the call's webhooks carries. */
export function inboundCall(fake: TwilioFake, from: string) {
  const callSid = fake.arrive({ from, to: OUR_NUMBER }).sid;
  const form = {
    AccountSid: ACCOUNT_SID,
    CallSid: callSid,
    From: from,
    To: OUR_NUMBER,
    Direction: 'inbound',
  };
  return { callSid, form };
}
