import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInteractionsRepository } from '../../server/interactions/index.js';
import { makeCustomer } from '../../server/testing/factories.js';
import { createTestContext, type TestContext } from '../../server/testing/harness.js';
import { seedDemo } from '../../simulator/demo-data/seed-demo.js';
import { en } from '../i18n/en.js';
import { zhCN } from '../i18n/zh-CN.js';
import { launchChromium, signIn } from '../testing/browser.js';

/** Keys and fields the call path stores that an Agent must never read. */
const RAW = [
  'wrapUpCodeId',
  'identifiedBy',
  'customerId',
  'choose_language',
  'caller_number',
  'recordingRef',
  'RE0123456789',
  'queueId',
  'agentId',
  'ivr_left',
  'wrap_up_submitted',
  'longest idle',
];

interface Named {
  id: number;
  name: string;
}

describe('console: a call on the customer timeline reads as a story, in English and Chinese', () => {
  let ctx: TestContext;
  let browser: Browser;
  let baseUrl: string;
  let customerId: number;
  let code: Named;
  let queue: Named;
  let agent: Named;

  /** One answered call as the call path records it: IVR answers, routing, hold, recording, wrap-up. */
  function recordCall(): void {
    const repo = createInteractionsRepository(ctx.db);
    const start = Date.parse('2026-12-01T10:00:00Z');
    const at = (s: number) => new Date(start + s * 1000).toISOString();
    const { id } = repo.recordArrival({
      direction: 'inbound',
      provider: 'twilio',
      providerCallId: 'CAhistory1',
      callerNumber: '+14155550777',
      customerId,
      arrivedAt: at(0),
    });
    repo.annotate(id, {
      customerId,
      ivrAnswers: {
        choose_language: 'zh-CN',
        language: 'zh-CN',
        customerId: String(customerId),
        identifiedBy: 'caller_number',
        department: 'billing',
      },
    });
    repo.apply(id, { type: 'ivr_left' }, at(20));
    repo.apply(id, { type: 'queued', queueId: queue.id }, at(20));
    repo.apply(id, { type: 'offered', agentId: agent.id }, at(30), 'longest idle (9 s) among 2 available');
    repo.apply(id, { type: 'answered', agentId: agent.id }, at(35));
    repo.note(id, 'recording_started', at(35), null, { recordingRef: 'RE0123456789abcdef' });
    repo.note(id, 'held', at(60), agent.id);
    repo.note(id, 'resumed', at(135), agent.id, { heldSeconds: 75 });
    repo.apply(id, { type: 'ended', outcome: null }, at(200));
    repo.apply(
      id,
      { type: 'wrap_up_submitted', wrapUpCodeId: code.id, notes: 'Card payment taken' },
      at(230),
    );
  }

  beforeAll(async () => {
    ctx = await createTestContext({
      clock: 'system',
      arrange: (db) => seedDemo(db, { customers: 20, days: 2, interactionsPerDay: 5, now: new Date() }),
    });
    customerId = makeCustomer(ctx.db, { name: 'Hana Story', phones: ['+14155550777'] });
    code = ctx.db.prepare('SELECT id, label AS name FROM wrap_up_codes ORDER BY id LIMIT 1').get() as Named;
    queue = ctx.db.prepare('SELECT id, name FROM call_queues ORDER BY id LIMIT 1').get() as Named;
    // Not agent1, who reads the history: the timeline must name the one who took the call.
    agent = ctx.db
      .prepare("SELECT id, display_name AS name FROM agents WHERE username = 'agent2'")
      .get() as Named;
    recordCall();
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(ctx.app.server.address() as { port: number }).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await ctx?.close();
  });

  /** Everything the events element shows, its shadow root included. */
  const eventsText = (page: Page) =>
    page.locator('cti-interaction-events').evaluate((element) => element.shadowRoot?.textContent ?? '');

  it('shows the wrap-up code, queue and agent by name and the IVR answers in words; no raw key', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(10_000);
    await signIn(page, baseUrl, 'agent1', 'demo');
    await page.getByRole('heading', { name: en['desk.title'], level: 1 }).waitFor();
    await page.goto(`${baseUrl}/customers/${customerId}`);
    await page.getByRole('heading', { name: 'Hana Story', level: 1 }).waitFor();
    await page.getByRole('button', { name: en['timeline.showEvents'] }).first().click();
    await page.locator('cti-interaction-events').getByText(en['event.wrap_up_submitted']).waitFor();

    const english = await eventsText(page);
    for (const words of [
      code.name,
      queue.name,
      agent.name,
      'Card payment taken',
      en['event.ivr_left'],
      en['timeline.ivr.identifiedBy'],
      en['timeline.ivrValue.callerNumber'],
      en['timeline.ivr.department'],
      'Longest idle (9 s)',
      '1:15',
    ]) {
      expect(english).toContain(words);
    }
    for (const raw of RAW) expect(english).not.toContain(raw);

    await page.getByRole('combobox', { name: en['language.label'] }).selectOption('zh-CN');
    await page.locator('cti-interaction-events').getByText(zhCN['event.wrap_up_submitted']).waitFor();
    const chinese = await eventsText(page);
    for (const words of [
      code.name,
      agent.name,
      zhCN['timeline.ivr.identifiedBy'],
      zhCN['timeline.ivrValue.callerNumber'],
      zhCN['event.answered'],
      '空闲最久（9 秒）',
    ]) {
      expect(chinese).toContain(words);
    }
    for (const raw of RAW) expect(chinese).not.toContain(raw);
    await page.close();
  });

  it('fits the events of a call on a 390-px-wide phone screen', async () => {
    const page = await browser.newPage({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    page.setDefaultTimeout(10_000);
    await signIn(page, baseUrl, 'agent1', 'demo');
    await page.goto(`${baseUrl}/customers/${customerId}`);
    await page.getByRole('button', { name: en['timeline.showEvents'] }).first().click();
    await page.locator('cti-interaction-events').getByText(code.name).first().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.close();
  });
});
