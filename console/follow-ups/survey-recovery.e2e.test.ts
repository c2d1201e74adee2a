import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAgent, makeCustomer } from '../../server/testing/factories.js';
import { login } from '../../server/testing/harness.js';
import { startSurveyPath } from '../../server/testing/survey-path.js';
import { en } from '../i18n/en.js';
import { zhCN } from '../i18n/zh-CN.js';
import { launchChromium } from '../testing/browser.js';

/**
 * The CRM loop end to end: a caller scores the call 1 through Twilio's signed webhooks, and the
 * supervisor finds the service recovery in the queue team's worklist, in English and Chinese.
 */
describe('console: a low survey score becomes the supervisor’s work', () => {
  let path: Awaited<ReturnType<typeof startSurveyPath>>;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    path = await startSurveyPath({ surveyEnabled: true });
    await makeAgent(path.db, { username: 'sam', role: 'supervisor', displayName: 'Sam Super' });
    const olivia = makeCustomer(path.db, { name: 'Olivia Carter', tier: 'gold', lifecycleStage: 'active' });
    const call = await path.connectedCall('zh-CN');
    path.app.interactions.annotate(call.id, { customerId: olivia });
    path.fake.endCall(call.agentLegSid);
    await path.ended(call.agentLegSid, `?interactionId=${call.id}&leg=agent`);
    const first = await path.dialAction(call.callerSid);
    const second = await path.answer(first.body, call.callerSid, { Digits: '1' });
    await path.answer(second.body, call.callerSid, { Digits: '2' });
    expect(path.survey(call.id)).toMatchObject({ status: 'completed', score: 1, resolved: 0 });
    baseUrl = `http://127.0.0.1:${(path.app.server.address() as { port: number }).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await path?.close();
  });

  it('shows the service recovery in the team worklist, urgent, with the customer', async () => {
    // This app's public origin is Twilio's view of it (https://cti.example.com), so the browser takes
    // a session signed in through the API rather than the sign-in form.
    const context = await browser.newContext();
    const [name, value] = (await login(path.app, 'sam', 'test-password')).split('=', 2) as [string, string];
    await context.addCookies([{ name, value, url: baseUrl }]);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${baseUrl}/follow-ups?list=team`);
    await page.getByRole('heading', { name: en['followUpsPage.title'] }).waitFor();
    const item = page.locator('li[data-follow-up]');
    await item.getByText(en['followUps.kind.service_recovery']).waitFor();
    await item.getByText('Olivia Carter').waitFor();
    await item.getByText(en['followUps.priority.urgent']).waitFor();
    expect(await item.count()).toBe(1);

    await page.getByRole('combobox', { name: en['language.label'] }).selectOption('zh-CN');
    await item.getByText(zhCN['followUps.kind.service_recovery']).waitFor();
    await context.close();
  });
});
