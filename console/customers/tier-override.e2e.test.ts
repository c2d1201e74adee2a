import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAgent, makeCustomer } from '../../server/testing/factories.js';
import { as, createTestContext, login, type TestContext } from '../../server/testing/harness.js';
import { launchChromium, signIn } from '../testing/browser.js';
import { en } from '../i18n/en.js';

/** The date input's value a week from today, in the browser's (and this machine's) time zone. */
function weekAhead(): string {
  const date = new Date(Date.now() + 7 * 86_400_000);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

describe('console: a customer’s tier, its reason, and a supervisor’s override', () => {
  let ctx: TestContext;
  let browser: Browser;
  let baseUrl: string;
  let olivia: number;

  beforeAll(async () => {
    ctx = await createTestContext({
      clock: 'system',
      arrange: async (db) => {
        await makeAgent(db, { username: 'ana', role: 'agent' });
        await makeAgent(db, { username: 'sam', role: 'supervisor', displayName: 'Sam Super' });
        olivia = makeCustomer(db, { name: 'Olivia Carter' });
      },
    });
    const supervisor = as(ctx.app, await login(ctx.app, 'sam', 'test-password'));
    const recorded = await supervisor('POST', `/api/customers/${olivia}/value-events`, {
      amount: 48_200,
      currency: 'CNY',
      occurredAt: new Date(Date.now() - 86_400_000).toISOString(),
      reference: 'ORD-48200',
    });
    expect(recorded.statusCode, recorded.body).toBe(201);
    await ctx.app.customerValue.recomputeAll();
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(ctx.app.server.address() as { port: number }).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await ctx?.close();
  });

  async function open(page: Page, username: string) {
    page.setDefaultTimeout(10_000);
    await signIn(page, baseUrl, username, 'test-password');
    await page.goto(`${baseUrl}/customers/${olivia}`);
    await page.getByRole('heading', { name: en['value.title'] }).waitFor();
  }

  it('shows the supervisor why, and lets them override the tier until a date, on a phone', async () => {
    const page = await browser.newPage({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    await open(page, 'sam');
    await page.getByText(/Bronze: lifetime value .*48,200, top 100/).waitFor();

    await page.getByLabel(en['value.override.tier']).selectOption('gold');
    await page.getByLabel(en['value.override.reason']).fill('Key account in renewal talks');
    await page.getByLabel(en['value.override.expires']).fill(weekAhead());
    await page.getByRole('button', { name: en['value.override.save'] }).click();
    await page.getByText(/Overridden to Gold until/).waitFor();
    await page.getByText('By Sam Super: Key account in renewal talks').waitFor();
    expect(ctx.db.prepare('SELECT tier FROM customers WHERE id = ?').get(olivia)).toEqual({ tier: 'gold' });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    await page.getByRole('button', { name: en['value.override.end'] }).click();
    await page.getByText(/Overridden to/).waitFor({ state: 'detached' });
    expect(ctx.db.prepare('SELECT tier FROM customers WHERE id = ?').get(olivia)).toEqual({ tier: 'bronze' });
    await page.close();
  });

  it('gives an agent the reason but no tier control, in the value card or the editor', async () => {
    const page = await browser.newPage();
    await open(page, 'ana');
    await page.getByText(/Bronze: lifetime value/).waitFor();
    expect(await page.getByRole('heading', { name: en['value.override.title'] }).count()).toBe(0);
    await page.getByRole('button', { name: en['customer.edit'] }).click();
    await page.getByRole('heading', { name: en['edit.title'] }).waitFor();
    expect(await page.getByLabel(en['tier.label'], { exact: true }).count()).toBe(0);
    expect(await page.getByRole('combobox', { name: en['edit.lifecycle'] }).count()).toBe(1);
    await page.close();
  });
});
