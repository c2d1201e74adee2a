import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAgent, makeCustomer } from '../../server/testing/factories.js';
import { as, login, type TestContext } from '../../server/testing/harness.js';
import { signIn, startBrowserApp } from '../testing/browser.js';
import { en } from '../i18n/en.js';

const DAY_MS = 86_400_000;

/** The date input's value `days` after `from`, in the browser's (and this machine's) time zone. */
function inputDate(from: Date, days: number): string {
  const date = new Date(from.getTime() + days * DAY_MS);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

describe('console: a customer’s tier, its reason, and a supervisor’s override', () => {
  let ctx: TestContext;
  let browser: Browser;
  let baseUrl: string;
  let olivia: number;

  beforeAll(async () => {
    ({ ctx, baseUrl, browser } = await startBrowserApp({
      // The server's clock starts at the real now (the browser's cookies and date input use real
      // time); the last test moves it past an override's expiry by hand.
      clockStart: new Date(),
      arrange: async (db) => {
        await makeAgent(db, { username: 'ana', role: 'agent' });
        await makeAgent(db, { username: 'sam', role: 'supervisor', displayName: 'Sam Super' });
        olivia = makeCustomer(db, { name: 'Olivia Carter' });
      },
    }));
    const supervisor = as(ctx.app, await login(ctx.app, 'sam', 'test-password'));
    const recorded = await supervisor('POST', `/api/customers/${olivia}/value-events`, {
      amount: 48_200,
      currency: 'CNY',
      occurredAt: new Date(ctx.clock.now().getTime() - DAY_MS).toISOString(),
      reference: 'ORD-48200',
    });
    expect(recorded.statusCode, recorded.body).toBe(201);
    await ctx.app.customerValue.recomputeAll();
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
    await page.getByLabel(en['value.override.expires']).fill(inputDate(ctx.clock.now(), 7));
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

  it('shows the override until its day, then the computed tier and reason again', async () => {
    const page = await browser.newPage();
    await open(page, 'sam');
    await page.getByText(/Bronze: lifetime value .*48,200/).waitFor();
    await page.getByLabel(en['value.override.tier']).selectOption('platinum');
    await page.getByLabel(en['value.override.reason']).fill('Goodwill after an outage');
    await page.getByLabel(en['value.override.expires']).fill(inputDate(ctx.clock.now(), 3));
    await page.getByRole('button', { name: en['value.override.save'] }).click();
    await page.getByText(/Overridden to Platinum until/).waitFor();
    expect(ctx.db.prepare('SELECT tier FROM customers WHERE id = ?').get(olivia)).toEqual({
      tier: 'platinum',
    });
    await page.close();

    // Four days on, the nightly run clears what expired (the delayed expiry job does the same).
    ctx.clock.advance(4 * DAY_MS);
    ctx.app.customerValue.expireOverrides();

    const later = await browser.newPage();
    await open(later, 'sam');
    await later.getByText(/Bronze: lifetime value .*48,200/).waitFor();
    expect(await later.getByText(/Overridden to/).count()).toBe(0);
    expect(ctx.db.prepare('SELECT tier FROM customers WHERE id = ?').get(olivia)).toEqual({ tier: 'bronze' });
    const audit = ctx.db
      .prepare(
        "SELECT action FROM audit_log WHERE entity_type = 'customer' AND entity_id = ? AND action LIKE 'customer.tier_override%' ORDER BY id",
      )
      .all(String(olivia));
    // The phone test's override and its early end, then this one and its expiry.
    expect(audit.map((row) => (row as { action: string }).action)).toEqual([
      'customer.tier_override',
      'customer.tier_override_cleared',
      'customer.tier_override',
      'customer.tier_override_expired',
    ]);
    await later.close();
  });
});
