import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_LINE } from '../../simulator/demo-traffic.js';
import { en } from '../i18n/en.js';
import { signIn } from '../testing/browser.js';
import { goAvailable, startDemoConsole, type DemoConsole } from '../testing/demo-console.js';

const DESK_TITLE = `${en['nav.desk']} · ${en['app.name']}`;
/** The caller's way through the IVR to the desk can take a while on a busy machine. */
const OFFER_ARRIVES = { timeout: 20_000 };
const TEST_TIMEOUT_MS = 60_000;

/**
 * Hangs up once the call is connected (the talk timer runs): hanging up while it still connects
 * would send the caller back to the queue.
 */
async function hangUp(page: Page): Promise<void> {
  await page
    .getByRole('timer')
    .filter({ hasText: /\d:\d\d/ })
    .waitFor();
  await page.getByRole('button', { name: en['desk.call.hangUp'] }).click();
}

/** The desk's offer alerts in Chromium: the ring's state and the tab's icon. */
const ringState = (page: Page) =>
  page.locator('cti-offer-alerts-panel [data-ring]').getAttribute('data-ring');
const iconHref = (page: Page) =>
  page.evaluate(() => document.querySelector('link[rel~="icon"]')!.getAttribute('href'));

/**
 * A simulated call rings an agent's desk: the ring tone plays (its AudioContext running), the title
 * flashes and the tab's icon has a badge, and all of it ends with the offer. A tab the agent never
 * clicked in asks for a click before it can ring; the agent's settings hold in every tab.
 */
describe('offer alerts on the agent desk', () => {
  let demo: DemoConsole;

  beforeAll(async () => {
    demo = await startDemoConsole({ seed: { customers: 20, days: 1, interactionsPerDay: 5 } });
  });
  afterAll(() => demo?.close());

  it(
    'rings and flashes the title while an offer rings, and stops when it is accepted',
    async () => {
      const page = await demo.open('agent1');
      const warnings: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'warning' || message.type() === 'error') warnings.push(message.text());
      });
      await page.getByRole('heading', { name: en['desk.title'], level: 1 }).waitFor();
      await goAvailable(page);
      expect(await ringState(page)).toBe('off');

      const engine = demo.callers();
      const call = engine.placeCall({
        from: demo.caller.phone,
        to: DEMO_LINE,
        script: { input: ['1', '1'], patienceSeconds: 60, hangsUp: 'agent' },
      });
      await page.getByRole('heading', { name: en['desk.offer.title'] }).waitFor(OFFER_ARRIVES);

      // Signing in was a click: the AudioContext started then, so the ring plays without another.
      await page.locator('cti-offer-alerts-panel [data-ring="ringing"]').waitFor();
      await page.waitForFunction((name) => document.title === `● Incoming call – ${name}`, demo.caller.name);
      await page.waitForFunction((title) => document.title === title, DESK_TITLE);
      expect(await iconHref(page)).toMatch(/^data:image\/svg\+xml,/);

      await page.getByRole('button', { name: en['desk.offer.accept'] }).click();
      await page.getByRole('heading', { name: en['desk.call.title'] }).waitFor();
      await page.locator('cti-offer-alerts-panel [data-ring="off"]').waitFor();
      expect(await iconHref(page)).toBe('data:,');
      // No longer flashing: the title stays the page's own.
      for (let i = 0; i < 3; i++) {
        expect(await page.title()).toBe(DESK_TITLE);
        await page.waitForTimeout(500);
      }
      expect(warnings.filter((text) => /AudioContext|autoplay/i.test(text))).toEqual([]);

      await hangUp(page);
      expect((await call).outcome).toBe('answered');
      await engine.close();
      await page.close();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'asks for a click in a tab that cannot ring yet, and keeps the agent’s settings',
    async () => {
      // agent3 takes Sales calls too; agent1 is still wrapping up the first call. Two tabs of one
      // browser: the second, never clicked, is one whose audio the browser holds back.
      const browser = await demo.browser.newContext({ viewport: { width: 1280, height: 900 } });
      browser.setDefaultTimeout(10_000);
      const page = await browser.newPage();
      await signIn(page, demo.origin, 'agent3', 'demo');
      await page.getByRole('heading', { name: en['desk.title'], level: 1 }).waitFor();
      await page.locator('cti-offer-alerts-panel summary').click();
      // From 70 % down to 40 % in steps of 5.
      await page.getByRole('slider', { name: en['offerAlerts.volume'] }).focus();
      for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowLeft');
      await page.getByRole('checkbox', { name: en['offerAlerts.title'] }).uncheck();
      await goAvailable(page);

      // Playwright's queries count as user activation in the page, so the second tab is left alone
      // (no locator) until its offer has arrived: only its desk's connection is awaited.
      const other = await browser.newPage();
      const warnings: string[] = [];
      other.on('console', (message) => {
        if (message.type() === 'warning' || message.type() === 'error') warnings.push(message.text());
      });
      const connected = other.waitForEvent('websocket');
      await other.goto(`${demo.origin}/desk`);
      await connected;

      const engine = demo.callers();
      const call = engine.placeCall({
        from: demo.caller.phone,
        to: DEMO_LINE,
        script: { input: ['1', '1'], patienceSeconds: 60, hangsUp: 'agent' },
      });
      await page.locator('cti-offer-alerts-panel [data-ring="ringing"]').waitFor(OFFER_ARRIVES);
      await other.locator('cti-offer-alerts-panel [data-ring="blocked"]').waitFor();
      // The title setting is off, in both tabs.
      expect(await page.title()).toBe(DESK_TITLE);
      expect(await other.title()).toBe(DESK_TITLE);
      // Any key or click on the page starts the ring, the hint's button as well as any other.
      await other.getByRole('button', { name: en['offerAlerts.enableSound'] }).focus();
      await other.keyboard.press('Enter');
      await other.locator('cti-offer-alerts-panel [data-ring="ringing"]').waitFor();

      // The settings are the agent's, in every tab of this browser.
      await other.locator('cti-offer-alerts-panel summary').click();
      expect(await other.getByRole('slider', { name: en['offerAlerts.volume'] }).inputValue()).toBe('40');
      expect(await other.getByRole('checkbox', { name: en['offerAlerts.title'] }).isChecked()).toBe(false);

      await other.getByRole('button', { name: en['desk.offer.accept'] }).click();
      await other.locator('cti-offer-alerts-panel [data-ring="off"]').waitFor();
      await page.locator('cti-offer-alerts-panel [data-ring="off"]').waitFor();
      expect(warnings.filter((text) => /AudioContext|autoplay/i.test(text))).toEqual([]);
      await hangUp(other);
      expect((await call).outcome).toBe('answered');
      await engine.close();
      await browser.close();
    },
    TEST_TIMEOUT_MS,
  );
});
