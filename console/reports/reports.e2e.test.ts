import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { playCalls } from '../../server/testing/calls-month.js';
import { makeAgent, makeCustomer, makeQueue, makeWrapUpCodes } from '../../server/testing/factories.js';
import { createTestContext, type TestContext } from '../../server/testing/harness.js';
import { launchChromium, signIn } from '../testing/browser.js';
import { en } from '../i18n/en.js';
import { zhCN } from '../i18n/zh-CN.js';

const DAY_MS = 86_400_000;

/** The drill-down's rows after "Load more" until the last page. */
async function allDrillIds(page: Page): Promise<number[]> {
  const more = page.getByRole('button', { name: en['reports.drill.loadMore'] });
  const rows = page.locator('tr[data-id]');
  await rows.first().waitFor();
  for (;;) {
    const shown = await rows.count();
    if (!(await more.isVisible())) break;
    await more.click();
    await expect.poll(() => rows.count()).toBeGreaterThan(shown);
  }
  return await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-id'))));
}

/**
 * A supervisor opens Reports, filters one queue, clicks a figure and gets exactly the interactions it
 * counts, follows one to its customer, and exports those interactions as CSV.
 */
describe('reports: from a figure to its interactions and their CSV', () => {
  let ctx: TestContext;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    ctx = await createTestContext({
      clock: 'system',
      arrange: async (db) => {
        await makeAgent(db, { username: 'sue', role: 'supervisor', displayName: 'Sue Park' });
        const agents = [];
        for (const name of ['ana', 'bo', 'cy']) agents.push(await makeAgent(db, { username: name }));
        const queues = [makeQueue(db, 'Support'), makeQueue(db, 'Sales')];
        const customers = (['platinum', 'gold', 'silver', 'bronze'] as const).map((tier, n) =>
          makeCustomer(db, { name: `Customer ${n}`, tier }),
        );
        makeWrapUpCodes(db, 'default', [
          { code: 'billing', label: 'Billing' },
          { code: 'outage', label: 'Outage' },
        ]);
        const codes = db.prepare('SELECT id FROM wrap_up_codes').pluck().all() as number[];
        // Closed calls over the 20 days up to yesterday: all inside "Last 30 days" in any zone.
        const start = new Date(Math.floor((Date.now() - 21 * DAY_MS) / DAY_MS) * DAY_MS);
        playCalls(db, { queues, agents, customers, codes }, start, 240);
        // Their walks through the IVR, as the IVR run records them: every third call ended at the menu.
        db.prepare(
          `UPDATE interactions SET ivr_flow_id = 'default',
             ivr_path = CASE WHEN id % 3 = 0 THEN '["welcome","main_menu"]' ELSE '["welcome","main_menu","route_support"]' END,
             ivr_end = CASE WHEN id % 3 = 0 THEN NULL ELSE 'enqueue' END
           WHERE origin IS NULL AND direction = 'inbound'`,
        ).run();
      },
    });
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    origin = `http://127.0.0.1:${(ctx.app.server.address() as { port: number }).port}`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await ctx?.close();
  });

  it('filters a queue, drills into a figure, follows a customer and exports the rows', async () => {
    const context = await browser.newContext({ acceptDownloads: true, timezoneId: 'Asia/Kolkata' });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    // The chart and the heatmap style themselves under the policy's `style-src 'self'`.
    const violations: string[] = [];
    await page.exposeFunction('reportViolation', (text: string) => violations.push(text));
    await page.addInitScript(() =>
      document.addEventListener('securitypolicyviolation', (event) =>
        (window as unknown as { reportViolation(text: string): void }).reportViolation(
          `${event.effectiveDirective} ${event.blockedURI}`,
        ),
      ),
    );
    await signIn(page, origin, 'sue', 'test-password');
    await page.getByRole('link', { name: en['nav.reports'] }).click();
    await page.getByRole('heading', { name: en['reports.title'], level: 1 }).waitFor();

    await page.getByLabel(en['reports.period']).selectOption('last30');
    await page.getByLabel(en['reports.grouping']).selectOption('day');
    await expect.poll(() => page.getByLabel(en['interactions.queue']).locator('option').count()).toBe(3);
    await page.getByLabel(en['interactions.queue']).selectOption({ label: 'Support' });
    await expect.poll(() => page.url()).toContain('queueId=1');
    // The browser's own zone by default; Chromium still reports Kolkata by its older name.
    expect(page.url()).toMatch(/timeZone=Asia%2F(Kolkata|Calcutta)/);

    const offered = page.locator('tr.totals a[data-figure="offered"]');
    await expect.poll(async () => Number(await offered.textContent())).toBeGreaterThan(0);
    const figure = Number(await offered.textContent());
    await page.locator('cti-report-chart canvas').waitFor();
    await page.locator('cti-report-heatmap td.l5').first().waitFor();
    expect(violations).toEqual([]);
    await offered.click();

    await page
      .getByRole('heading', { name: en['reports.drill.title'].replace('{metric}', 'Offered') })
      .waitFor();
    expect(page.url()).toMatch(/\/reports\/interactions\?.*metric=offered/);
    expect(page.url()).toContain('queueId=1');
    const ids = await allDrillIds(page);
    expect(ids).toHaveLength(figure);
    expect(new Set(ids).size).toBe(figure);
    for (const queue of await page.locator('tr[data-id] td:nth-child(3)').allTextContents()) {
      expect(queue.trim()).toBe('Support');
    }

    // One interaction's own timeline unfolds in place, and its customer's page is a link away.
    const first = page
      .locator('tr[data-id]')
      .filter({ has: page.getByRole('link') })
      .first();
    await first.getByText(en['timeline.showEvents']).click();
    await first.locator('cti-interaction-events').waitFor();
    const customer = first.getByRole('link');
    const name = (await customer.textContent())!.trim();
    await customer.click();
    await expect.poll(() => page.url()).toMatch(/\/customers\/\d+$/);
    await page.getByRole('heading', { name, level: 1 }).waitFor();

    await page.goBack();
    await page.locator('tr[data-id]').first().waitFor();
    const exportLink = page.getByRole('link', { name: en['reports.exportCsv'] });
    const href = (await exportLink.getAttribute('href'))!;
    const csvUrl = new URL(href, origin);
    expect(csvUrl.pathname).toBe('/api/reports/interactions.csv');
    expect(Object.fromEntries(csvUrl.searchParams)).toMatchObject({ metric: 'offered', queueId: '1' });
    expect((await page.request.get(origin + href)).status(), `GET ${href}`).toBe(200);
    const [download] = await Promise.all([page.waitForEvent('download'), exportLink.click()]);
    const csv = await readFile(await download.path(), 'utf8');
    const records = parse<Record<string, string>>(csv, { columns: true, bom: true });
    expect(records).toHaveLength(figure);
    const idColumn = Object.keys(records[0] ?? {}).find((column) => /interaction.?id|^id$/i.test(column));
    expect(idColumn).toBeDefined();
    expect(records.map((record) => Number(record[idColumn!])).sort((a, b) => a - b)).toEqual(
      [...ids].sort((a, b) => a - b),
    );
    await context.close();
  });

  it('shows the IVR per node on a phone, in Chinese, without the page scrolling sideways', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await signIn(page, origin, 'sue', 'test-password');
    await page.goto(`${origin}/reports?preset=last30`);
    await page.getByRole('combobox', { name: en['language.label'] }).selectOption('zh-CN');
    await page.getByRole('heading', { name: zhCN['reports.ivr'] }).waitFor();
    const table = page.getByRole('region', { name: zhCN['reports.ivr.tableLabel'] });
    const menu = table.getByRole('row').filter({ hasText: 'main_menu' });
    await menu.waitFor();
    const cells = (await menu.locator('td').allTextContents()).map((text) => text.trim());
    // entered, went on, hung up, drop-off %, contained, routed: each entry ends one way.
    const [entered, continued, droppedOff, , contained, routed] = cells.map((text) =>
      Number(text.replace(/[^0-9.]/g, '')),
    );
    expect(entered).toBeGreaterThan(continued!);
    expect(continued! + droppedOff! + contained! + routed!).toBe(entered);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await context.close();
  });
});
