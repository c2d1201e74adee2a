import { renderKamailioConfig } from '../telephony/sip/kamailio-config.js';
import { startKamailio, type RunningKamailio } from '../telephony/sip/kamailio-process.js';
import type { Db } from '../../db/connection.js';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { makeAgent, makeQueue } from './factories.js';
import { as, createTestContext, freePorts, login, type TestContext } from './harness.js';
import type { SipPhoneOptions } from './sip-phone.js';

/** The SIP domain the edge tests' Agents register in. */
export const SIP_TEST_DOMAIN = 'cti.test';

export interface SipEdge {
  ctx: TestContext;
  kamailio: RunningKamailio;
  sipPort: number;
  close: () => Promise<void>;
}

/**
 * Our server listening on a free port with the SIP edge configured, and a Kamailio rendered from that
 * configuration in front of it. `env` adds settings (SIP_* limits); `arrange` fills the database.
 */
export async function startSipEdge(options: {
  secret: string;
  env?: Record<string, string>;
  arrange?: (db: Db) => unknown;
}): Promise<SipEdge> {
  const [appPort, sipPort, controlPort, wsPort] = (await freePorts(4)) as [number, number, number, number];
  const ctx = await createTestContext({
    env: {
      SIP_SHARED_SECRET: options.secret,
      SIP_PORT: String(sipPort),
      SIP_WS_PORT: String(wsPort),
      SIP_CONTROL_PORT: String(controlPort),
      SIP_CTI_URL: `http://127.0.0.1:${appPort}`,
      ...options.env,
    },
    clock: 'system',
    app: { callTimers: false },
    ...(options.arrange && { arrange: options.arrange }),
  });
  await ctx.app.listen({ port: appPort, host: '127.0.0.1' });
  const kamailio = await startKamailio({
    config: renderKamailioConfig(ctx.config.sip!, { children: 2 }),
    controlPort,
    sharedSecret: ctx.config.sip!.sharedSecret,
  });
  return {
    ctx,
    kamailio,
    sipPort,
    close: async () => {
      await kamailio.stop();
      await ctx.close();
    },
  };
}

export interface SipEdgeSetup {
  secret: string;
  /** Added to SIP_DOMAIN (SIP_TEST_DOMAIN, set with `agents`); a function is asked again for each edge (free ports). */
  env?: Record<string, string> | (() => Promise<Record<string, string>>);
  /** Agents made with a SIP address in SIP_TEST_DOMAIN; none unless told. */
  agents?: string[];
  /** The settings of the Support queue every edge test has. */
  support?: Parameters<typeof makeQueue>[2];
  /** One edge for the whole file instead of a fresh one per test. */
  once?: boolean;
  /** What a failed test prints: Kamailio's output (default) or our server's log. */
  failureLog?: 'kamailio' | 'app';
}

/**
 * Registers the hooks that start an edge before each test (or the file, with `once`) and close it
 * after, first closing what the test handed to `defer` (last first). Read `edge` inside tests.
 */
export function useSipEdge(setup: SipEdgeSetup): {
  readonly edge: SipEdge;
  defer(close: () => unknown): void;
} {
  let edge: SipEdge | undefined;
  let closers: (() => unknown)[] = [];
  const start = async () => {
    closers = [];
    edge = await startSipEdge({
      secret: setup.secret,
      env: {
        ...(setup.agents && { SIP_DOMAIN: SIP_TEST_DOMAIN }),
        ...(typeof setup.env === 'function' ? await setup.env() : setup.env),
      },
      arrange: async (db) => {
        for (const username of setup.agents ?? [])
          await makeAgent(db, { username, sipAddress: `sip:${username}@${SIP_TEST_DOMAIN}` });
        makeQueue(db, 'Support', setup.support);
      },
    });
  };
  const closeDeferred = async () => {
    for (const close of closers.splice(0).reverse()) await close();
  };
  if (setup.once) {
    beforeAll(start, 30_000);
    afterAll(async () => {
      await closeDeferred();
      await edge?.close();
    });
  } else {
    beforeEach(start, 30_000);
    afterEach(async (test) => {
      if (test.task.result?.state === 'fail' && edge)
        console.error(
          setup.failureLog === 'app' ? edge.ctx.logs().slice(-4000) : edge.kamailio.output().slice(-3000),
        );
      await closeDeferred();
      await edge?.close();
    });
  }
  return {
    get edge() {
      if (!edge) throw new Error('useSipEdge: read edge inside a test or hook');
      return edge;
    },
    defer: (close) => void closers.push(close),
  };
}

/** Signs `username` in and fetches the SIP credentials their softphone registers with. */
export async function signInWithSip<Credentials = SipPhoneOptions>(
  app: FastifyInstance,
  username: string,
): Promise<{ cookie: string; credentials: Credentials }> {
  const cookie = await login(app, username, 'test-password');
  const response = await as(app, cookie)('GET', '/api/sip/credentials');
  if (response.statusCode !== 200) throw new Error(`SIP credentials for ${username}: ${response.statusCode}`);
  return { cookie, credentials: response.json<Credentials>() };
}
