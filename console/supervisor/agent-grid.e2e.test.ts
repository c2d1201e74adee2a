import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Me } from '../../server/auth/auth.schemas.js';
import { conferenceNameOf } from '../../server/telephony/index.js';
import { launchChromium, signIn } from '../testing/browser.js';
import { makeAgent, makeCustomer, makeQueue } from '../../server/testing/factories.js';
import { createTestContext, freePort, type TestContext } from '../../server/testing/harness.js';
import { connectedTwilioCall, OUR_NUMBER } from '../../server/testing/twilio-app.js';
import { startTwilioFake, type TwilioFake } from '../../simulator/twilio-fake/index.js';
import { en } from '../i18n/en.js';

const ACCOUNT_SID = `AC${'3'.repeat(32)}`;
const AUTH_TOKEN = 'test-auth-token';

/**
 * A supervisor in Chromium finds the agent on a call in the agent grid and barges in: the Twilio
 * fake receives the supervisor's leg joining the call's conference as a full participant.
 */
describe('agent grid: a supervisor finds an agent on a call, barges in and plans their next status', () => {
  let ctx: TestContext;
  let fake: TwilioFake;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    fake = await startTwilioFake({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    ctx = await createTestContext({
      clock: 'system',
      env: {
        PORT: String(port),
        PUBLIC_BASE_URL: origin,
        TWILIO_ACCOUNT_SID: ACCOUNT_SID,
        TWILIO_AUTH_TOKEN: AUTH_TOKEN,
        TWILIO_CALLER_ID: OUR_NUMBER,
        TWILIO_API_BASE_URL: fake.baseUrl,
      },
      arrange: async (db) => {
        await makeAgent(db, { username: 'ana', displayName: 'Ana Silva' });
        await makeAgent(db, { username: 'bob', displayName: 'Bob Stone' });
        await makeAgent(db, { username: 'sue', role: 'supervisor', displayName: 'Sue Park' });
        db.exec("UPDATE agents SET sip_address = 'sip:' || username || '@cti.local'");
        makeQueue(db, 'Support');
        makeCustomer(db, { name: 'Olivia Carter', phones: ['+14155550123'] });
      },
    });
    await ctx.app.listen({ port, host: '127.0.0.1' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await ctx?.close();
    await fake?.close();
  });

  it('filters the grid to agents on a call, shows the call and barges in from the row', async () => {
    const ana: Me = { id: 1, username: 'ana', displayName: 'Ana Silva', role: 'agent', uiLanguage: 'en' };
    const interactionId = await connectedTwilioCall(ctx.app, fake, ana);

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(10_000);
    await signIn(page, `${origin}/agents-live`, 'sue', 'test-password');
    await page.getByRole('heading', { name: en['agentGrid.title'], level: 1 }).waitFor();
    await page.getByRole('row', { name: /Bob Stone/ }).waitFor();

    await page
      .getByRole('combobox', { name: en['agentGrid.status'], exact: true })
      .selectOption({ label: 'On call' });
    await page.getByRole('row', { name: /Bob Stone/ }).waitFor({ state: 'detached' });
    const row = page.getByRole('row', { name: /Ana Silva/ });
    await row.getByText('Olivia Carter').waitFor();
    await row.getByText('Support').waitFor();

    const before = fake.requests.length;
    await row
      .getByRole('combobox', { name: 'Join the call of Ana Silva' })
      .selectOption({ label: en['supervisorMode.barge'] });
    await expect
      .poll(
        () =>
          fake.requests
            .slice(before)
            .find(
              (r) =>
                r.method === 'POST' &&
                r.path.endsWith(`/Conferences/${conferenceNameOf(interactionId)}/Participants.json`),
            )?.form,
      )
      .toMatchObject({
        To: `sip:sue@cti.local?X-CTI-Interaction=${interactionId}`,
        Coaching: 'false',
        Muted: 'false',
      });

    // Ana's status after the call: a lunch break, planned from her row and shown beside her status.
    await row
      .getByRole('combobox', { name: 'Status of Ana Silva after this call' })
      .selectOption({ label: 'Break · Lunch' });
    await row.getByText('next: Break · Lunch').waitFor();
    expect((await ctx.app.acd.getAgent(ana.id))?.nextReason).toBe('lunch');
    await page.close();
  });
});
