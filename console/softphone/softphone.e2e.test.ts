import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, signIn } from '../testing/browser.js';

import { useSipEdge } from '../../server/testing/sip-edge.js';
import { interactionEventTypes, latestInteractionRow } from '../../server/testing/rows.js';
import { until } from '../../server/testing/harness.js';
import { invitesAcked, requireSipPeers, sippCall } from '../../server/testing/sipp.js';
import { en } from '../i18n/en.js';

requireSipPeers();

/**
 * The softphone's own controls in Chromium on a phone-sized screen: SIP.js with the browser's WebRTC
 * and a fake microphone, through real Kamailio to a SIPp caller. Media itself is not checked here
 * (Chromium does not send it over loopback); the re-INVITEs and the record are.
 */
describe('the softphone on the desk: ring, answer, hold, resume, hang up, reload', () => {
  const sip = useSipEdge({
    secret: 'softphone-e2e-secret-0123456789abcdefgh',
    agents: ['ana'],
    support: { acwPolicy: 'none' },
    once: true,
  });
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    origin = `http://127.0.0.1:${(sip.edge.ctx.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium({
      args: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
    });
  }, 60_000);

  afterAll(() => browser?.close());

  /** Ana signed in on a phone-sized page whose softphone has registered. */
  async function anaOnAPhone() {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    await context.grantPermissions(['microphone'], { origin });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await signIn(page, origin, 'ana', 'test-password');
    const softphone = page.getByRole('region', { name: en['softphone.region'] });
    await softphone.getByText(en['softphone.registration.registered']).waitFor();
    return { context, page, softphone };
  }

  const available = (page: Page) =>
    page.getByRole('combobox', { name: en['desk.status.label'] }).selectOption({ label: 'Available' });

  it('rings when auto-answer is off; its button answers; the desk holds twice through it and hangs up, and the holds are recorded', async () => {
    const { context, page, softphone } = await anaOnAPhone();

    await softphone.getByText(en['softphone.settings']).click();
    const autoAnswer = softphone.getByRole('checkbox', { name: en['softphone.autoAnswer'] });
    expect(await autoAnswer.isChecked()).toBe(true);
    await autoAnswer.uncheck();
    expect(await page.evaluate(() => localStorage.getItem('cti.softphone.autoAnswer'))).toBe('off');

    await available(page);
    const call = sippCall({
      scenario: 'callerHeldAgentHangsUp',
      proxy: `127.0.0.1:${sip.edge.sipPort}`,
      to: '100',
    });
    await page.getByRole('button', { name: en['desk.offer.accept'] }).click();
    await softphone.getByText(en['softphone.call.ringing']).waitFor();
    await softphone.getByRole('button', { name: en['softphone.answer'] }).click();

    await softphone.getByText(en['softphone.call.active']).waitFor();
    const box = await softphone.boundingBox();
    expect(box!.width).toBeLessThanOrEqual(390);

    // The desk shows this call, so hold, mute and hang up are its buttons alone; the keypad is here.
    const panel = page.locator('cti-call-panel');
    await panel.getByRole('button', { name: en['desk.call.hold'], exact: true }).waitFor();
    for (const name of [en['softphone.hold'], en['softphone.mute'], en['softphone.hangUp']])
      expect(await softphone.getByRole('button', { name, exact: true }).count()).toBe(0);
    for (let round = 0; round < 2; round += 1) {
      await panel.getByRole('button', { name: en['desk.call.hold'], exact: true }).click();
      await softphone.getByText(en['softphone.call.onHold']).waitFor();
      await panel.getByRole('button', { name: en['desk.call.resume'], exact: true }).click();
      await panel.getByRole('button', { name: en['desk.call.hold'], exact: true }).waitFor();
      await softphone.getByText(en['softphone.call.onHold']).waitFor({ state: 'detached' });
    }
    await softphone.getByRole('button', { name: en['softphone.keypad'] }).click();
    await softphone
      .getByRole('group', { name: en['softphone.keypad'] })
      .getByRole('button')
      .first()
      .waitFor();
    await panel.getByRole('button', { name: en['desk.call.hangUp'] }).click();

    const sipp = await call;
    expect(sipp.code, sipp.output).toBe(0);
    // The call's INVITE, then a re-INVITE for each hold and resume.
    expect(sipp.requests).toEqual([...invitesAcked(4), 'BYE']);
    const { db } = sip.edge.ctx;
    const row = () => latestInteractionRow(db)!;
    await until(() => row().state === 'completed', 'the completed interaction', 5_000);
    const holds = interactionEventTypes(db, row().id).filter((type) => type === 'held' || type === 'resumed');
    expect(holds).toEqual(['held', 'resumed', 'held', 'resumed']);
    await context.close();
  }, 90_000);
  it('after a reload mid-call shows that the audio is lost, and its Hang up ends the call for the caller', async () => {
    const { context, page, softphone } = await anaOnAPhone();
    await available(page);
    const call = sippCall({
      scenario: 'webrtcCallerWaitsForBye',
      proxy: `127.0.0.1:${sip.edge.sipPort}`,
      to: '100',
    });
    await page.getByRole('button', { name: en['desk.offer.accept'] }).click();
    // Auto-answer is on by default: the call the Agent accepted on the desk is answered at once.
    await softphone.getByText(en['softphone.call.active']).waitFor();

    await page.reload();
    await softphone.getByText(en['softphone.registration.registered']).waitFor();
    await softphone.getByText(en['softphone.lost']).waitFor();
    await softphone.getByRole('button', { name: en['softphone.hangUp'] }).click();

    const sipp = await call;
    expect(sipp.code, sipp.output).toBe(0);
    expect(sipp.requests).toEqual(['BYE']);
    const row = () => latestInteractionRow(sip.edge.ctx.db)!;
    await until(() => row().state === 'completed', 'the completed interaction', 5_000);
    expect(row()).toMatchObject({ state: 'completed', outcome: 'answered' });
    await softphone.getByText(en['softphone.lost']).waitFor({ state: 'detached' });
    await context.close();
  }, 90_000);
});
