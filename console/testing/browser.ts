import { accessSync, constants } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createTestContext, type TestContext } from '../../server/testing/harness.js';
import { en } from '../i18n/en.js';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** Headless Debian Chromium, with the flags this machine's closed network needs. */
export async function launchChromium(
  options: {
    /** Runs Chromium through this wrapper, e.g. `TestNetns.wrap` to put it in a network namespace. */
    wrap?: (executablePath: string) => string;
    /** More command-line flags (fake media devices, …). */
    args?: string[];
  } = {},
): Promise<Browser> {
  const executablePath = CANDIDATES.find((path) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
  if (!executablePath)
    throw new Error(`Chromium not found (looked at ${CANDIDATES.join(', ')}); run npm test to install it`);
  return chromium.launch({
    executablePath: options.wrap ? options.wrap(executablePath) : executablePath,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
      ...(options.args ?? []),
    ],
  });
}

/**
 * Opens `url` in the console and signs in on its sign-in page (English). Resolves once the server has
 * answered the sign-in (the session cookie is set when it succeeded): the sign-in page has a heading
 * of its own, so waiting for "a heading" could let a test navigate before it is signed in.
 */
export async function signIn(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel(en['login.username']).fill(username);
  await page.getByLabel(en['login.password']).fill(password);
  const answered = page.waitForResponse(
    (response) =>
      response.request().method() === 'POST' && new URL(response.url()).pathname === '/api/auth/login',
  );
  await page.getByRole('button', { name: en['login.submit'] }).click();
  await answered;
}

/**
 * A browser test's setup: the test app (`createTestContext`; on the system clock unless the test
 * starts a manual one) listening on a free loopback port, and Chromium. The caller closes both.
 */
export async function startBrowserApp(
  options: Parameters<typeof createTestContext>[0] = {},
): Promise<{ ctx: TestContext; baseUrl: string; browser: Browser }> {
  const ctx = await createTestContext({
    ...options,
    clock: options.clock ?? (options.clockStart ? 'manual' : 'system'),
  });
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
  return { ctx, baseUrl, browser: await launchChromium() };
}
