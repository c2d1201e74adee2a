import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAgent, makeCustomer, makeQueue } from '../../server/testing/factories.js';
import { until, type TestContext } from '../../server/testing/harness.js';
import { en } from '../i18n/en.js';
import { signIn, startBrowserApp } from '../testing/browser.js';

describe('console: follow-ups as work', () => {
  let ctx: TestContext;
  let browser: Browser;
  let baseUrl: string;
  let olivia: number;
  let support: number;

  beforeAll(async () => {
    ({ ctx, baseUrl, browser } = await startBrowserApp({
      arrange: async (db) => {
        await makeAgent(db, { username: 'ana', displayName: 'Ana Silva', skills: { support: 3 } });
        support = makeQueue(db, 'Support', { skills: { support: 1 } });
        olivia = makeCustomer(db, { name: 'Olivia Carter', phones: ['+14155550123'] });
      },
    }));
  });
  afterAll(async () => {
    await browser?.close();
    await ctx?.close();
  });

  const badge = (page: Page) => page.locator('[data-follow-up-badge]').first();

  async function checkNoOverflow(page: Page) {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  }

  it('creates a follow-up on the 360 page, finds it in the worklist with the nav count, and completes it', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    await signIn(page, baseUrl, 'ana', 'test-password');
    await page.goto(`${baseUrl}/customers/${olivia}`);
    await page.getByRole('heading', { name: 'Olivia Carter' }).waitFor();

    await page.getByRole('button', { name: en['followUps.new'] }).click();
    await page.getByLabel(en['followUpForm.kind']).selectOption('win_back');
    await page.getByLabel(en['followUpForm.title'], { exact: true }).fill('Offer the loyalty plan');
    await page.getByLabel(en['followUpForm.priority']).selectOption('high');
    await page.getByLabel(en['followUpForm.note']).fill('She asked about prices');
    await page.getByRole('button', { name: en['followUpForm.save'] }).click();
    // Listed on the 360 page, and counted in the navigation, without a reload.
    await page.getByText('Offer the loyalty plan').waitFor();
    await expect.poll(() => badge(page).textContent()).toBe('1');
    expect(ctx.db.prepare('SELECT kind, priority, status, source FROM follow_ups').all()).toEqual([
      { kind: 'win_back', priority: 'high', status: 'open', source: 'manual' },
    ]);

    await page.getByRole('link', { name: new RegExp(`^${en['nav.followUps']}`) }).click();
    await page.getByRole('heading', { name: en['followUpsPage.title'] }).waitFor();
    const item = page.locator('li[data-follow-up]').filter({ hasText: 'Offer the loyalty plan' });
    await item.waitFor();
    await item.getByText(en['followUps.customer'].replace('{name}', 'Olivia Carter')).waitFor();
    await item.getByRole('button', { name: en['followUps.action.complete'] }).click();
    await page.getByText(en['followUpsPage.empty']).waitFor();
    await badge(page).waitFor({ state: 'detached' });
    expect(ctx.db.prepare('SELECT status FROM follow_ups').get()).toEqual({ status: 'done' });
    await page.close();
  });

  it('shows the team worklist, an overdue one highlighted, and a due reminder as a toast, on a phone', async () => {
    const page = await browser.newPage({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    page.setDefaultTimeout(10_000);
    await signIn(page, baseUrl, 'ana', 'test-password');
    await page.goto(`${baseUrl}/follow-ups?list=team`);
    await page.getByRole('heading', { name: en['followUpsPage.title'] }).waitFor();
    // The push below reaches only a console whose socket is in: wait for it, or the test races it.
    await until(async () => (await ctx.app.io.fetchSockets()).length > 0, "the console's socket");

    ctx.app.followUps.createByRule({
      kind: 'service_recovery',
      customerId: olivia,
      ownerQueueId: support,
      dueAt: new Date(Date.now() - 60_000).toISOString(),
      priority: 'urgent',
      note: 'Survey score 1 of 5',
      sourceKey: 'survey:e2e',
    });
    // The push reloads the list; the reminder sweep (every process runs it) sends the toast once.
    const item = page.locator('li[data-follow-up].overdue');
    await item.waitFor();
    await item.getByText(en['followUps.overdue']).waitFor();
    expect(ctx.app.followUps.sweepReminders()).toBe(1);
    await page
      .locator('[data-reminder="overdue"]')
      .getByText(/Service recovery for Olivia Carter is overdue/)
      .waitFor();
    await checkNoOverflow(page);
    await page.close();
  });
});
