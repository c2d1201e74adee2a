import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAgent } from '../../server/testing/factories.js';
import type { TestContext } from '../../server/testing/harness.js';
import { signIn, startBrowserApp } from '../testing/browser.js';
import { en } from '../i18n/en.js';

const CSV = `\uFEFF${['Full name,Tel,E-mail', 'Olivia Carter,+14155550123,olivia@example.com', 'Bad Row,not a number,', 'Ben Li,+14155550124,'].join('\r\n')}\r\n`;

describe('console: the customer import stepper', () => {
  let ctx: TestContext;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    ({ ctx, baseUrl, browser } = await startBrowserApp({
      arrange: (db) => makeAgent(db, { username: 'sue', role: 'supervisor' }),
    }));
  });
  afterAll(async () => {
    await browser?.close();
    await ctx?.close();
  });

  it('uploads a UTF-8 CSV with a BOM, maps its columns, runs it to the end and gives the error report', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    page.setDefaultTimeout(15_000);
    await signIn(page, baseUrl, 'sue', 'test-password');
    await page.goto(`${baseUrl}/customers/import`);
    await page
      .getByLabel(en['customerImport.file'])
      .setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    await page.getByRole('button', { name: en['customerImport.upload'] }).click();

    // The preview shows the rows as in the file, the BOM gone from the first header.
    await page
      .getByRole('table', { name: en['customerImport.preview'] })
      .getByText('Olivia Carter')
      .waitFor();
    await page.getByLabel(`${en['customerImport.field.name']} *`).selectOption({ label: 'Full name' });
    await page.getByLabel(`${en['customerImport.field.phone']} *`).selectOption({ label: 'Tel' });
    await page.getByLabel(en['customerImport.field.email']).selectOption({ label: 'E-mail' });
    await page.getByRole('button', { name: en['customerImport.next'] }).click();
    await page.getByRole('button', { name: en['customerImport.start'].replace('{rows}', '3') }).click();

    await page.getByText(en['customerImport.done']).waitFor();
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: en['customerImport.errorReport'] }).click();
    const report = await readFile(await (await download).path(), 'utf8');
    expect(report).toContain('3,Tel,');
    expect(report).not.toContain('Olivia');
    expect(
      ctx.db
        .prepare(
          `SELECT c.name, p.e164, e.email FROM customers c JOIN customer_phones p ON p.customer_id = c.id
           LEFT JOIN customer_emails e ON e.customer_id = c.id ORDER BY c.id`,
        )
        .all(),
    ).toEqual([
      { name: 'Olivia Carter', e164: '+14155550123', email: 'olivia@example.com' },
      { name: 'Ben Li', e164: '+14155550124', email: null },
    ]);
    await page.close();
  });
});
