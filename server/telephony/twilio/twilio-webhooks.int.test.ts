import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeCustomer, makeQueue } from '../../testing/factories.js';
import type { TestContext } from '../../testing/harness.js';
import {
  ACCOUNT_SID,
  OUR_NUMBER,
  PUBLIC,
  startTwilioApp,
  type TwilioApp,
  type TwilioForm,
} from '../../testing/twilio-app.js';
import type { TwilioFake } from '../../../simulator/twilio-fake/index.js';

/** Olivia calls from a number her record does not have, so the IVR asks for her account number. */
const OLIVIA_ELSEWHERE = '+12125550142';
const OLIVIA_ACCOUNT = '1234';

const FLOW = `
id: test
version: 1
language: en-US
start: identify_caller
nodes:
  identify_caller:
    type: identify
    prompt:
      en-US: Please enter your account number, then press the pound key.
    notFoundPrompt:
      en-US: Sorry, we could not find that account.
    retries: 1
    found: support
    notFound: support
  support:
    type: route_to_queue
    queue: Support
    prompt:
      en-US: Connecting you to support.
`;

describe('Twilio webhooks: bound to their call, each step once', () => {
  let twilioApp: TwilioApp;
  let ctx: TestContext;
  let fake: TwilioFake;
  let oliviaId: number;

  beforeEach(async () => {
    twilioApp = await startTwilioApp({
      flows: { test: FLOW },
      desk: false,
      arrange: (db) => {
        makeQueue(db, 'Support');
        oliviaId = makeCustomer(db, {
          name: 'Olivia Carter',
          phones: ['+14155550123'],
          attributes: { accountNumber: `AC-${OLIVIA_ACCOUNT.padStart(6, '0')}` },
        });
      },
    });
    ({ ctx, fake } = twilioApp);
  });

  afterEach(() => twilioApp.close());

  const webhook = (pathAndQuery: string, params: TwilioForm) => twilioApp.webhook(pathAndQuery, params);

  /** The path and query of the first `attribute` URL in some TwiML (a Gather's action, a Redirect). */
  const urlIn = (twiml: string, pattern: RegExp) => {
    const url = pattern.exec(twiml)?.[1]?.replace(/&amp;/g, '&');
    if (!url) throw new Error(`nothing like ${String(pattern)} in ${twiml}`);
    return url.replace(PUBLIC, '');
  };
  const gatherAction = (twiml: string) => urlIn(twiml, /<Gather[^>]*action="([^"]+)"/);
  const redirect = (twiml: string) => urlIn(twiml, /<Redirect[^>]*>([^<]+)<\/Redirect>/);

  const row = (id: number) =>
    ctx.db.prepare('SELECT * FROM interactions WHERE id = ?').get(id) as Record<string, unknown>;
  const idOf = (callSid: string) =>
    (ctx.db.prepare('SELECT id FROM interactions WHERE provider_call_id = ?').get(callSid) as { id: number })
      .id;
  const eventTypes = (id: number) =>
    (
      ctx.db.prepare('SELECT type FROM interaction_events WHERE interaction_id = ? ORDER BY id').all(id) as {
        type: string;
      }[]
    ).map((e) => e.type);
  const count = (table: string) =>
    (ctx.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

  /** A caller reaches the account-number question; `twiml` asks it. */
  async function caller(from = OLIVIA_ELSEWHERE) {
    const callSid = fake.arrive({ from, to: OUR_NUMBER }).sid;
    const base = { AccountSid: ACCOUNT_SID, CallSid: callSid, From: from, To: OUR_NUMBER };
    const arrived = await webhook('/twilio/voice', { ...base, CallStatus: 'ringing' });
    expect(arrived.statusCode).toBe(200);
    return { callSid, base, id: idOf(callSid), twiml: arrived.body };
  }

  /** A caller who keyed a number the IVR does not know and now waits in the Support queue. */
  async function queuedCaller(from = OLIVIA_ELSEWHERE) {
    const call = await caller(from);
    let twiml = call.twiml;
    for (const digits of ['999999', '999999']) {
      twiml = (await webhook(gatherAction(twiml), { ...call.base, Digits: digits })).body;
    }
    const parked = await webhook(redirect(twiml), call.base);
    expect(parked.body).toContain('<Conference');
    expect(await ctx.app.acd.getCall(call.id)).toMatchObject({ state: 'queued' });
    return call;
  }

  it('answers a retried IVR answer with the first TwiML, so the caller’s next digits answer the next question', async () => {
    const call = await caller();
    const question = gatherAction(call.twiml);
    // Olivia mistypes her account number; Twilio's read times out and it sends the same answer again.
    const first = await webhook(question, { ...call.base, Digits: '999999' });
    expect(first.body).toContain('Sorry, we could not find that account.');
    const retried = await webhook(question, { ...call.base, Digits: '999999' });
    expect(retried.statusCode).toBe(200);
    expect(retried.body).toBe(first.body);

    // Twilio plays the retry's answer; she keys her number correctly into that question.
    const identified = await webhook(gatherAction(retried.body), { ...call.base, Digits: OLIVIA_ACCOUNT });
    expect(identified.body).toContain('Connecting you to support.');
    expect(row(call.id)).toMatchObject({ customer_id: oliviaId });
  });

  it('books a callback once when the answer to the max-wait offer is retried', async () => {
    const call = await queuedCaller();
    const offer = await webhook(`/twilio/max-wait?interactionId=${call.id}&alternative=callback`, call.base);
    const answer = gatherAction(offer.body);
    const first = await webhook(answer, { ...call.base, Digits: '1' });
    const again = await webhook(answer, { ...call.base, Digits: '1' });
    expect(first.body).toContain('We will call you back');
    expect(again.body).toBe(first.body);
    expect(eventTypes(call.id).filter((type) => type === 'callback_requested')).toHaveLength(1);
  });

  it('ignores a status callback whose call is not the leg its URL names', async () => {
    const other = await queuedCaller('+12125550100');
    const waiting = await queuedCaller();
    const foreign = await webhook(`/twilio/call-status?interactionId=${waiting.id}&leg=caller`, {
      AccountSid: ACCOUNT_SID,
      CallSid: other.callSid,
      CallStatus: 'completed',
      SequenceNumber: '4',
    });
    expect(foreign.statusCode).toBe(204);
    expect(await ctx.app.acd.getCall(waiting.id)).toMatchObject({ state: 'queued' });
    expect(row(waiting.id)).toMatchObject({ ended_at: null });
  });

  it('refuses caller-facing webhooks for a call that is not the interaction’s caller, changing nothing', async () => {
    const olivia = await caller();
    const intruder = await caller('+12125550100');
    const question = gatherAction(olivia.twiml);
    const wrongCall = await webhook(question, { ...intruder.base, Digits: OLIVIA_ACCOUNT });
    expect(wrongCall.statusCode).toBe(403);
    expect(row(olivia.id)).toMatchObject({ customer_id: null });
    // Olivia's own answer to that question still counts.
    await webhook(question, { ...olivia.base, Digits: OLIVIA_ACCOUNT });
    expect(row(olivia.id)).toMatchObject({ customer_id: oliviaId });

    const waiting = await queuedCaller('+12125550111');
    const booking = await webhook(
      `/twilio/max-wait?interactionId=${waiting.id}&alternative=callback-answer`,
      { ...intruder.base, Digits: '1' },
    );
    expect(booking.statusCode).toBe(403);
    expect(eventTypes(waiting.id)).not.toContain('callback_requested');
  });

  it('links a recording only to the interaction whose call it recorded', async () => {
    const olivia = await queuedCaller();
    const other = await queuedCaller('+12125550100');
    const recording = (interactionId: number, callSid: string) =>
      webhook(`/twilio/recording-status?interactionId=${interactionId}`, {
        AccountSid: ACCOUNT_SID,
        CallSid: callSid,
        RecordingSid: `RE${'7'.repeat(32)}`,
        RecordingStatus: 'completed',
        RecordingUrl: 'https://api.twilio.com/recording',
      });
    // Signed for Olivia's call, sent to the other interaction's URL.
    expect((await recording(other.id, olivia.callSid)).statusCode).toBe(204);
    expect(row(other.id)).toMatchObject({ recording_ref: null });
    expect(eventTypes(other.id)).not.toContain('recording_ready');
    // For an interaction that does not exist: nothing to link, and no server error.
    const events = count('interaction_events');
    expect((await recording(999_999, olivia.callSid)).statusCode).toBe(204);
    expect(count('interaction_events')).toBe(events);

    expect((await recording(olivia.id, olivia.callSid)).statusCode).toBe(204);
    expect((await recording(olivia.id, olivia.callSid)).statusCode).toBe(204);
    expect(row(olivia.id)).toMatchObject({ recording_ref: `RE${'7'.repeat(32)}` });
    expect(eventTypes(olivia.id).filter((type) => type === 'recording_ready')).toHaveLength(1);
  });

  it('handles a recording callback again after its first handling failed', async () => {
    const olivia = await queuedCaller();
    const recording = () =>
      webhook(`/twilio/recording-status?interactionId=${olivia.id}`, {
        AccountSid: ACCOUNT_SID,
        CallSid: olivia.callSid,
        RecordingSid: `RE${'8'.repeat(32)}`,
        RecordingStatus: 'completed',
      });
    // The database refuses writes for a moment: the first delivery fails and Twilio retries it.
    ctx.app.db.pragma('query_only = ON');
    expect((await recording()).statusCode).toBe(500);
    ctx.app.db.pragma('query_only = OFF');
    expect((await recording()).statusCode).toBe(204);
    expect(row(olivia.id)).toMatchObject({ recording_ref: `RE${'8'.repeat(32)}` });
  });

  it('answers signed webhooks with repeated keys or a bad interaction id with 400, changing nothing', async () => {
    const olivia = await queuedCaller();
    const interactions = count('interactions');
    const events = count('interaction_events');
    const refused = [
      await webhook('/twilio/voice', {
        AccountSid: ACCOUNT_SID,
        CallSid: [`CA${'a'.repeat(32)}`, `CA${'b'.repeat(32)}`],
        From: OLIVIA_ELSEWHERE,
        To: OUR_NUMBER,
      }),
      await webhook('/twilio/call-status', {
        AccountSid: ACCOUNT_SID,
        CallSid: [olivia.callSid, `CA${'b'.repeat(32)}`],
        CallStatus: 'completed',
      }),
      await webhook('/twilio/call-status', {
        AccountSid: ACCOUNT_SID,
        CallSid: olivia.callSid,
        CallStatus: ['completed', 'busy'],
      }),
      await webhook(`/twilio/recording-status?interactionId=${olivia.id}`, {
        CallSid: olivia.callSid,
        RecordingSid: [`RE${'1'.repeat(32)}`, `RE${'2'.repeat(32)}`],
        RecordingStatus: 'completed',
      }),
      await webhook('/twilio/recording-status?interactionId=abc', {
        CallSid: olivia.callSid,
        RecordingSid: `RE${'1'.repeat(32)}`,
        RecordingStatus: 'completed',
      }),
      await webhook(`/twilio/ivr?interactionId=${olivia.id}&interactionId=1&step=2`, olivia.base),
      await webhook(`/twilio/max-wait?interactionId=${olivia.id}&alternative=elsewhere`, olivia.base),
      await webhook(`/twilio/wait?interactionId=${olivia.id}`, {
        CallSid: [olivia.callSid, olivia.callSid + 'x'],
      }),
    ];
    expect(refused.map((response) => response.statusCode)).toEqual(refused.map(() => 400));
    expect(count('interactions')).toBe(interactions);
    expect(count('interaction_events')).toBe(events);
    expect(await ctx.app.acd.getCall(olivia.id)).toMatchObject({ state: 'queued' });
  });
});
