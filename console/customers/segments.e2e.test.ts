import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAgent, makeCustomer } from '../../server/testing/factories.js';
import type { TestContext } from '../../server/testing/harness.js';
import { signIn, startBrowserApp } from '../testing/browser.js';
import { en } from '../i18n/en.js';

describe('console: segments in the customer list', () => {
  let ctx: TestContext;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    ({ ctx, baseUrl, browser } = await startBrowserApp({
      arrange: async (db) => {
        await makeAgent(db, { username: 'sam', role: 'supervisor', displayName: 'Sam Super' });
        await makeAgent(db, { username: 'ana', role: 'agent' });
        makeCustomer(db, { name: 'Olivia Carter', tier: 'gold' });
        makeCustomer(db, { name: 'Wei Zhang', tier: 'gold', lifecycleStage: 'at_risk' });
        makeCustomer(db, { name: 'Bob Bronze', tier: 'bronze' });
      },
    }));
  });
  afterAll(async () => {
    await browser?.close();
    await ctx?.close();
  });

  /** The list's status line (the manager shows each segment's count too). */
  const members = (page: Page) => page.locator('p.status', { hasText: '2 customers in this segment' });

  async function open(page: Page, username: string) {
    page.setDefaultTimeout(10_000);
    await signIn(page, baseUrl, username, 'test-password');
    await page.goto(`${baseUrl}/customers`);
    await page.getByRole('heading', { name: en['segments.title'] }).waitFor();
  }

  it('saves the filters as a segment with its live count, then lists its customers when picked', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await open(page, 'sam');
    await page.getByText('3 customers match').waitFor();
    await page.getByRole('checkbox', { name: en['tier.gold'] }).check();
    await page.getByText('2 customers match').waitFor();
    await page.getByRole('checkbox', { name: en['lifecycle.at_risk'] }).check();
    await page.getByText('1 customer matches').waitFor();
    await page.getByRole('checkbox', { name: en['lifecycle.at_risk'] }).uncheck();
    await page.getByText('2 customers match').waitFor();

    await page.getByLabel(en['segments.name'], { exact: true }).fill('Gold customers');
    await page.getByRole('button', { name: en['segments.save'] }).click();
    await members(page).waitFor();
    const picker = page.getByLabel(en['segments.pick'], { exact: true });
    expect(await picker.locator('option:checked').textContent()).toMatch(/Gold customers \(2\)/);
    const names = page.locator('#results .name');
    await expect.poll(() => names.allTextContents()).toEqual(['Olivia Carter', 'Wei Zhang']);
    expect(ctx.db.prepare('SELECT name, filter FROM segments').all()).toEqual([
      { name: 'Gold customers', filter: JSON.stringify({ tiers: ['gold'] }) },
    ]);
    await page.getByRole('link', { name: en['segments.export'] }).waitFor();

    // Back to searching, then the saved segment again from the picker.
    await picker.selectOption({ label: en['segments.none'] });
    await members(page).waitFor({ state: 'detached' });
    await picker.selectOption({ label: 'Gold customers (2)' });
    await members(page).waitFor();
    await page.close();
  });

  it('lets an agent pick a segment on a phone, without saving, managing or exporting', async () => {
    const page = await browser.newPage({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    await open(page, 'ana');
    await page.getByLabel(en['segments.pick'], { exact: true }).selectOption({ label: 'Gold customers (2)' });
    await members(page).waitFor();
    expect(await page.getByRole('button', { name: en['segments.save'] }).count()).toBe(0);
    expect(await page.getByText(en['segments.manage']).count()).toBe(0);
    expect(await page.getByRole('link', { name: en['segments.export'] }).count()).toBe(0);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.close();
  });
});
