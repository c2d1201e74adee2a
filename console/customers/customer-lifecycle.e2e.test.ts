import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../simulator/demo-data/seed-demo.js';
import type { TestContext } from '../../server/testing/harness.js';
import { signIn, startBrowserApp } from '../testing/browser.js';
import { en } from '../i18n/en.js';
import { zhCN } from '../i18n/zh-CN.js';

describe('console: the lifecycle card and the churn risk on the 360 page', () => {
  let ctx: TestContext;
  let browser: Browser;
  let baseUrl: string;
  let target: { id: number; name: string; score: number; stage: string };

  beforeAll(async () => {
    ({ ctx, baseUrl, browser } = await startBrowserApp({
      arrange: (db) => seedDemo(db, { customers: 200, days: 30, interactionsPerDay: 80 }),
    }));
    // A customer the seed's evaluation put at risk, with reasons and a stage change to show.
    target = ctx.db
      .prepare(
        `SELECT c.id, c.name, l.churn_score AS score, c.lifecycle_stage AS stage
         FROM customers c JOIN customer_lifecycle l ON l.customer_id = c.id
         WHERE c.erased_at IS NULL AND c.lifecycle_stage = 'at_risk' AND l.churn_reasons <> '[]'
           AND EXISTS (SELECT 1 FROM customer_lifecycle_changes h WHERE h.customer_id = c.id)
         ORDER BY l.churn_score DESC, c.id LIMIT 1`,
      )
      .get() as typeof target;
  });
  afterAll(async () => {
    await browser?.close();
    await ctx?.close();
  });

  async function open(viewport: { width: number; height: number }): Promise<Page> {
    const page = await browser.newPage({ viewport });
    page.setDefaultTimeout(10_000);
    await signIn(page, baseUrl, 'agent1', 'demo');
    await page.getByRole('heading', { name: en['desk.title'], level: 1 }).waitFor();
    await page.goto(`${baseUrl}/customers/${target.id}`);
    return page;
  }

  it('shows the stage, the churn score with its reasons and the stage changes, in English and Chinese', async () => {
    expect(target).toBeDefined();
    const page = await open({ width: 1280, height: 900 });
    const card = page.locator('cti-customer-lifecycle');
    await card.getByRole('heading', { name: en['lifecycle.section'] }).waitFor();
    await card.getByText(en['churn.score'].replace('{score}', String(target.score))).waitFor();
    await card.getByRole('meter').waitFor();
    expect(
      await card.getByRole('list', { name: en['churn.reasons'] }).getByRole('listitem').count(),
    ).toBeGreaterThan(0);
    await card.getByRole('heading', { name: en['lifecycle.history'] }).waitFor();
    await card.getByText(en['lifecycle.source.rules']).first().waitFor();

    await page.getByRole('combobox', { name: en['language.label'] }).selectOption('zh-CN');
    await card.getByRole('heading', { name: zhCN['lifecycle.section'] }).waitFor();
    await card.getByText(zhCN['churn.title'], { exact: true }).waitFor();
    await card.getByText(zhCN['lifecycle.source.rules']).first().waitFor();
    await page.close();
  });

  it('fits a 390-px-wide phone screen', async () => {
    const page = await open({ width: 390, height: 844 });
    await page
      .locator('cti-customer-lifecycle')
      .getByRole('heading', { name: en['lifecycle.section'] })
      .waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.close();
  });
});
