import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLOWS_DIR, flowForNumber, loadFlows } from '../../ivr/index.js';
import type { CallTranscript } from '../../simulator/callers/caller-engine.js';
import { navigateFlow } from '../../simulator/callers/ivr-navigator.js';
import { DEMO_LINE } from '../../simulator/demo-traffic.js';
import { goAvailable, startDemoConsole, type DemoConsole } from '../testing/demo-console.js';
import type { TestContext } from '../../server/testing/harness.js';
import { en } from '../i18n/en.js';

/**
 * The whole path as a person meets it: a simulated Twilio call (the simulator's caller, signed
 * webhooks, the fake REST API) reaches agent1's desk in Chromium, who takes it and wraps it up.
 */
describe('agent desk: take a simulated call from the offer to the customer timeline', () => {
  let demo: DemoConsole;
  let ctx: TestContext;
  let origin: string;
  let caller: DemoConsole['caller'];

  beforeAll(async () => {
    demo = await startDemoConsole({ seed: { customers: 60, days: 5, interactionsPerDay: 20 } });
    ({ ctx, origin, caller } = demo);
  });
  afterAll(() => demo?.close());

  /** agent1 signs in, lands on the desk and goes Available. */
  async function availableAgent1() {
    const page = await demo.open('agent1');
    const sipAsks: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/sip/')) sipAsks.push(request.url());
    });
    await page.getByRole('heading', { name: 'Desk', level: 1 }).waitFor();
    await goAvailable(page);
    // The demo has no SIP edge: the desk starts no softphone and never asks for SIP credentials.
    expect(sipAsks).toEqual([]);
    expect(await page.locator('cti-softphone').count()).toBe(0);
    return page;
  }

  it('rings agent1 with the caller’s record; accept, hold, resume, hang up, wrap up; the call is on the timeline', async () => {
    const page = await availableAgent1();

    // English, then Sales (agent1's skill); the caller waits for the agent to end the call.
    const engine = demo.callers();
    const call: Promise<CallTranscript> = engine.placeCall({
      from: caller.phone,
      to: DEMO_LINE,
      script: { input: ['1', '1'], patienceSeconds: 60, hangsUp: 'agent' },
    });

    await page.getByRole('heading', { name: 'Incoming call' }).waitFor();
    await page.getByText(caller.name).first().waitFor();
    await page.getByRole('button', { name: 'Accept' }).click();
    await page.getByRole('heading', { name: 'On call' }).waitFor();
    // The fake answers agent1's phone; the talk timer replaces "Connecting…".
    await page
      .getByRole('timer')
      .filter({ hasText: /\d:\d\d/ })
      .waitFor();
    await page.getByRole('button', { name: 'Hold', exact: true }).click();
    await page.getByRole('button', { name: 'Resume', exact: true }).click();
    await page.getByRole('button', { name: 'Hold', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Hang up' }).click();

    await page.getByRole('heading', { name: 'Wrap-up' }).waitFor();
    const transcript = await call;
    expect(transcript.outcome).toBe('answered');
    const code = ctx.db
      .prepare(
        `SELECT w.id, w.label FROM wrap_up_codes w JOIN call_queues q ON q.wrap_up_code_set_id = w.set_id
         WHERE q.name = 'Sales' AND w.action = 'none' ORDER BY w.id LIMIT 1`,
      )
      .get() as { id: number; label: string };
    await page.getByRole('radio', { name: code.label }).check();
    await page.getByRole('textbox', { name: 'Notes' }).fill('Asked about the annual plan');
    await page.getByRole('button', { name: 'Submit wrap-up' }).click();
    await page.getByText('Waiting for calls', { exact: true }).waitFor();

    const interaction = ctx.db
      .prepare(
        'SELECT id, state, outcome, agent_id, customer_id, wrap_up_code_id, held_seconds FROM interactions WHERE provider_call_id = ?',
      )
      .get(transcript.callSid) as Record<string, number | string>;
    expect(interaction).toMatchObject({
      state: 'completed',
      outcome: 'answered',
      customer_id: caller.id,
      wrap_up_code_id: code.id,
    });

    await page.goto(`${origin}/customers/${caller.id}`);
    await page.getByRole('heading', { name: en['timeline.title'] }).waitFor();
    const newest = page.locator('cti-customer-timeline').getByRole('listitem').first();
    await newest.getByText(code.label).waitFor();
    await newest.getByText('Asked about the annual plan').waitFor();
    expect(await ctx.app.acd.checkInvariants()).toEqual([]);
    await engine.close();
    await page.close();
  });

  it('calls a customer from their page, consults a colleague on a number, then hands the customer over', async () => {
    const page = await availableAgent1();
    await page.goto(`${origin}/customers/${caller.id}`);
    await page
      .getByRole('region', { name: en['customer.contactDetails'] })
      .getByRole('button', { name: new RegExp(`^${en['customer.call']} `) })
      .first()
      .click();
    // agent1's phone answers (the fake answers every leg), then the customer's rings and answers.
    await page.getByRole('heading', { name: 'On call' }).waitFor();
    await page.getByText(caller.name).first().waitFor();
    await page
      .getByRole('timer')
      .filter({ hasText: /\d:\d\d/ })
      .waitFor();

    await page
      .getByRole('combobox', { name: en['desk.call.transferTo'] })
      .selectOption({ label: en['desk.transfer.number'] });
    await page.getByRole('textbox', { name: en['desk.transfer.number'] }).fill('(212) 555-0160');
    await page.getByRole('button', { name: en['desk.consult.start'] }).click();
    await page.getByText(en['desk.consult.talking'].replace('{who}', '+12125550160')).waitFor();
    await page.getByRole('button', { name: en['desk.consult.complete'] }).click();
    await page.getByRole('heading', { name: 'Wrap-up' }).waitFor();
    await page.getByRole('radio').first().check();
    await page.getByRole('button', { name: 'Submit wrap-up' }).click();
    await page.getByText('Waiting for calls', { exact: true }).waitFor();

    const outbound = ctx.db
      .prepare(
        "SELECT id, customer_id, outcome FROM interactions WHERE direction = 'outbound' ORDER BY id DESC",
      )
      .get() as { id: number; customer_id: number; outcome: string };
    expect(outbound).toMatchObject({ customer_id: caller.id, outcome: 'transferred' });
    const events = ctx.db
      .prepare('SELECT type FROM interaction_events WHERE interaction_id = ? ORDER BY id')
      .pluck()
      .all(outbound.id);
    expect(events).toEqual(
      expect.arrayContaining([
        'dialled_by_agent',
        'customer_dialled',
        'answered',
        'consult_started',
        'transferred',
      ]),
    );
    await page.close();
  });

  it('links an unknown caller to the customer the agent finds, from the 360 page', async () => {
    const page = await availableAgent1();

    const engine = demo.callers();
    const unknownNumber = '+12125550177';
    const call = engine.placeCall({
      from: unknownNumber,
      to: DEMO_LINE,
      script: {
        input: navigateFlow(flowForNumber(await loadFlows(FLOWS_DIR), DEMO_LINE), {
          menus: { choose_language: 'en-US', department: 'sales' },
        }),
        patienceSeconds: 60,
        hangsUp: 'agent',
      },
    });
    await page.getByRole('heading', { name: 'Unknown caller' }).waitFor();
    await page.getByRole('button', { name: 'Accept' }).click();
    await page
      .getByRole('timer')
      .filter({ hasText: /\d:\d\d/ })
      .waitFor();

    await page.goto(`${origin}/customers/${caller.id}`);
    await page.getByRole('button', { name: en['customer.linkToCall'] }).click();
    await page.getByText(en['customer.linkedToCall']).waitFor();
    expect(
      ctx.db.prepare('SELECT customer_id FROM customer_phones WHERE e164 = ?').get(unknownNumber),
    ).toEqual({ customer_id: caller.id });

    await page.getByRole('navigation').getByRole('link', { name: 'Desk', exact: true }).click();
    await page.getByRole('heading', { name: 'On call' }).waitFor();
    await page.getByText(caller.name).first().waitFor();
    await page.getByRole('button', { name: 'Hang up' }).click();
    expect((await call).outcome).toBe('answered');
    // Wrapped up, so agent1 is free for whatever runs next.
    await page.getByRole('heading', { name: 'Wrap-up' }).waitFor();
    await page.getByRole('radio').first().check();
    await page.getByRole('button', { name: 'Submit wrap-up' }).click();
    await page.getByText('Waiting for calls', { exact: true }).waitFor();
    await engine.close();
    await page.close();
  });

  it('plans a lunch break on a call, which starts once the call and its wrap-up are done', async () => {
    const page = await availableAgent1();
    const engine = demo.callers();
    const call = engine.placeCall({
      from: caller.phone,
      to: DEMO_LINE,
      script: { input: ['1', '1'], patienceSeconds: 60, hangsUp: 'agent' },
    });
    await page.getByRole('heading', { name: 'Incoming call' }).waitFor();
    await page.getByRole('button', { name: 'Accept' }).click();
    await page.getByRole('heading', { name: 'On call' }).waitFor();
    // The talk timer runs once accepting is done: the desk sends one command at a time.
    await page
      .getByRole('timer')
      .filter({ hasText: /\d:\d\d/ })
      .waitFor();
    await page
      .getByRole('combobox', { name: en['desk.status.nextLabel'] })
      .selectOption({ label: 'Break · Lunch' });
    await page.getByText('On call · next: Break · Lunch').waitFor();
    const agent1 = ctx.db.prepare("SELECT id FROM agents WHERE username = 'agent1'").pluck().get() as number;
    expect((await ctx.app.acd.getAgent(agent1))?.nextReason).toBe('lunch');

    await page.getByRole('button', { name: 'Hang up' }).click();
    await page.getByRole('heading', { name: 'Wrap-up' }).waitFor();
    expect((await call).outcome).toBe('answered');
    await page.getByRole('radio').first().check();
    await page.getByRole('button', { name: 'Submit wrap-up' }).click();
    await page.locator('#current-status').getByText('Break · Lunch', { exact: true }).waitFor();
    expect(await page.getByRole('combobox', { name: 'Break reason' }).inputValue()).toBe('lunch');
    await engine.close();
    await page.close();
  });
  it('shows the backlog of the agent’s queues: a caller waiting in Sales while agent1 is not taking calls', async () => {
    const page = await demo.open('agent1');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByText('Connected', { exact: true }).waitFor();
    const backlog = page.locator('cti-queue-backlog');
    await backlog.getByRole('heading', { name: en['desk.backlog.title'] }).waitFor();
    const sales = backlog.getByRole('row', { name: /^Sales/ });
    await sales.getByRole('cell', { name: '0', exact: true }).waitFor();

    // agent1 is offline, so the caller waits, and gives up after a while.
    const engine = demo.callers();
    const call = engine.placeCall({
      from: caller.phone,
      to: DEMO_LINE,
      script: { input: ['1', '1'], patienceSeconds: 20 },
    });
    await sales.getByRole('cell', { name: '1', exact: true }).waitFor();
    // The longest wait ticks on the desk's clock.
    await sales.getByRole('cell', { name: /^0:0[1-9]$/ }).waitFor();
    expect((await call).outcome).not.toBe('answered');
    await sales.getByRole('cell', { name: '0', exact: true }).waitFor();
    await engine.close();
    await page.close();
  });
});
