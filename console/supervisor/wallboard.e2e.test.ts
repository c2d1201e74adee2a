import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAgent, makeCustomer, makeQueue } from '../../server/testing/factories.js';
import { launchChromium, signIn } from '../testing/browser.js';
import { createTestContext, freePort, type TestContext } from '../../server/testing/harness.js';
import { en } from '../i18n/en.js';

/**
 * A supervisor in Chromium: the wallboard shows a call when it queues, pushed without a reload, and moving it to
 * another queue moves it on the board; a queue with a tier's own target shows that tier's service level. Calls enter the call path where the IVR hands them over.
 */
describe('wallboard: a supervisor watches a call queue and moves a waiting call', () => {
  let ctx: TestContext;
  let browser: Browser;
  let origin: string;
  let seq = 0;

  beforeAll(async () => {
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    ctx = await createTestContext({
      clock: 'system',
      env: { PORT: String(port), PUBLIC_BASE_URL: origin },
      arrange: async (db) => {
        await makeAgent(db, { username: 'sue', role: 'supervisor', displayName: 'Sue Park' });
        makeQueue(db, 'Support');
        makeQueue(db, 'Sales', { tierTargets: { gold: { slTargetSeconds: 10, slTargetPercent: 90 } } });
        makeCustomer(db, { name: 'Olivia Carter', tier: 'gold', phones: ['+14155550123'] });
      },
    });
    await ctx.app.listen({ port, host: '127.0.0.1' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await ctx?.close();
  });

  async function queued(queueName: string) {
    seq += 1;
    const { interactionId } = await ctx.app.calls.arrive({
      provider: 'twilio',
      providerCallId: `CA${String(seq).padStart(32, '0')}`,
      from: '+14155550123',
      to: '+14155550100',
    });
    await ctx.app.calls.enqueue(interactionId, { queueName, priorityBoostSeconds: 0, ivrAnswers: {} });
    return interactionId;
  }

  it('shows the queued call as it queues, then moves it to Sales', async () => {
    // Sales has taken a call before, so the ACD routes to it.
    await ctx.app.calls.callerEnded(await queued('Sales'));

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(10_000);
    await signIn(page, origin, 'sue', 'test-password');
    await page.getByRole('link', { name: en['nav.wallboard'] }).click();
    await page.getByRole('heading', { name: en['wallboard.title'], level: 1 }).waitFor();
    const support = page.getByRole('article', { name: 'Support' });
    const sales = page.getByRole('article', { name: 'Sales' });
    const waiting = (tile: typeof support) => tile.locator('[data-figure="waiting"]');
    await expect.poll(() => waiting(support).textContent()).toBe('0');

    // How fast it appears is measured by bench:wallboard; here it must arrive by push alone.
    const call = await queued('Support');
    await waiting(support).filter({ hasText: /^1$/ }).waitFor();
    await support.getByText(`${en['wallboard.waitingCalls']} (1)`).click();
    await support.getByText('Olivia Carter').waitFor();

    await support.getByRole('combobox', { name: en['wallboard.moveTo'] }).selectOption({ label: 'Sales' });
    await support.getByRole('button', { name: en['wallboard.move'] }).click();
    await waiting(sales).filter({ hasText: /^1$/ }).waitFor();
    await waiting(support).filter({ hasText: /^0$/ }).waitFor();
    expect(
      ctx.db
        .prepare('SELECT q.name FROM interactions i JOIN call_queues q ON q.id = i.queue_id WHERE i.id = ?')
        .get(call),
    ).toEqual({
      name: 'Sales',
    });
    expect(
      ctx.db
        .prepare("SELECT action, actor_agent_id FROM audit_log WHERE action = 'supervision.call_moved'")
        .all(),
    ).toEqual([{ action: 'supervision.call_moved', actor_agent_id: 1 }]);

    // Sales holds gold callers to a target of their own: its tile has a line for them, Support's none.
    const goldLine = sales.getByRole('list', { name: en['wallboard.byTier'] }).getByRole('listitem');
    await expect.poll(() => goldLine.textContent()).toContain(en['tier.gold']);
    expect(await goldLine.textContent()).toContain('Target 90% within 10 s');
    expect(await support.getByRole('list', { name: en['wallboard.byTier'] }).count()).toBe(0);

    await page.getByRole('link', { name: en['nav.agentGrid'] }).click();
    await page.getByRole('heading', { name: en['agentGrid.title'], level: 1 }).waitFor();
    await page.getByRole('row', { name: /Sue Park/ }).waitFor();
    await page.close();
  });
});
