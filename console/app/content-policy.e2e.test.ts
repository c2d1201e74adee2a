import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, signIn } from '../testing/browser.js';
import { makeAgent, makeQueue } from '../../server/testing/factories.js';
import { createTestContext, type TestContext } from '../../server/testing/harness.js';
import { en } from '../i18n/en.js';

describe('console under the Content-Security-Policy', () => {
  let ctx: TestContext;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    ctx = await createTestContext({
      clock: 'system',
      arrange: async (db) => {
        await makeAgent(db, { username: 'sue', role: 'supervisor' });
        makeQueue(db, 'Support');
      },
    });
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    origin = `http://127.0.0.1:${(ctx.app.server.address() as { port: number }).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await ctx?.close();
  });

  it('signs in and shows the live wallboard with nothing blocked', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    const violations: string[] = [];
    await page.exposeFunction('reportViolation', (text: string) => violations.push(text));
    await page.addInitScript(() =>
      document.addEventListener('securitypolicyviolation', (event) =>
        (window as unknown as { reportViolation(text: string): void }).reportViolation(
          `${event.effectiveDirective} ${event.blockedURI}`,
        ),
      ),
    );
    await signIn(page, origin, 'sue', 'test-password');
    await page.getByRole('link', { name: en['nav.wallboard'] }).click();
    // The tile's figures arrive over socket.io: the WebSocket to our own origin passed connect-src.
    await page.getByRole('article', { name: 'Support' }).locator('[data-figure="waiting"]').waitFor();
    expect(violations).toEqual([]);
    await page.close();
  });
});
