import { randomBytes } from 'node:crypto';
import type { Browser, Locator, Page } from 'playwright-core';
import type { Db } from '../../db/connection.js';
import { createTestContext, freePort, type TestContext } from '../../server/testing/harness.js';
import { createCallerEngine } from '../../simulator/callers/caller-engine.js';
import { seedDemo } from '../../simulator/demo-data/seed-demo.js';
import { DEMO_LINE } from '../../simulator/demo-traffic.js';
import { startTwilioFake, type TwilioFake } from '../../simulator/twilio-fake/index.js';
import { launchChromium, signIn } from './browser.js';

export interface DemoConsole {
  ctx: TestContext;
  fake: TwilioFake;
  browser: Browser;
  /** Where the app listens, as the browser reaches it. */
  origin: string;
  /** The first seeded customer with a US number: the caller the tests ring in as. */
  caller: { id: number; name: string; phone: string };
  /** Simulated callers dialling in through the fake, webhooks signed as Twilio signs them. */
  callers(): ReturnType<typeof createCallerEngine>;
  /** A page signed in as `username` (password `demo`) on its first screen. */
  open(username: string, viewport?: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
}

/**
 * The demo as a person meets it: the app in demo mode on a free port with seeded data, the Twilio
 * fake calling its webhooks and answering every Agent's phone, and Chromium.
 */
export async function startDemoConsole(options: {
  seed: Parameters<typeof seedDemo>[1];
  /** After the seed, e.g. a policy the test needs. */
  arrange?: (db: Db) => unknown;
}): Promise<DemoConsole> {
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
  const ctx = await createTestContext({
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
      await options.arrange?.(db);
    },
  });
  await ctx.app.listen({ port, host: '127.0.0.1' });
  const caller = ctx.db
    .prepare<[], DemoConsole['caller']>(
      `SELECT c.id, c.name, min(p.e164) AS phone FROM customers c JOIN customer_phones p ON p.customer_id = c.id
       WHERE c.erased_at IS NULL AND p.e164 LIKE '+1%' GROUP BY c.id ORDER BY c.id LIMIT 1`,
    )
    .get()!;
  const browser = await launchChromium();
  return {
    ctx,
    fake,
    browser,
    origin,
    caller,
    callers: () =>
      createCallerEngine({ serverBaseUrl: origin, publicBaseUrl: origin, accountSid, authToken, fake }),
    async open(username, viewport = { width: 1280, height: 900 }) {
      const page = await browser.newPage({ viewport });
      page.setDefaultTimeout(10_000);
      await signIn(page, origin, username, 'demo');
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      return page;
    },
    async close() {
      await browser.close();
      await ctx.close();
      await fake.close();
    },
  };
}

/** On the desk: waits for the socket, goes Available and waits to be offered calls. */
export async function goAvailable(page: Page): Promise<void> {
  await page.getByText('Connected', { exact: true }).waitFor();
  await page.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Available' });
  await page.getByText('Waiting for calls', { exact: true }).waitFor();
}

/** Loads an `<audio>` and resolves with its length in seconds; rejects when the browser cannot. */
export function audioDuration(audio: Locator): Promise<number> {
  return audio.evaluate(
    (element: HTMLAudioElement) =>
      new Promise<number>((resolve, reject) => {
        element.addEventListener('loadedmetadata', () => resolve(element.duration), { once: true });
        element.addEventListener('error', () => reject(new Error('the audio did not load')), {
          once: true,
        });
        element.load();
      }),
  );
}
