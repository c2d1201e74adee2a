import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAgent, makeCustomer } from '../../server/testing/factories.js';
import type { TestContext } from '../../server/testing/harness.js';
import { signIn, startBrowserApp } from '../testing/browser.js';
import { en } from '../i18n/en.js';

describe('console: customer export, data package and erasure', () => {
  let ctx: TestContext;
  let browser: Browser;
  let baseUrl: string;
  let ids: { olivia: number };

  beforeAll(async () => {
    ({ ctx, baseUrl, browser } = await startBrowserApp({
      arrange: async (db) => {
        await makeAgent(db, { username: 'ada', role: 'admin', displayName: 'Ada Admin' });
        await makeAgent(db, { username: 'ana', role: 'agent' });
        ids = { olivia: makeCustomer(db, { name: 'Olivia Carter', phones: ['+14155550123'] }) };
      },
    }));
  });
  afterAll(async () => {
    await browser?.close();
    await ctx?.close();
  });

  it('lets an admin on a phone export the search, download the package and erase the customer', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    page.setDefaultTimeout(15_000);
    await signIn(page, baseUrl, 'ada', 'test-password');
    await page.goto(`${baseUrl}/customers?q=Olivia`);
    const exportLink = page.getByRole('link', { name: en['search.exportResults'] });
    expect(await exportLink.getAttribute('href')).toBe('/api/customers/export.csv?q=Olivia');

    await page.goto(`${baseUrl}/customers/${ids.olivia}`);
    const packageLink = page.getByRole('link', { name: en['privacy.package'] });
    expect(await packageLink.getAttribute('href')).toBe(`/api/customers/${ids.olivia}/data-package`);
    await page.getByRole('button', { name: en['privacy.erase'] }).click();
    await page.getByLabel(en['privacy.reason']).fill('Erasure request, ticket 4711');
    await page.getByLabel(en['privacy.confirmName'].replace('{name}', 'Olivia Carter')).fill('Olivia');
    await page.getByRole('button', { name: en['privacy.eraseForGood'] }).click();
    await page.getByText(en['privacy.nameMismatch']).waitFor();
    await page.getByLabel(en['privacy.confirmName'].replace('{name}', 'Olivia Carter')).fill('olivia carter');
    await page.getByRole('button', { name: en['privacy.eraseForGood'] }).click();
    await page.getByText(en['customer.erased']).waitFor();
    await page.getByRole('button', { name: en['privacy.erase'] }).waitFor({ state: 'detached' });
    expect(
      ctx.db.prepare('SELECT erased_at FROM customers WHERE id = ?').pluck().get(ids.olivia),
    ).not.toBeNull();
    await page.close();
  });

  it('shows an agent neither the export nor the personal data card', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(15_000);
    await signIn(page, baseUrl, 'ana', 'test-password');
    await page.goto(`${baseUrl}/customers/${ids.olivia}`);
    await page.getByRole('heading', { name: en['notes.title'] }).waitFor();
    expect(await page.getByRole('heading', { name: en['privacy.title'] }).count()).toBe(0);
    await page.goto(`${baseUrl}/customers?q=Olivia`);
    await page.getByRole('heading', { name: en['search.title'] }).waitFor();
    expect(await page.getByRole('link', { name: en['search.exportResults'] }).count()).toBe(0);
    await page.close();
  });
});
