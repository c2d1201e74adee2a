import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAgent, makeCustomer, makeInteraction } from '../../server/testing/factories.js';
import type { TestContext } from '../../server/testing/harness.js';
import { signIn, startBrowserApp } from '../testing/browser.js';
import { en } from '../i18n/en.js';

describe('console: duplicate customers', () => {
  let ctx: TestContext;
  let browser: Browser;
  let baseUrl: string;
  let ids: { lee: number; wong: number; leeCall: number; wongCall: number };

  beforeAll(async () => {
    ({ ctx, baseUrl, browser } = await startBrowserApp({
      arrange: async (db) => {
        await makeAgent(db, { username: 'sue', role: 'supervisor' });
        // The same phone number, written two ways: one record from an old system, one from a call.
        const lee = makeCustomer(db, { name: 'Lee Wong', phones: ['+1 (415) 555-0199'] });
        const wong = makeCustomer(db, { name: 'L. Wong', phones: ['+14155550199'] });
        ids = {
          lee,
          wong,
          leeCall: makeInteraction(db, { customerId: lee, arrivedAt: '2026-11-20T09:00:00.000Z' }),
          wongCall: makeInteraction(db, { customerId: wong, arrivedAt: '2026-11-21T09:00:00.000Z' }),
        };
      },
    }));
  });
  afterAll(async () => {
    await browser?.close();
    await ctx?.close();
  });

  it('lists two customers with the same phone; merging them leaves one with both histories', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    page.setDefaultTimeout(15_000);
    await signIn(page, baseUrl, 'sue', 'test-password');
    await page.goto(`${baseUrl}/customers/duplicates`);
    const pair = page.getByRole('article', {
      name: en['duplicates.pairLabel'].replace('{a}', 'Lee Wong').replace('{b}', 'L. Wong'),
    });
    await pair.getByRole('button', { name: en['duplicates.merge'] }).click();
    await pair.getByRole('button', { name: en['duplicates.confirmMerge'], exact: true }).click();
    await page.getByText(en['duplicates.merged'].split('{name}')[0]!).waitFor();

    const mergedInto = ctx.db
      .prepare('SELECT id, merged_into AS mergedInto FROM customers WHERE id IN (?, ?) ORDER BY id')
      .all(ids.lee, ids.wong) as { id: number; mergedInto: number | null }[];
    const survivor = mergedInto.find((customer) => customer.mergedInto === null)!.id;
    expect(mergedInto.filter((customer) => customer.mergedInto === survivor)).toHaveLength(1);
    expect(
      ctx.db.prepare('SELECT id FROM interactions WHERE customer_id = ? ORDER BY id').pluck().all(survivor),
    ).toEqual([ids.leeCall, ids.wongCall]);
    await page.close();
  });
});
