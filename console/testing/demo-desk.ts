import { randomBytes } from 'node:crypto';
import type { Browser, Locator } from 'playwright-core';
import type { Db } from '../../db/connection.js';
import { createCallerEngine, type CallerEngine } from '../../simulator/callers/caller-engine.js';
import { DEMO_LINE } from '../../simulator/demo-traffic.js';
import { seedDemo } from '../../simulator/demo-data/seed-demo.js';
import { launchChromium } from './browser.js';
import { createTestContext, freePort, type TestContext } from '../../server/testing/harness.js';
import { startTwilioFake, type TwilioFake } from '../../simulator/twilio-fake/index.js';

/**
 * A demo-mode server listening on a free port, its Twilio REST API faked (signed callbacks, phones that
 * answer after 200 ms), seeded with demo data, and Chromium to open the console in.
 */
export interface DemoDesk {
  ctx: TestContext;
  fake: TwilioFake;
  browser: Browser;
  /** The server's origin, e.g. `http://127.0.0.1:40123`. */
  origin: string;
  /** The first customer with a US number: the simulated caller. */
  caller: { id: number; name: string; phone: string };
  /** A simulated caller on the demo line, signing its webhooks with this server's account. */
  callerEngine(): CallerEngine;
  close(): Promise<void>;
}

export async function startDemoDesk(options: {
  seed: NonNullable<Parameters<typeof seedDemo>[1]>;
  /** Changes to the seeded data, before the server starts. */
  arrange?: (db: Db) => void;
}): Promise<DemoDesk> {
  const accountSid = `AC${randomBytes(16).toString('hex')}`;
  const authToken = randomBytes(16).toString('hex');
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const fake = await startTwilioFake({
    accountSid,
    authToken,
    statusCallbacks: true,
    conferenceCallbacks: true,
    autoAnswer: { afterMs: 200 },
  });
  let ctx: TestContext | undefined;
  let caller: DemoDesk['caller'];
  let browser: Browser;
  try {
    ctx = await createTestContext({
      clock: 'system',
      env: {
        PORT: String(port),
        PUBLIC_BASE_URL: origin,
        DEMO: '1',
        TWILIO_ACCOUNT_SID: accountSid,
        TWILIO_AUTH_TOKEN: authToken,
        TWILIO_CALLER_ID: DEMO_LINE,
        TWILIO_API_BASE_URL: fake.baseUrl,
      },
      arrange: async (db) => {
        await seedDemo(db, options.seed);
        options.arrange?.(db);
      },
    });
    await ctx.app.listen({ port, host: '127.0.0.1' });
    caller = ctx.db
      .prepare(
        `SELECT c.id, c.name, min(p.e164) AS phone FROM customers c JOIN customer_phones p ON p.customer_id = c.id
         WHERE c.erased_at IS NULL AND p.e164 LIKE '+1%' GROUP BY c.id ORDER BY c.id LIMIT 1`,
      )
      .get() as DemoDesk['caller'];
    browser = await launchChromium();
  } catch (error) {
    await ctx?.close();
    await fake.close();
    throw error;
  }
  return {
    ctx,
    fake,
    browser,
    origin,
    caller,
    callerEngine: () =>
      createCallerEngine({ serverBaseUrl: origin, publicBaseUrl: origin, accountSid, authToken, fake }),
    async close() {
      await browser.close();
      await ctx.close();
      await fake.close();
    },
  };
}

/** Loads an `<audio>` element's media through the page and resolves with its length, in seconds. */
export function audioDuration(audio: Locator): Promise<number> {
  return audio.evaluate(
    (element: HTMLAudioElement) =>
      new Promise<number>((resolve, reject) => {
        element.addEventListener('loadedmetadata', () => resolve(element.duration), { once: true });
        element.addEventListener('error', () => reject(new Error('the audio did not load')), { once: true });
        element.load();
      }),
  );
}
