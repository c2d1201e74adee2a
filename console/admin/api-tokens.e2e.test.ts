import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAgent } from '../../server/testing/factories.js';
import type { TestContext } from '../../server/testing/harness.js';
import { en } from '../i18n/en.js';
import { signIn, startBrowserApp } from '../testing/browser.js';

describe('console: an admin creates an API token, sees it once, and revokes it', () => {
  let ctx: TestContext;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    ({ ctx, baseUrl, browser } = await startBrowserApp({
      arrange: async (db) => {
        await makeAgent(db, { username: 'boss', role: 'admin', displayName: 'Bo Admin' });
      },
    }));
  });
  afterAll(async () => {
    await browser?.close();
    await ctx?.close();
  });

  const callWith = (token: string) =>
    ctx.app.inject({
      method: 'GET',
      url: '/api/supervision/queues',
      headers: { authorization: `Bearer ${token}` },
    });

  it('works on a phone: create → secret shown once → the token calls the API → revoke after confirming', async () => {
    const page = await browser.newPage({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    page.setDefaultTimeout(10_000);
    await signIn(page, baseUrl, 'boss', 'test-password');
    await page.goto(`${baseUrl}/admin`);
    await page.getByRole('heading', { name: en['apiTokens.title'] }).waitFor();
    await page.getByText(en['apiTokens.empty']).waitFor();

    // The admin page has other forms with a Name field (event webhooks): this one is the tokens'.
    const tokens = page.locator('cti-api-tokens');
    await tokens.getByLabel(en['apiTokens.name']).fill('Wallboard feed');
    await tokens.getByLabel(en['apiTokens.role']).selectOption('supervisor');
    await tokens.getByRole('button', { name: en['apiTokens.create'] }).click();
    await page.getByText(en['apiTokens.secretWarning']).waitFor();
    const secret = await page.locator('#api-token-secret').inputValue();
    expect(secret).toMatch(/^cti_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    await page.getByRole('button', { name: en['apiTokens.copy'] }).click();
    await page.getByText(new RegExp(`${en['apiTokens.copied']}|${en['apiTokens.copyFailed']}`)).waitFor();
    expect((await callWith(secret)).statusCode).toBe(200);

    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    // Once dismissed, the secret is nowhere on the page; the list shows only its prefix.
    await page.getByRole('button', { name: en['apiTokens.done'] }).click();
    const row = page.locator('tr', { hasText: 'Wallboard feed' });
    await row.getByText(en['apiTokens.state.active']).waitFor();
    expect(await page.content()).not.toContain(secret);
    await page.reload();
    await row.waitFor();
    expect(await row.textContent()).toContain(secret.slice(0, 16));

    await row.getByRole('button', { name: 'Revoke Wallboard feed' }).click();
    await row.getByText('Revoke Wallboard feed? Systems using it are refused at once.').waitFor();
    expect((await callWith(secret)).statusCode).toBe(200);
    await row.getByRole('button', { name: en['apiTokens.revoke'], exact: true }).click();
    await row.getByText(en['apiTokens.state.revoked']).waitFor();
    expect((await callWith(secret)).statusCode).toBe(401);
    await page.close();
  });
});
