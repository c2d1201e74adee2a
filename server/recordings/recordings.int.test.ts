import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTwilioClient } from '../telephony/index.js';
import type { CallQueue } from '../call-queues/call-queues.schemas.js';
import { makeAgent, makeQueue, setQueue } from '../testing/factories.js';
import { as, login, until, type TestContext } from '../testing/harness.js';
import {
  ACCOUNT_SID,
  AUTH_TOKEN,
  OUR_NUMBER,
  PUBLIC,
  startTwilioApp,
  type TwilioApp,
} from '../testing/twilio-app.js';
import { twilioContractViolations } from '../testing/twilio-contract.js';
import type { TwilioFake } from '../../simulator/twilio-fake/index.js';

const OLIVIA = '+14155550123';

// `pay` asks for a card number: recording pauses while the caller is there (PCI).
const FLOW = `
id: test
version: 1
language: en-US
start: welcome
nodes:
  welcome:
    type: say
    text:
      en-US: Thanks for calling.
    next: pay
  pay:
    type: identify
    sensitive: true
    prompt:
      en-US: Key your card number, then the hash key.
    retries: 0
    found: support
    notFound: support
  support:
    type: route_to_queue
    queue: Support
`;

describe('recording a call: the desk controls and the IVR payment pause', () => {
  let twilioApp: TwilioApp;
  let ctx: TestContext;
  let fake: TwilioFake;
  let desk: TwilioApp['desk'];
  let ana: ReturnType<typeof as>;
  let ben: ReturnType<typeof as>;

  beforeEach(async () => {
    twilioApp = await startTwilioApp({
      flows: { test: FLOW },
      arrange: async (db) => {
        for (const username of ['ana', 'ben']) {
          await makeAgent(db, { username, sipAddress: `sip:${username}@cti.local` });
        }
        makeQueue(db, 'Support');
      },
    });
    ({ ctx, fake, desk } = twilioApp);
    ana = as(ctx.app, twilioApp.cookie);
    ben = as(ctx.app, await login(ctx.app, 'ben', 'test-password'));
  });

  afterEach(async () => {
    await twilioApp.close();
    expect(fake.requests.flatMap(twilioContractViolations)).toEqual([]);
  });

  const setPolicy = (recordingPolicy: CallQueue['recordingPolicy']) =>
    setQueue(ctx.db, 'Support', { recordingPolicy });

  const webhook = (pathAndQuery: string, params: Record<string, string>) =>
    twilioApp.webhook(pathAndQuery, params);

  const redirectOf = (twiml: string) =>
    /<Redirect[^>]*>([^<]+)<\/Redirect>/.exec(twiml)![1]!.replace(/&amp;/g, '&').replace(PUBLIC, '');

  /** A caller goes through the IVR (keying a card number) into Support's queue. */
  async function callIn(from = OLIVIA) {
    const callSid = fake.arrive({ from, to: OUR_NUMBER }).sid;
    const base = { AccountSid: ACCOUNT_SID, CallSid: callSid, From: from, To: OUR_NUMBER };
    const first = await webhook('/twilio/voice', { ...base, CallStatus: 'ringing' });
    let twiml = first.body;
    // Identifying the caller by number comes first; then the IVR asks for the card number.
    while (!twiml.includes('<Gather')) twiml = (await webhook(redirectOf(twiml), base)).body;
    twiml = (await webhook(redirectOf(twiml), { ...base, Digits: '4111111111111111' })).body;
    while (!twiml.includes('<Conference')) twiml = (await webhook(redirectOf(twiml), base)).body;
    fake.joinConference(callSid, /<Conference[^>]*>([^<]+)<\/Conference>/.exec(twiml)![1]!);
    return { callSid, first };
  }

  /** ana takes a call and her phone answers. */
  async function connected() {
    expect(await desk.command('agent:set-status', { status: 'available' })).toEqual({ ok: true });
    const { callSid } = await callIn();
    await until(() => desk.last().offer !== null, 'the offer');
    const id = desk.last().offer!.interactionId;
    expect(await desk.command('offer:accept', { reservationId: desk.last().offer!.reservationId })).toEqual({
      ok: true,
    });
    await webhook(`/twilio/call-status?interactionId=${id}&leg=agent`, {
      AccountSid: ACCOUNT_SID,
      CallSid: (await ctx.app.calls.session(id))!.agentLegId!,
      CallStatus: 'in-progress',
      SequenceNumber: '1',
    });
    await until(() => desk.last().call?.answeredAt != null, 'answered');
    return { id, callSid };
  }

  const recordingOf = (callSid: string) => [...fake.recordings.values()].find((r) => r.callSid === callSid);
  const events = (id: number) =>
    ctx.db
      .prepare(
        'SELECT type, agent_id AS agentId, data FROM interaction_events WHERE interaction_id = ? ORDER BY id',
      )
      .all(id) as { type: string; agentId: number | null; data: string }[];
  const audits = () =>
    ctx.db
      .prepare(
        "SELECT actor_agent_id AS actor, action, entity_id AS entity, ip FROM audit_log WHERE action LIKE 'recording.%' ORDER BY id",
      )
      .all();

  it('pauses and resumes a recorded call from the desk and over REST, audited and on the timeline', async () => {
    setPolicy('all');
    const { id, callSid } = await connected();
    await until(() => desk.last().call?.recording.state === 'recording', 'recording on the desk');
    expect(desk.last().call!.recording).toEqual({ state: 'recording', onDemand: false });
    expect(recordingOf(callSid)?.status).toBe('in-progress');

    expect(await desk.command('call:recording', { interactionId: id, action: 'pause' })).toEqual({
      ok: true,
    });
    expect(recordingOf(callSid)?.status).toBe('paused');
    expect(desk.last().call!.recording.state).toBe('paused');
    expect(await desk.command('call:recording', { interactionId: id, action: 'pause' })).toMatchObject({
      ok: false,
      error: 'The call is not being recorded',
    });

    const resumed = await ana('POST', `/api/interactions/${id}/recording`, { action: 'resume' });
    expect(resumed.statusCode).toBe(200);
    expect(resumed.json()).toEqual({ state: 'recording' });
    expect(recordingOf(callSid)?.status).toBe('in-progress');

    // A queue that records every call keeps recording: pausing is allowed, stopping is not.
    const stop = await ana('POST', `/api/interactions/${id}/recording`, { action: 'stop' });
    expect(stop.statusCode).toBe(409);
    expect(stop.json().message).toMatch(/records every call/);
    // Someone else's call: refused, and nothing sent to Twilio.
    const sent = fake.requests.length;
    expect((await ben('POST', `/api/interactions/${id}/recording`, { action: 'pause' })).statusCode).toBe(
      403,
    );
    expect((await ana('POST', `/api/interactions/${id}/recording`, { action: 'mute' })).statusCode).toBe(400);
    expect(fake.requests.length).toBe(sent);
    expect(recordingOf(callSid)?.status).toBe('in-progress');

    const anaId = 1;
    expect(
      events(id)
        .filter((e) => e.type.startsWith('recording_'))
        .map((e) => [e.type, e.agentId]),
    ).toEqual([
      ['recording_started', null],
      ['recording_paused', anaId],
      ['recording_resumed', anaId],
    ]);
    expect(audits()).toEqual([
      { actor: anaId, action: 'recording.pause', entity: String(id), ip: expect.any(String) },
      { actor: anaId, action: 'recording.resume', entity: String(id), ip: expect.any(String) },
    ]);
  });

  it('starts and stops the recording on demand, once per call', async () => {
    setPolicy('on_demand');
    const { id, callSid } = await connected();
    expect(desk.last().call!.recording).toEqual({ state: 'off', onDemand: true });
    expect(recordingOf(callSid)).toBeUndefined();
    expect(await desk.command('call:recording', { interactionId: id, action: 'pause' })).toMatchObject({
      ok: false,
    });

    expect(await desk.command('call:recording', { interactionId: id, action: 'start' })).toEqual({
      ok: true,
    });
    expect(recordingOf(callSid)?.status).toBe('in-progress');
    expect(desk.last().call!.recording.state).toBe('recording');
    const stopped = await ana('POST', `/api/interactions/${id}/recording`, { action: 'stop' });
    expect(stopped.json()).toEqual({ state: 'stopped' });
    expect(recordingOf(callSid)?.status).toBe('stopped');
    expect(await desk.command('call:recording', { interactionId: id, action: 'start' })).toMatchObject({
      ok: false,
      error: 'This call is already recorded (one recording per call)',
    });

    const recorded = events(id).filter((e) => e.type.startsWith('recording_'));
    expect(recorded.map((e) => e.type)).toEqual(['recording_started', 'recording_stopped']);
    expect(JSON.parse(recorded[0]!.data)).toEqual({ recordingRef: recordingOf(callSid)!.sid });
    expect(audits()).toMatchObject([{ action: 'recording.start' }, { action: 'recording.stop' }]);
  });

  it('refuses to start a recording where the queue records nothing', async () => {
    const { id } = await connected();
    const start = await ana('POST', `/api/interactions/${id}/recording`, { action: 'start' });
    expect(start.statusCode).toBe(409);
    expect(start.json().message).toBe('This queue does not record calls on demand');
    expect(fake.recordings.size).toBe(0);
    expect(audits()).toEqual([]);
  });

  it('pauses the recording while the caller keys a card number in the IVR, and resumes after', async () => {
    // The number records from the first ring (Twilio's own setting): the call path did not start it.
    const callSid = fake.arrive({ from: 'anonymous', to: OUR_NUMBER }).sid;
    const client = createTwilioClient({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      apiBaseUrl: new URL(fake.baseUrl),
    });
    const { sid: recordingSid } = await client.calls(callSid).recordings.create();
    const base = { AccountSid: ACCOUNT_SID, CallSid: callSid, From: 'anonymous', To: OUR_NUMBER };
    const statusChanges = () =>
      fake.requests
        .filter((r) => r.path.endsWith(`/Calls/${callSid}/Recordings/Twilio.CURRENT.json`))
        .map((r) => r.form.Status);

    const asking = await webhook('/twilio/voice', { ...base, CallStatus: 'ringing' });
    expect(asking.body).toContain('Key your card number');
    expect(statusChanges()).toEqual(['paused']);
    expect(fake.recordings.get(recordingSid)?.status).toBe('paused');

    const keyed = await webhook(redirectOf(asking.body), { ...base, Digits: '4111111111111111' });
    expect(keyed.statusCode).toBe(200);
    expect(statusChanges()).toEqual(['paused', 'in-progress']);
    expect(fake.recordings.get(recordingSid)?.status).toBe('in-progress');

    const id = (
      ctx.db.prepare('SELECT id FROM interactions WHERE provider_call_id = ?').get(callSid) as { id: number }
    ).id;
    const recorded = events(id).filter((e) => e.type.startsWith('recording_'));
    expect(recorded.map((e) => [e.type, JSON.parse(e.data)])).toEqual([
      ['recording_paused', { reason: 'ivr_sensitive' }],
      ['recording_resumed', { reason: 'ivr_sensitive' }],
    ]);
    // The card number is not kept in the IVR answers either.
    const session = await ctx.app.calls.session(id);
    expect(session?.ivr?.answers.enteredDigits).toBe('••••••••••••1111');
  });

  it('goes through a sensitive IVR step on a call nobody records without asking twice or failing', async () => {
    const { first, callSid } = await callIn();
    expect(first.statusCode).toBe(200);
    expect(
      fake.requests.filter((r) => r.path.endsWith(`/Calls/${callSid}/Recordings/Twilio.CURRENT.json`)).length,
    ).toBe(2);
    const id = (
      ctx.db.prepare('SELECT id FROM interactions WHERE provider_call_id = ?').get(callSid) as { id: number }
    ).id;
    expect(events(id).filter((e) => e.type.startsWith('recording_'))).toEqual([]);
  });
});
