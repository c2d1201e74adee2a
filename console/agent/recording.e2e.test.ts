import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_LINE } from '../../simulator/demo-traffic.js';
import { audioDuration, goAvailable, startDemoConsole, type DemoConsole } from '../testing/demo-console.js';
import { until, type TestContext } from '../../server/testing/harness.js';
import type { TwilioFake } from '../../simulator/twilio-fake/index.js';
import { en } from '../i18n/en.js';
import { zhCN } from '../i18n/zh-CN.js';

/**
 * A recorded call as the agent and a supervisor meet it: the desk pauses and resumes the recording
 * (button and Alt+P), and the finished recording plays on the customer's timeline through our server.
 */
describe('console: recording controls on the desk and playback on the timeline', () => {
  let demo: DemoConsole;
  let ctx: TestContext;
  let fake: TwilioFake;
  let origin: string;
  let caller: DemoConsole['caller'];

  beforeAll(async () => {
    demo = await startDemoConsole({
      seed: { customers: 30, days: 2, interactionsPerDay: 5 },
      arrange: (db) => db.exec("UPDATE call_queues SET recording_policy = 'all'"),
    });
    ({ ctx, fake, origin, caller } = demo);
  });
  afterAll(() => demo?.close());

  const open = (username: string, viewport?: { width: number; height: number }) =>
    demo.open(username, viewport);

  /** Opens the caller's newest interaction's events on their 360 page. */
  async function newestEvents(page: Page, language: 'en' | 'zh-CN' = 'en') {
    await page.goto(`${origin}/customers/${caller.id}`);
    // Each agent has a language of their own, which applies on each page load.
    await page
      .getByRole('combobox', { name: new RegExp(`^(${en['language.label']}|${zhCN['language.label']})$`) })
      .selectOption(language);
    const showEvents = (language === 'en' ? en : zhCN)['timeline.showEvents'];
    const newest = page.locator('cti-customer-timeline').getByRole('listitem').first();
    await newest.getByRole('button', { name: showEvents }).click();
    return newest;
  }

  it('pauses and resumes from the desk, then plays the recording to the agent and a supervisor', async () => {
    const page = await open('agent1');
    await goAvailable(page);
    const engine = demo.callers();
    const call = engine.placeCall({
      from: caller.phone,
      to: DEMO_LINE,
      script: { input: ['1', '1'], patienceSeconds: 60, hangsUp: 'agent' },
    });
    await page.getByRole('button', { name: 'Accept' }).click();
    const recording = page.getByRole('group', { name: en['desk.recording.label'] });
    await recording.getByText(en['desk.recording.state.recording'], { exact: true }).waitFor();
    const live = () => [...fake.recordings.values()].at(-1)?.status;

    await recording.getByRole('button', { name: en['desk.recording.pause'] }).click();
    await recording.getByText(en['desk.recording.state.paused'], { exact: true }).waitFor();
    expect(live()).toBe('paused');
    await page.keyboard.press('Alt+KeyP');
    await recording.getByRole('button', { name: en['desk.recording.pause'] }).waitFor();
    expect(live()).toBe('in-progress');
    // A queue that records every call offers no Stop.
    expect(await recording.getByRole('button', { name: en['desk.recording.stop'] }).count()).toBe(0);

    await page.getByRole('button', { name: 'Hang up' }).click();
    const { callSid } = await call;
    await page.getByRole('heading', { name: 'Wrap-up' }).waitFor();
    await page.getByRole('radio').first().check();
    await page.getByRole('button', { name: 'Submit wrap-up' }).click();
    await page.getByText('Waiting for calls', { exact: true }).waitFor();
    await fake.settled();
    const ref = () =>
      ctx.db
        .prepare('SELECT recording_ref FROM interactions WHERE provider_call_id = ?')
        .pluck()
        .get(callSid);
    await until(() => typeof ref() === 'string', 'the recording callback');

    for (const viewer of [page, await open('supervisor')]) {
      const newest = await newestEvents(viewer);
      const audio = newest.getByRole('figure').locator('audio');
      const src = await audio.getAttribute('src');
      expect(src).toMatch(/^\/api\/interactions\/\d+\/recording$/);
      // The browser loads and decodes the audio from our server: it has a length.
      const duration = await audioDuration(audio);
      expect(duration).toBeGreaterThan(0);
      await viewer.close();
    }
    await engine.close();
  });

  it('in Chinese, on a phone, shows the player without sideways scrolling; another agent gets no player', async () => {
    // The caller's newest interaction has a recording; agent1 handled it, not agent2.
    const sid = fake.leaveRecording(fake.arrive({ from: caller.phone, to: DEMO_LINE }).sid).sid;
    ctx.db
      .prepare(
        `UPDATE interactions SET recording_ref = ?, outcome = 'answered',
           agent_id = (SELECT id FROM agents WHERE username = 'agent1')
         WHERE id = (SELECT id FROM interactions WHERE customer_id = ? ORDER BY arrived_at DESC, id DESC LIMIT 1)`,
      )
      .run(sid, caller.id);
    const handler = await open('agent1', { width: 390, height: 844 });
    const player = (await newestEvents(handler, 'zh-CN')).getByRole('figure', {
      name: zhCN['timeline.recording'],
    });
    await player.waitFor();
    const overflow = await handler.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await handler.close();

    // Only the handling agent and supervisors may hear a call: the server gives agent2 no recording.
    const other = await open('agent2', { width: 390, height: 844 });
    const newest = await newestEvents(other, 'zh-CN');
    await newest.getByText(zhCN['timeline.showEvents']).or(newest.getByRole('list')).first().waitFor();
    expect(await newest.getByRole('figure', { name: zhCN['timeline.recording'] }).count()).toBe(0);
    await other.close();
  });

  it("plays an unknown caller's voicemail to a supervisor on the interactions list, on a phone", async () => {
    const sid = fake.leaveRecording(fake.arrive({ from: '+12125550188', to: DEMO_LINE }).sid).sid;
    ctx.db
      .prepare(
        `INSERT INTO interactions (direction, provider, state, arrived_at, ended_at, outcome, recording_ref)
         VALUES ('inbound', 'twilio', 'completed', ?, ?, 'voicemail', ?)`,
      )
      .run(new Date().toISOString(), new Date().toISOString(), sid);
    const page = await open('supervisor', { width: 390, height: 844 });
    await page.goto(`${origin}/interactions`);
    const player = page.getByRole('figure', { name: en['timeline.voicemail'] }).first();
    await player.waitFor();
    const duration = await audioDuration(player.locator('audio'));
    expect(duration).toBeGreaterThan(0);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.close();
  });
});
