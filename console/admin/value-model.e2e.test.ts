import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAgent } from '../../server/testing/factories.js';
import type { TestContext } from '../../server/testing/harness.js';
import { signIn, startBrowserApp } from '../testing/browser.js';
import { en } from '../i18n/en.js';

describe('console: an admin edits the customer value model', () => {
  let ctx: TestContext;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    ({ ctx, baseUrl, browser } = await startBrowserApp({
      arrange: async (db) => {
        await makeAgent(db, { username: 'ada', role: 'admin', displayName: 'Ada Admin' });
      },
    }));
  });
  afterAll(async () => {
    await browser?.close();
    await ctx?.close();
  });

  it('shows mistakes beside their field, saves a valid model, on a phone', async () => {
    const page = await browser.newPage({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    page.setDefaultTimeout(10_000);
    await signIn(page, baseUrl, 'ada', 'test-password');
    await page.goto(`${baseUrl}/admin`);
    await page.getByRole('heading', { name: en['valueModel.title'] }).waitFor();
    await page.getByText(en['valueModel.source.file']).waitFor();
    const platinum = page.getByLabel('Platinum (% of customers)');
    expect(await platinum.inputValue()).toBe('1');

    await platinum.fill('abc');
    await page.getByRole('button', { name: en['valueModel.save'] }).click();
    await page.getByText(en['valueModel.error.number']).waitFor();
    expect(await platinum.getAttribute('aria-invalid')).toBe('true');

    await platinum.fill('90');
    await page.getByRole('button', { name: en['valueModel.save'] }).click();
    await page.getByText(en['valueModel.error.shares']).waitFor();

    await platinum.fill('2');
    await page.getByLabel(en['valueModel.weight.recentSpend']).fill('3');
    await page.getByRole('button', { name: en['valueModel.rate.add'] }).click();
    await page.locator('#rate-6-currency').fill('aud');
    await page.locator('#rate-6-value').fill('4.7');
    await page.getByRole('button', { name: en['valueModel.save'] }).click();
    await page.getByText(en['valueModel.saved']).waitFor();
    await page.getByText(/Last changed in the console by Ada Admin/).waitFor();
    expect(ctx.app.valueModel.current()).toMatchObject({
      exchangeRates: expect.objectContaining({ AUD: 4.7 }),
      weights: expect.objectContaining({ recentSpend: 3 }),
      tiers: expect.objectContaining({ platinum: 2 }),
    });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.close();
  });
});
