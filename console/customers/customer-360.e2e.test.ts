import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizePhone } from '../../server/customers/index.js';
import { seedDemo } from '../../simulator/demo-data/seed-demo.js';
import { launchChromium, signIn } from '../testing/browser.js';
import { createTestContext, type TestContext } from '../../server/testing/harness.js';
import { en } from '../i18n/en.js';
import { zhCN } from '../i18n/zh-CN.js';

interface Target {
  id: number;
  name: string;
  e164: string;
  interactions: number;
  latestNote: string | null;
}

describe('console: find a customer by part of a phone number and read their history', () => {
  let ctx: TestContext;
  let browser: Browser;
  let baseUrl: string;
  let target: Target;

  beforeAll(async () => {
    ctx = await createTestContext({
      clock: 'system',
      arrange: (db) =>
        seedDemo(db, {
          customers: 400,
          days: 30,
          interactionsPerDay: 120,
          now: new Date('2026-11-20T12:00:00Z'),
        }),
    });
    // The English-named customer with the longest history, so the timeline needs paging.
    target = ctx.db
      .prepare(
        `SELECT c.id, c.name, min(p.e164) AS e164, count(DISTINCT i.id) AS interactions,
                (SELECT notes FROM interactions WHERE customer_id = c.id ORDER BY arrived_at DESC, id DESC LIMIT 1) AS latestNote
         FROM customers c
         JOIN customer_phones p ON p.customer_id = c.id AND p.e164 LIKE '+1%'
         JOIN interactions i ON i.customer_id = c.id
         WHERE c.erased_at IS NULL
         GROUP BY c.id ORDER BY interactions DESC, c.id LIMIT 1`,
      )
      .get() as Target;
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    const address = ctx.app.server.address() as { port: number };
    baseUrl = `http://127.0.0.1:${address.port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await ctx?.close();
  });

  async function signInAs(page: Page, username = 'agent1') {
    page.setDefaultTimeout(10_000);
    await signIn(page, baseUrl, username, 'demo');
  }

  /** Seven digits from the middle of the national number, typed with a dash: "555-0123". */
  const fragmentOf = (e164: string) => {
    const digits = e164.slice(-7);
    return `${digits.slice(0, 3)}-${digits.slice(3)}`;
  };

  it('signs in, searches by a phone fragment, opens the 360 page and reads the timeline; then switches to Chinese', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signInAs(page);
    // Agents land on the desk; search is one click away in the navigation.
    await page.getByRole('heading', { name: en['desk.title'], level: 1 }).waitFor();
    await page.getByRole('link', { name: en['nav.customers'] }).click();

    const search = page.getByRole('searchbox', { name: en['search.label'] });
    await search.fill(fragmentOf(target.e164));
    const result = page.getByRole('link', { name: new RegExp(target.name) });
    await result.first().click();

    await expect.poll(() => page.getByRole('heading', { name: target.name, level: 1 }).count()).toBe(1);
    expect(page.url()).toBe(`${baseUrl}/customers/${target.id}`);
    await page.getByRole('heading', { name: en['timeline.title'] }).waitFor();
    const shown = en['timeline.count']
      .replace('{shown}', '\\d+')
      .replace('{total}', String(target.interactions));
    await page.getByText(new RegExp(shown)).first().waitFor();
    if (target.latestNote) await page.getByText(target.latestNote).first().waitFor();

    await page.getByRole('combobox', { name: en['language.label'] }).selectOption('zh-CN');
    await page.getByRole('heading', { name: zhCN['timeline.title'] }).waitFor();
    await page
      .getByRole('searchbox', { name: zhCN['search.label'] })
      .or(page.getByRole('link', { name: zhCN['nav.customers'] }))
      .first()
      .waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await page.close();
  });

  it('works on a 390-px-wide phone screen without sideways scrolling', async () => {
    const page = await browser.newPage({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    await signInAs(page, 'supervisor');
    await page.getByRole('searchbox', { name: en['search.label'] }).fill(normalizePhone(target.e164, 'US')!);
    await page
      .getByRole('link', { name: new RegExp(target.name) })
      .first()
      .click();
    await page.getByRole('heading', { name: en['timeline.title'] }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.close();
  });

  it('finds nobody for a new number and creates the customer with it from the search page', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signInAs(page);
    await page.getByRole('link', { name: en['nav.customers'] }).click();
    await page.getByRole('link', { name: en['customerCreate.title'] }).waitFor();
    const number = '+1 415 555 0199';
    await page.getByRole('searchbox', { name: en['search.label'] }).fill(number);
    await page.getByText(en['search.empty']).waitFor();
    await page.getByRole('link', { name: `Create a new customer with ${number}` }).click();
    await page.getByRole('heading', { name: en['customerCreate.title'], level: 1 }).waitFor();
    expect(await page.getByLabel(en['edit.phoneNumber']).inputValue()).toBe(number);
    await page.getByLabel(en['edit.name']).fill('Ada Newcomer');
    await page.getByRole('button', { name: en['customerCreate.submit'] }).click();
    await page.getByRole('heading', { name: 'Ada Newcomer', level: 1 }).waitFor();
    const created = ctx.db
      .prepare(
        `SELECT c.name FROM customers c JOIN customer_phones p ON p.customer_id = c.id WHERE p.e164 = '+14155550199'`,
      )
      .get();
    expect(created).toEqual({ name: 'Ada Newcomer' });
    await page.close();
  });

  it('shows the server’s message for a wrong password and stays on the sign-in page', async () => {
    const page = await browser.newPage();
    await signIn(page, baseUrl, 'agent1', 'not-the-password');
    await page
      .getByRole('alert')
      .filter({ hasText: /wrong username or password/i })
      .waitFor();
    expect(await page.getByRole('searchbox', { name: en['search.label'] }).count()).toBe(0);
    await page.close();
  });
});
