import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  agentIdOf,
  customerIdOf,
  makeAgent,
  makeCustomer,
  makeFollowUp,
  makeQueue,
  makeWrapUpCodes,
  queueIdOf,
  setCustomer,
  setEveryQueue,
  setQueue,
} from '../testing/factories.js';
import {
  customerRow,
  followUpRow,
  interactionCount,
  interactionEventTypes,
  interactionRow,
} from '../testing/rows.js';
import { connectDesk } from '../testing/desk-socket.js';
import { until, login, ORIGIN, type TestContext } from '../testing/harness.js';
import { twilioContractViolations } from '../testing/twilio-contract.js';
import {
  ACCOUNT_SID,
  OUR_NUMBER,
  PUBLIC,
  inboundCall,
  startTwilioApp,
  type TwilioApp,
} from '../testing/twilio-app.js';
import type { TwilioFake } from '../../simulator/twilio-fake/index.js';

const OLIVIA = '+14155550123';

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
    next: support
  support:
    type: route_to_queue
    queue: Support
    prompt:
      en-US: Connecting you to support.
`;

describe('the call path: Twilio webhooks → IVR → ACD → desk → wrap-up', () => {
  let twilioApp: TwilioApp;
  let ctx: TestContext;
  let fake: TwilioFake;

  beforeEach(async () => {
    twilioApp = await startTwilioApp({
      flows: { test: FLOW },
      arrange: async (db) => {
        await makeAgent(db, {
          username: 'ana',
          displayName: 'Ana Silva',
          sipAddress: 'sip:ana@cti.local',
          skills: { support: 4 },
        });
        const codes = makeWrapUpCodes(db, 'Support codes', [
          { code: 'RESOLVED', label: 'Resolved' },
          {
            code: 'CHURN_RISK',
            label: 'Churn risk',
            action: 'lifecycle_change',
            actionLifecycleStage: 'at_risk',
          },
          {
            code: 'RECOVER',
            label: 'Needs service recovery',
            followUp: { kind: 'service_recovery', dueInHours: 24, owner: 'queue' },
          },
        ]);
        makeQueue(db, 'Support', { wrapUpCodeSetId: codes, acwPolicy: 'mandatory', skills: { support: 2 } });
        makeCustomer(db, { name: 'Olivia Carter', tier: 'gold', phones: [OLIVIA] });
        await makeAgent(db, { username: 'ben', displayName: 'Ben Okafor', sipAddress: 'sip:ben@cti.local' });
        makeQueue(db, 'Billing');
      },
    });
    ({ ctx, fake } = twilioApp);
  });

  afterEach(async (test) => {
    if (test.task.result?.state === 'fail') {
      console.error(
        ctx
          .logs()
          .split('\n')
          .filter((line) => line.includes('"level":50'))
          .join('\n'),
      );
    }
    await twilioApp.close();
    // Every request the call path sent to Twilio is one Twilio documents.
    expect(fake.requests.flatMap(twilioContractViolations)).toEqual([]);
  });

  const last = () => twilioApp.desk.last();
  const command: TwilioApp['desk']['command'] = (event, payload) => twilioApp.desk.command(event, payload);

  /** POSTs a webhook the way Twilio does (form-encoded, signed over the public URL), or unsigned. */
  function webhook(pathAndQuery: string, params: Record<string, string>, sign = true) {
    if (sign) return twilioApp.webhook(pathAndQuery, params);
    return ctx.app.inject({
      method: 'POST',
      url: pathAndQuery,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(params).toString(),
    });
  }

  function newCall(from = OLIVIA) {
    const { callSid, form: base } = inboundCall(fake, from);
    return {
      callSid,
      arrive: () => webhook('/twilio/voice', { ...base, CallStatus: 'ringing' }),
      /** Follows the IVR's redirect; when the answer parks the caller, joins them to that conference in the fake. */
      follow: async (twiml: string) => {
        const redirect = /<Redirect[^>]*>([^<]+)<\/Redirect>/.exec(twiml)?.[1]?.replace(/&amp;/g, '&');
        if (!redirect) throw new Error(`no redirect in ${twiml}`);
        const response = await webhook(redirect.replace(PUBLIC, ''), { ...base, CallStatus: 'in-progress' });
        const conference = /<Conference[^>]*>([^<]+)<\/Conference>/.exec(response.body)?.[1];
        if (conference) fake.joinConference(callSid, conference);
        return response;
      },
      hangUp: (sequence: string) =>
        webhook('/twilio/call-status', {
          ...base,
          CallStatus: 'completed',
          SequenceNumber: sequence,
          CallDuration: '60',
        }),
    };
  }

  const interaction = (callSid: string) => interactionRow(ctx.db, { callSid })!;
  const billingQueue = () => queueIdOf(ctx.db, 'Billing');
  const eventTypes = (id: unknown) => interactionEventTypes(ctx.db, id);

  /** ana goes available, a known caller is offered to her and she accepts. */
  async function acceptedCall(from = OLIVIA) {
    await command('agent:set-status', { status: 'available' });
    const call = newCall(from);
    await call.follow((await call.arrive()).body);
    await until(() => last().offer !== null, 'the offer');
    const id = last().offer!.interactionId;
    await command('offer:accept', { reservationId: last().offer!.reservationId });
    return { call, id };
  }

  /** An accepted call whose agent leg answered, as the desk shows it. */
  async function connectedCall() {
    const accepted = await acceptedCall();
    await agentAnswers(accepted.id);
    await until(() => last().call?.answeredAt != null, 'answered');
    return accepted;
  }

  /** The CallSid of the agent's leg the call path placed for Interaction `id`: its webhooks carry it. */
  const agentLegOf = async (id: number) => (await ctx.app.calls.session(id))!.agentLegId!;

  /** Twilio reports the agent's phone answered. */
  const agentAnswers = async (id: number) =>
    webhook(`/twilio/call-status?interactionId=${id}&leg=agent`, {
      AccountSid: ACCOUNT_SID,
      CallSid: await agentLegOf(id),
      CallStatus: 'in-progress',
      SequenceNumber: '1',
    });

  it('pops the caller to the agent, connects, holds, hangs up and wraps up into one complete interaction', async () => {
    setEveryQueue(ctx.db, { recordingPolicy: 'all' });
    expect((await command('agent:set-status', { status: 'available' })).ok).toBe(true);
    await until(() => last().status === 'available', 'available');

    const call = newCall();
    const first = await call.arrive();
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toMatch(/text\/xml/);
    expect(first.body).toContain('Connecting you to support.');
    const parked = await call.follow(first.body);
    expect(parked.body).toMatch(/<Conference[^>]*>interaction-\d+<\/Conference>/);
    const waitUrl = /waitUrl="([^"]+)"/.exec(parked.body)![1]!.replace(/&amp;/g, '&');

    await until(() => last().offer !== null, 'the offer');
    const { offer } = last();
    // Ringing an agent, the caller is no longer in line: the wait loop only plays music.
    const ringing = await webhook(waitUrl.replace(PUBLIC, ''), {
      AccountSid: ACCOUNT_SID,
      CallSid: call.callSid,
    });
    expect(ringing.body).toMatch(/<Play>[^<]+<\/Play>/);
    expect(ringing.body).not.toContain('<Say');
    expect(offer!.pop.customer).toMatchObject({ name: 'Olivia Carter', tier: 'gold' });
    expect(offer!.queue).toMatchObject({ name: 'Support' });
    const id = offer!.interactionId;
    expect(eventTypes(id)).toContain('offered');

    expect(await command('offer:accept', { reservationId: offer!.reservationId })).toEqual({ ok: true });
    const participant = fake.requests.find((r) => r.path.includes('/Participants') && r.method === 'POST');
    expect(participant?.form.To).toBe(`sip:ana@cti.local?X-CTI-Interaction=${id}`);
    await until(() => last().call !== null, 'the call panel');

    await webhook(`/twilio/call-status?interactionId=${id}&leg=agent`, {
      AccountSid: ACCOUNT_SID,
      CallSid: await agentLegOf(id),
      CallStatus: 'in-progress',
      SequenceNumber: '1',
    });
    await until(() => last().call?.answeredAt != null, 'answered');
    expect(
      fake.requests.some(
        (r) => r.method === 'POST' && r.path.endsWith(`/Calls/${call.callSid}/Recordings.json`),
      ),
    ).toBe(true);

    expect(await command('call:hold', { interactionId: id })).toEqual({ ok: true });
    expect(last().call?.onHold).toBe(true);
    ctx.clock.advance(7000);
    expect(await command('call:resume', { interactionId: id })).toEqual({ ok: true });

    expect(await command('call:hangup', { interactionId: id })).toEqual({ ok: true });
    expect(
      fake.requests.some(
        (r) => r.path.endsWith(`/Calls/${call.callSid}.json`) && r.form.Status === 'completed',
      ),
    ).toBe(true);
    await call.hangUp('3');
    await call.hangUp('3');
    await until(() => last().wrapUp !== null, 'wrap-up');
    expect(last().wrapUp!.codeRequired).toBe(true);

    const missing = await command('wrapup:submit', { interactionId: id, wrapUpCodeId: null, notes: '' });
    expect(missing).toMatchObject({
      ok: false,
      error: 'This queue requires a wrap-up code',
      code: 'bad_request',
    });
    const churn = last().wrapUp!.codes.find((c) => c.code === 'CHURN_RISK')!;
    expect(
      await command('wrapup:submit', {
        interactionId: id,
        wrapUpCodeId: churn.id,
        notes: 'Unhappy with price',
      }),
    ).toEqual({
      ok: true,
    });
    await until(() => last().status === 'available' && last().wrapUp === null, 'available again');

    expect(interaction(call.callSid)).toMatchObject({
      state: 'completed',
      outcome: 'answered',
      agent_id: 1,
      queue_id: 1,
      held_seconds: 7,
      wrap_up_code_id: churn.id,
      notes: 'Unhappy with price',
    });
    expect(eventTypes(id)).toEqual([
      'arrived',
      'ivr_left',
      'queued',
      'offered',
      'answered',
      'recording_started',
      'held',
      'resumed',
      'agent_hung_up',
      'ended',
      'wrap_up_submitted',
    ]);
    expect(customerRow(ctx.db, customerIdOf(ctx.db, OLIVIA))).toMatchObject({ lifecycle_stage: 'at_risk' });
    expect(await ctx.app.acd.checkInvariants()).toEqual([]);
  });

  it('tells a waiting caller their place, then records their hang-up as abandoned', async () => {
    const call = newCall('+12125550199');
    const parked = await call.follow((await call.arrive()).body);
    const waitUrl = /waitUrl="([^"]+)"/.exec(parked.body)![1]!.replace(/&amp;/g, '&').replace(PUBLIC, '');
    const wait = await webhook(waitUrl, { AccountSid: ACCOUNT_SID, CallSid: call.callSid });
    expect(wait.body).toContain('You are next in line. Please stay on the line.');
    expect(wait.body).toMatch(/<Play>[^<]+<\/Play>/);
    await call.hangUp('2');
    expect(interaction(call.callSid)).toMatchObject({
      state: 'completed',
      outcome: 'abandoned',
      customer_id: null,
    });
    expect(await ctx.app.acd.getCall(Number(interaction(call.callSid).id))).toMatchObject({
      state: 'abandoned',
    });
  });

  it('puts an offer that rings out back in the queue and the agent on a break', async () => {
    await command('agent:set-status', { status: 'available' });
    const call = newCall();
    await call.follow((await call.arrive()).body);
    await until(() => last().offer !== null, 'the offer');
    ctx.clock.advance(21_000);
    await ctx.app.calls.tick();
    await until(() => last().status === 'break', 'RONA');
    expect(last().reason).toBe('rona');
    const id = interaction(call.callSid).id;
    expect(eventTypes(id).slice(-2)).toEqual(['offered', 'offer_declined']);
    expect(await ctx.app.acd.getCall(Number(id))).toMatchObject({ state: 'queued' });
  });

  it('overflows a call that waited past its queue’s limit to the overflow queue, once', async () => {
    const billing = billingQueue();
    setQueue(ctx.db, 'Support', { overflowAfterSeconds: 30, overflowQueueId: billing });
    const call = newCall();
    await call.follow((await call.arrive()).body);
    const id = Number(interaction(call.callSid).id);
    ctx.clock.advance(29_000);
    await ctx.app.calls.tick();
    expect(await ctx.app.acd.getCall(id)).toMatchObject({ queueId: 1 });
    ctx.clock.advance(2_000);
    await ctx.app.calls.tick();
    await ctx.app.calls.tick();
    expect(await ctx.app.acd.getCall(id)).toMatchObject({ queueId: billing, state: 'queued' });
    expect(interaction(call.callSid)).toMatchObject({ queue_id: billing });
    expect(eventTypes(id).filter((type) => type === 'queued')).toHaveLength(2);
  });

  it('corrects a call to answered when the agent leg’s answer arrives after the caller’s hang-up', async () => {
    const { call, id } = await acceptedCall();
    const answeredAt = ctx.clock.now();
    ctx.clock.advance(30_000);
    await call.hangUp('5');
    expect(interaction(call.callSid)).toMatchObject({ outcome: 'abandoned' });
    await webhook(`/twilio/call-status?interactionId=${id}&leg=agent`, {
      AccountSid: ACCOUNT_SID,
      CallSid: await agentLegOf(id),
      CallStatus: 'in-progress',
      SequenceNumber: '1',
      Timestamp: answeredAt.toUTCString(),
    });
    expect(interaction(call.callSid)).toMatchObject({
      outcome: 'answered',
      answered_at: answeredAt.toISOString(),
    });
  });

  it('takes an agent who signs out out of routing and returns their ringing offer to the queue', async () => {
    await command('agent:set-status', { status: 'available' });
    const call = newCall();
    await call.follow((await call.arrive()).body);
    await until(() => last().offer !== null, 'the offer');
    const id = last().offer!.interactionId;
    const cookie = await login(ctx.app, 'ana', 'test-password');
    const logout = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie, origin: ORIGIN },
    });
    expect(logout.statusCode).toBe(204);
    expect(await ctx.app.acd.getAgent(1)).toMatchObject({ status: 'offline' });
    expect(await ctx.app.acd.getCall(id)).toMatchObject({ state: 'queued' });
  });

  it('completes a call begun before a server restart, with the desk reconnected to the new process', async () => {
    const { call, id } = await acceptedCall();
    await agentAnswers(id);

    // The new process: same database, same Redis; the caller hangs up while it is in charge.
    await twilioApp.restart();
    await until(() => last()?.call?.interactionId === id, 'the call restored on the desk');
    const ended = await webhook('/twilio/call-status', {
      AccountSid: ACCOUNT_SID,
      CallSid: call.callSid,
      From: OLIVIA,
      To: OUR_NUMBER,
      CallStatus: 'completed',
      SequenceNumber: '4',
    });
    expect(ended.statusCode).toBe(204);
    await until(() => last().wrapUp?.interactionId === id, 'wrap-up after the restart');
    const resolved = last().wrapUp!.codes.find((c) => c.code === 'RESOLVED')!;
    expect(
      await command('wrapup:submit', { interactionId: id, wrapUpCodeId: resolved.id, notes: '' }),
    ).toEqual({
      ok: true,
    });
    expect(interaction(call.callSid)).toMatchObject({
      state: 'completed',
      outcome: 'answered',
      wrap_up_code_id: resolved.id,
    });
    expect(await twilioApp.app.acd.checkInvariants()).toEqual([]);
  });

  it('creates the follow-up a wrap-up code asks for, owned by the team of the call’s queue, once', async () => {
    const { call, id } = await connectedCall();
    expect(await command('call:hangup', { interactionId: id })).toEqual({ ok: true });
    await call.hangUp('3');
    await until(() => last().wrapUp !== null, 'wrap-up');
    const recover = last().wrapUp!.codes.find((c) => c.code === 'RECOVER')!;
    expect(recover.followUp).toEqual({ kind: 'service_recovery', dueInHours: 24, owner: 'queue' });
    expect(
      await command('wrapup:submit', { interactionId: id, wrapUpCodeId: recover.id, notes: '' }),
    ).toEqual({
      ok: true,
    });
    const rows = ctx.db.prepare('SELECT * FROM follow_ups WHERE interaction_id = ?').all(id);
    expect(rows).toEqual([
      expect.objectContaining({
        kind: 'service_recovery',
        status: 'open',
        source: 'wrap_up',
        owner_agent_id: null,
        owner_queue_id: queueIdOf(ctx.db, 'Support'),
        created_by: agentIdOf(ctx.db, 'ana'),
        title: 'Needs service recovery',
        due_at: new Date(ctx.clock.now().getTime() + 24 * 3_600_000).toISOString(),
      }),
    ]);
    const audit = ctx.db
      .prepare("SELECT action FROM audit_log WHERE entity_type = 'follow_up' AND entity_id = ?")
      .all(String((rows[0] as { id: number }).id));
    expect(audit).toEqual([{ action: 'follow_up.create' }]);
  });

  it('transfers a connected call to an outside number: the interaction ends as transferred, the agent wraps up', async () => {
    const { call, id } = await connectedCall();
    expect(
      await command('call:transfer', { interactionId: id, to: { kind: 'number', number: 'not a number' } }),
    ).toMatchObject({
      ok: false,
      error: '"not a number" is not a valid phone number',
    });
    expect(
      await command('call:transfer', { interactionId: id, to: { kind: 'number', number: '(212) 555-0199' } }),
    ).toEqual({ ok: true });
    expect(fake.requests.some((r) => r.path.includes('/Participants') && r.form.To === '+12125550199')).toBe(
      true,
    );
    await until(() => last().wrapUp?.interactionId === id, 'wrap-up');
    expect(interaction(call.callSid)).toMatchObject({ state: 'wrap_up', outcome: 'transferred' });
    expect((await call.hangUp('6')).statusCode).toBe(204);
    expect(interaction(call.callSid)).toMatchObject({ state: 'wrap_up', outcome: 'transferred' });
    expect(eventTypes(id).slice(-2)).toEqual(['transferred', 'ended']);
  });

  it('mutes and unmutes the agent on the call: the caller stops and starts hearing them', async () => {
    const { call, id } = await connectedCall();
    const conference = [...fake.conferences.values()].find((c) => c.friendlyName === `interaction-${id}`)!;
    const agentLeg = [...conference.participants.keys()].find((sid) => sid !== call.callSid)!;
    expect(await command('call:mute', { interactionId: id, muted: true })).toEqual({ ok: true });
    expect(conference.participants.get(agentLeg)?.muted).toBe(true);
    expect(conference.participants.get(call.callSid)?.muted).toBe(false);
    await until(() => last().call?.muted === true, 'muted on the desk');
    expect(await command('call:mute', { interactionId: id, muted: false })).toEqual({ ok: true });
    expect(conference.participants.get(agentLeg)?.muted).toBe(false);
    await until(() => last().call?.muted === false, 'unmuted on the desk');
    expect(eventTypes(id)).toEqual(expect.arrayContaining(['agent_muted', 'agent_unmuted']));
  });

  it('transfers warm to a number: the caller holds while the agent consults, then the agent hands over and leaves', async () => {
    const { call, id } = await connectedCall();
    const conference = () =>
      [...fake.conferences.values()].find((c) => c.friendlyName === `interaction-${id}`)!;
    const agentLeg = [...conference().participants.keys()].find((sid) => sid !== call.callSid)!;
    const transferLeg = (sid: string, status: string, sequence: string) =>
      webhook(`/twilio/call-status?interactionId=${id}&leg=transfer`, {
        AccountSid: ACCOUNT_SID,
        CallSid: sid,
        CallStatus: status,
        SequenceNumber: sequence,
      });

    expect(await command('call:consult-complete', { interactionId: id })).toMatchObject({
      ok: false,
      error: 'No consultation is under way',
    });
    expect(
      await command('call:consult', { interactionId: id, to: { kind: 'number', number: '(212) 555-0199' } }),
    ).toEqual({
      ok: true,
    });
    const expert = [...fake.calls.values()].find((c) => c.to === '+12125550199')!;
    expect(conference().participants.get(call.callSid)?.hold).toBe(true);
    await until(() => last().call?.consult !== null, 'the consultation on the desk');
    expect(last().call).toMatchObject({
      onHold: true,
      consult: { label: '+12125550199', answered: false },
    });
    await transferLeg(expert.sid, 'in-progress', '1');
    await until(() => last().call?.consult?.answered === true, 'the expert answered');

    ctx.clock.advance(30_000);
    expect(await command('call:consult-complete', { interactionId: id })).toEqual({ ok: true });
    expect(conference().participants.get(call.callSid)?.hold).toBe(false);
    expect(fake.calls.get(agentLeg)?.status).toBe('completed');
    expect(fake.calls.get(call.callSid)?.status).toBe('in-progress');
    await until(() => last().wrapUp?.interactionId === id, 'wrap-up');
    expect(interaction(call.callSid)).toMatchObject({
      state: 'wrap_up',
      outcome: 'transferred',
      held_seconds: 30,
    });
    expect(eventTypes(id)).toEqual(expect.arrayContaining(['consult_started', 'transferred']));

    // The caller and the expert talk on; when the expert hangs up, the caller is let go too.
    await transferLeg(expert.sid, 'completed', '2');
    expect(fake.calls.get(call.callSid)?.status).toBe('completed');
    expect(await ctx.app.acd.checkInvariants()).toEqual([]);
  });

  it('cancels a consultation: the number is hung up and the caller is back with the agent', async () => {
    const { call, id } = await connectedCall();
    expect(
      await command('call:consult', { interactionId: id, to: { kind: 'number', number: '(212) 555-0199' } }),
    ).toEqual({
      ok: true,
    });
    expect(
      await command('call:consult', { interactionId: id, to: { kind: 'number', number: '(212) 555-0198' } }),
    ).toMatchObject({
      ok: false,
      error: 'A consultation is already under way',
    });
    const expert = [...fake.calls.values()].find((c) => c.to === '+12125550199')!;
    expect(await command('call:consult-cancel', { interactionId: id })).toEqual({ ok: true });
    expect(fake.calls.get(expert.sid)?.status).toBe('completed');
    await until(() => last().call?.consult === null && last().call?.onHold === false, 'back with the caller');
    expect(await ctx.app.acd.getCall(id)).toMatchObject({ state: 'connected' });
    expect(eventTypes(id)).toContain('consult_cancelled');
    // The agent then hangs up their own phone: the caller is not left alone on the line.
    await webhook(`/twilio/call-status?interactionId=${id}&leg=agent`, {
      AccountSid: ACCOUNT_SID,
      CallSid: await agentLegOf(id),
      CallStatus: 'completed',
      SequenceNumber: '9',
    });
    expect(fake.calls.get(call.callSid)?.status).toBe('completed');
  });

  const child = (parentId: number) => interactionRow(ctx.db, { parentId });

  /** A second agent's desk: ben, signed in over his own socket. */
  async function benDesk() {
    return connectDesk(twilioApp.origin, await login(ctx.app, 'ben', 'test-password'), PUBLIC);
  }

  it("transfers a connected call to another queue: a new interaction waits at the caller's old place, the agent wraps up", async () => {
    const billing = billingQueue();
    const { call, id } = await connectedCall();
    const queuedAt = (await ctx.app.acd.getCall(id))!.enqueuedAtMs;
    expect(
      await command('call:transfer', { interactionId: id, to: { kind: 'queue', queueId: 999 } }),
    ).toMatchObject({
      ok: false,
      error: 'Call queue 999 does not exist',
    });
    expect(child(id)).toBeUndefined();

    expect(
      await command('call:transfer', { interactionId: id, to: { kind: 'queue', queueId: billing } }),
    ).toEqual({
      ok: true,
    });
    const next = child(id)!;
    expect(next).toMatchObject({
      origin: 'transfer',
      state: 'queued',
      queue_id: billing,
      customer_id: interaction(call.callSid).customer_id,
      provider_call_id: null,
    });
    const nextId = next.id as number;
    // The caller now waits in the new interaction's own conference.
    const redirect = fake.requests.find(
      (r) => r.path.endsWith(`/Calls/${call.callSid}.json`) && r.form.Twiml,
    );
    expect(redirect?.form.Twiml).toContain(`>interaction-${nextId}</Conference>`);
    expect(await ctx.app.acd.getCall(nextId)).toMatchObject({
      state: 'queued',
      queueId: billing,
      enqueuedAtMs: queuedAt,
    });
    await until(() => last().wrapUp?.interactionId === id, 'wrap-up');
    expect(interaction(call.callSid)).toMatchObject({ state: 'wrap_up', outcome: 'transferred' });

    // The caller's hang-up belongs to the call's current interaction, not the transferred part.
    expect((await call.hangUp('6')).statusCode).toBe(204);
    expect(interactionRow(ctx.db, nextId)).toMatchObject({
      state: 'completed',
      outcome: 'abandoned',
    });
    expect(interaction(call.callSid)).toMatchObject({ state: 'wrap_up', outcome: 'transferred' });
    expect(await ctx.app.acd.checkInvariants()).toEqual([]);
  });

  it('transfers a connected call to an available agent: it rings them with the screen pop and completes with them', async () => {
    const ben = await benDesk();
    try {
      const { call, id } = await connectedCall();
      const benId = agentIdOf(ctx.db, 'ben');
      expect(
        await command('call:transfer', { interactionId: id, to: { kind: 'agent', agentId: benId } }),
      ).toMatchObject({
        ok: false,
        error: `Agent ${benId} is not available`,
      });
      expect(child(id)).toBeUndefined();
      expect(await ctx.app.acd.getCall(id)).toMatchObject({ state: 'connected' });

      expect((await ben.command('agent:set-status', { status: 'available' })).ok).toBe(true);
      const targets = await ctx.app.inject({
        method: 'GET',
        url: '/api/calls/transfer-targets',
        headers: { cookie: await login(ctx.app, 'ana', 'test-password') },
      });
      expect(targets.statusCode).toBe(200);
      expect(targets.json()).toEqual({
        queues: [
          { id: 1, name: 'Support' },
          { id: billingQueue(), name: 'Billing' },
        ],
        agents: [{ id: benId, displayName: 'Ben Okafor', available: true }],
      });
      expect((await ctx.app.inject({ method: 'GET', url: '/api/calls/transfer-targets' })).statusCode).toBe(
        401,
      );
      expect(
        await command('call:transfer', { interactionId: id, to: { kind: 'agent', agentId: benId } }),
      ).toEqual({
        ok: true,
      });
      await until(() => ben.last().offer !== null, "ben's offer");
      const offer = ben.last().offer!;
      const nextId = child(id)!.id as number;
      expect(offer.interactionId).toBe(nextId);
      expect(offer.pop.customer).toMatchObject({ name: 'Olivia Carter' });
      expect(eventTypes(nextId)).toEqual(['arrived', 'ivr_left', 'queued', 'offered']);

      expect(await ben.command('offer:accept', { reservationId: offer.reservationId })).toEqual({ ok: true });
      const leg = fake.requests.findLast((r) => r.path.includes('/Participants') && r.method === 'POST');
      expect(leg?.path).toContain(`/Conferences/interaction-${nextId}/Participants.json`);
      expect(leg?.form.To).toBe(`sip:ben@cti.local?X-CTI-Interaction=${nextId}`);
      await agentAnswers(nextId);
      await until(() => ben.last().call?.answeredAt != null, 'ben answered');
      expect((await call.hangUp('7')).statusCode).toBe(204);
      await until(() => ben.last().wrapUp?.interactionId === nextId, "ben's wrap-up");
      expect(interactionRow(ctx.db, nextId)).toMatchObject({
        state: 'wrap_up',
        outcome: 'answered',
        agent_id: benId,
      });
      expect(interaction(call.callSid)).toMatchObject({ outcome: 'transferred' });
      expect(await ctx.app.acd.checkInvariants()).toEqual([]);
    } finally {
      ben.socket.disconnect();
    }
  });

  it('transfers warm to an agent: they talk to the agent first, then take the caller with their own interaction', async () => {
    const ben = await benDesk();
    try {
      const { call, id } = await connectedCall();
      const benId = agentIdOf(ctx.db, 'ben');
      const consultBen = () =>
        command('call:consult', { interactionId: id, to: { kind: 'agent', agentId: benId } });
      expect(await consultBen()).toMatchObject({
        ok: false,
        error: `Agent ${benId} is not available`,
        code: 'conflict',
      });
      expect(child(id)).toBeUndefined();

      expect((await ben.command('agent:set-status', { status: 'available' })).ok).toBe(true);
      expect(await consultBen()).toEqual({ ok: true });
      const benLeg = [...fake.calls.values()].find((c) => c.to.startsWith('sip:ben@cti.local'))!;
      const nextId = child(id)!.id as number;
      // Ben joins Ana's conference, and his desk shows the call with the customer's record.
      // His softphone is told his own part of the call, which his desk shows.
      expect(benLeg.to).toBe(`sip:ben@cti.local?X-CTI-Interaction=${nextId}`);
      await until(() => ben.last().call?.interactionId === nextId, "ben's call");
      expect(ben.last().call!.pop.customer).toMatchObject({ name: 'Olivia Carter' });
      await until(() => last().call?.consult?.label === 'Ben Okafor', 'the consultation on her desk');
      await webhook(`/twilio/call-status?interactionId=${id}&leg=transfer`, {
        AccountSid: ACCOUNT_SID,
        CallSid: benLeg.sid,
        CallStatus: 'in-progress',
        SequenceNumber: '1',
      });
      await until(() => ben.last().call?.answeredAt != null, 'ben talking');

      expect(await command('call:consult-complete', { interactionId: id })).toEqual({ ok: true });
      await until(() => last().wrapUp?.interactionId === id, "ana's wrap-up");
      expect(interaction(call.callSid)).toMatchObject({ outcome: 'transferred' });
      expect(await ctx.app.acd.getCall(nextId)).toMatchObject({ state: 'connected', agentId: benId });
      // Ben holds the caller in the same conference.
      expect(await ben.command('call:hold', { interactionId: nextId })).toEqual({ ok: true });
      const conference = [...fake.conferences.values()].find((c) => c.friendlyName === `interaction-${id}`)!;
      expect(conference.participants.get(call.callSid)?.hold).toBe(true);
      expect(await ben.command('call:resume', { interactionId: nextId })).toEqual({ ok: true });

      expect((await call.hangUp('8')).statusCode).toBe(204);
      await until(() => ben.last().wrapUp?.interactionId === nextId, "ben's wrap-up");
      expect(interactionRow(ctx.db, nextId)).toMatchObject({
        state: 'wrap_up',
        outcome: 'answered',
        agent_id: benId,
      });
      expect(await ctx.app.acd.checkInvariants()).toEqual([]);
    } finally {
      ben.socket.disconnect();
    }
  });

  it('cancels a consultation with an agent: their part ends and they are free again', async () => {
    const ben = await benDesk();
    try {
      const { id } = await connectedCall();
      const benId = agentIdOf(ctx.db, 'ben');
      await ben.command('agent:set-status', { status: 'available' });
      expect(
        await command('call:consult', { interactionId: id, to: { kind: 'agent', agentId: benId } }),
      ).toEqual({
        ok: true,
      });
      const nextId = child(id)!.id as number;
      expect(await command('call:consult-cancel', { interactionId: id })).toEqual({ ok: true });
      await until(() => ben.last().status === 'available', 'ben available again');
      expect(interactionRow(ctx.db, nextId)).toMatchObject({
        state: 'completed',
        outcome: 'failed',
      });
      expect(await ctx.app.acd.getCall(id)).toMatchObject({ state: 'connected' });
      await until(
        () => last().call?.consult === null && last().call?.onHold === false,
        'back with the caller',
      );
      expect(await ctx.app.acd.checkInvariants()).toEqual([]);
    } finally {
      ben.socket.disconnect();
    }
  });

  it('links an unknown caller to a customer during the call: the pop, the history and the phones follow', async () => {
    const { call, id } = await acceptedCall('+12125550142');
    await until(() => last().call !== null, 'the call');
    expect(last().call!.pop.customer).toBeNull();
    const cookie = await login(ctx.app, 'ana', 'test-password');
    const link = (customerId: number) =>
      ctx.app.inject({
        method: 'POST',
        url: `/api/interactions/${id}/customer`,
        headers: { cookie, origin: ORIGIN },
        payload: { customerId },
      });
    expect((await link(999)).statusCode).toBe(404);
    const olivia = customerIdOf(ctx.db, OLIVIA);
    expect((await link(olivia)).statusCode).toBe(204);
    await until(() => last().call?.pop.customer?.name === 'Olivia Carter', 'the pop names the customer');
    expect(interaction(call.callSid)).toMatchObject({ customer_id: olivia });
    expect(customerIdOf(ctx.db, '+12125550142')).toBe(olivia);
    expect(eventTypes(id)).toContain('customer_linked');
  });

  /** Olivia waits past the queue's maximum and asks for a callback; her call ends. */
  async function bookedCallback() {
    setEveryQueue(ctx.db, { maxWaitSeconds: 60, maxWaitAction: 'callback' });
    const call = newCall();
    await call.follow((await call.arrive()).body);
    const id = Number(interaction(call.callSid).id);
    const queuedAt = (await ctx.app.acd.getCall(id))!.enqueuedAtMs;
    ctx.clock.advance(61_000);
    await ctx.app.calls.tick();
    expect(await ctx.app.acd.getCall(id)).toMatchObject({ state: 'callback' });
    const redirect = fake.requests.find((r) => r.path.endsWith(`/Calls/${call.callSid}.json`) && r.form.Url);
    const url = String(redirect!.form.Url).replace(PUBLIC, '');
    expect(url).toBe(`/twilio/max-wait?interactionId=${id}&alternative=callback`);
    const base = { AccountSid: ACCOUNT_SID, CallSid: call.callSid, From: OLIVIA, To: OUR_NUMBER };
    const offer = await webhook(url, base);
    expect(offer.body).toContain('To have us call you back at this number, press 1.');
    const action = /<Gather[^>]*action="([^"]+)"/
      .exec(offer.body)![1]!
      .replace(/&amp;/g, '&')
      .replace(PUBLIC, '');
    const booked = await webhook(action, { ...base, Digits: '1' });
    expect(booked.body).toContain('<Hangup/>');
    await call.hangUp('7');
    return { call, id, queuedAt };
  }

  /** The callback the job queued for `parentId`, once it is there. */
  async function queuedCallback(parentId: number) {
    await until(() => child(parentId) !== undefined, 'the callback interaction');
    const callback = child(parentId)!;
    await until(() => interactionRow(ctx.db, Number(callback.id)) !== undefined, 'queued');
    return callback.id as number;
  }

  /** The customer leg of a callback, as Twilio reports it. */
  const customerLeg = (id: number, callSid: string, status: string, sequence: string) =>
    webhook(`/twilio/call-status?interactionId=${id}&leg=caller`, {
      AccountSid: ACCOUNT_SID,
      CallSid: callSid,
      CallStatus: status,
      SequenceNumber: sequence,
    });

  it('calls back a caller who waited past the queue’s maximum: their place kept, the next free agent, the follow-up done', async () => {
    const { call, id, queuedAt } = await bookedCallback();
    expect(interaction(call.callSid)).toMatchObject({ state: 'completed', outcome: 'callback' });
    expect(eventTypes(id)).toEqual(
      expect.arrayContaining(['max_wait_reached', 'callback_requested', 'ended']),
    );
    const followUp = () => followUpRow(ctx.db, { interactionId: id });
    expect(followUp()).toMatchObject({ kind: 'callback', status: 'open' });

    // The job puts the callback in the queue at Olivia's old place; the ACD waits for an agent.
    const callbackId = await queuedCallback(id);
    await until(() => child(id)!.state === 'queued', 'the callback queued');
    expect(child(id)).toMatchObject({ origin: 'callback', direction: 'outbound', caller_number: OLIVIA });
    expect(await ctx.app.acd.getCall(callbackId)).toMatchObject({ state: 'queued', enqueuedAtMs: queuedAt });
    // Nobody waits on the line: the queue's maximum wait does not apply to a callback.
    ctx.clock.advance(120_000);
    await ctx.app.calls.tick();
    expect(await ctx.app.acd.getCall(callbackId)).toMatchObject({ state: 'queued' });

    await command('agent:set-status', { status: 'available' });
    await until(() => last().offer !== null, 'the callback offer');
    expect(last().offer).toMatchObject({ interactionId: callbackId, origin: 'callback' });
    expect(last().offer!.pop.customer).toMatchObject({ name: 'Olivia Carter' });
    await command('offer:accept', { reservationId: last().offer!.reservationId });
    const customerDialled = () =>
      fake.requests.find(
        (r) =>
          r.path.endsWith(`/Conferences/interaction-${callbackId}/Participants.json`) && r.form.To === OLIVIA,
      );
    // The customer is rung only once the agent is on the line.
    expect(customerDialled()).toBeUndefined();
    await agentAnswers(callbackId);
    await until(() => customerDialled() !== undefined, 'the customer dialled');
    expect(customerDialled()!.form.StatusCallback).toContain(`interactionId=${callbackId}&leg=caller`);
    const legSid = String(interactionRow(ctx.db, callbackId)!.provider_call_id);
    expect(legSid).toMatch(/^CA/);
    expect(last().call?.answeredAt).toBeNull();

    expect((await customerLeg(callbackId, legSid, 'in-progress', '2')).statusCode).toBe(204);
    await until(() => last().call?.answeredAt != null, 'the conversation');
    expect(followUp()).toMatchObject({ status: 'done' });
    await customerLeg(callbackId, legSid, 'completed', '3');
    await until(() => last().wrapUp?.interactionId === callbackId, 'wrap-up');
    expect(interactionRow(ctx.db, callbackId)).toMatchObject({
      state: 'wrap_up',
      outcome: 'answered',
    });
    expect(await ctx.app.acd.checkInvariants()).toEqual([]);
  });

  it('tries a callback again later when the customer does not answer, keeping the follow-up open', async () => {
    const { id } = await bookedCallback();
    const callbackId = await queuedCallback(id);
    await until(() => child(id)!.state === 'queued', 'the callback queued');
    await command('agent:set-status', { status: 'available' });
    await until(() => last().offer !== null, 'the callback offer');
    await command('offer:accept', { reservationId: last().offer!.reservationId });
    await agentAnswers(callbackId);
    await until(() => interactionRow(ctx.db, callbackId)!.provider_call_id !== null, 'the customer dialled');
    const legSid = String(interactionRow(ctx.db, callbackId)!.provider_call_id);
    await customerLeg(callbackId, legSid, 'no-answer', '2');

    expect(interactionRow(ctx.db, callbackId)).toMatchObject({
      state: 'completed',
      outcome: 'failed',
    });
    expect(eventTypes(callbackId)).toContain('callback_retry_scheduled');
    expect(followUpRow(ctx.db, { interactionId: id })).toMatchObject({ status: 'open' });
    // The agent did nothing wrong: no wrap-up, free for the next call.
    await until(() => last().status === 'available', 'available again');
    const pending = await ctx.app.jobs.pending();
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({
      name: 'callback.queue',
      data: { parentInteractionId: callbackId, attempt: 2, phoneNumber: OLIVIA },
    });
    expect(pending[0]!.runAtMs - Date.now()).toBeGreaterThan(590_000);
    expect(await ctx.app.acd.checkInvariants()).toEqual([]);
  });

  it('sends a caller of a queue nobody is signed in to straight to its alternative when it refuses to be joined empty', async () => {
    setEveryQueue(ctx.db, { joinEmpty: false, maxWaitAction: 'callback' });
    const call = newCall();
    const parked = await call.follow((await call.arrive()).body);
    const id = Number(interaction(call.callSid).id);
    const redirect = /<Redirect[^>]*>([^<]+)<\/Redirect>/.exec(parked.body)?.[1]?.replace(/&amp;/g, '&');
    expect(redirect).toBe(`${PUBLIC}/twilio/max-wait?interactionId=${id}&alternative=callback`);
    expect(parked.body).not.toContain('<Conference');
    expect(await ctx.app.acd.getCall(id)).toBeNull();
    expect(eventTypes(id)).toContain('queue_empty');

    // With someone signed in (even on a break), callers join and wait.
    await command('agent:set-status', { status: 'break', reason: 'lunch' });
    const next = newCall('+12125550142');
    const waiting = await next.follow((await next.arrive()).body);
    expect(waiting.body).toMatch(/<Conference[^>]*>interaction-\d+<\/Conference>/);
    expect(await ctx.app.acd.getCall(Number(interaction(next.callSid).id))).toMatchObject({
      state: 'queued',
    });
  });

  it('takes waiting callers out of a queue that empties when it has leave-when-empty', async () => {
    setEveryQueue(ctx.db, { leaveWhenEmpty: true, maxWaitAction: 'voicemail' });
    await command('agent:set-status', { status: 'break', reason: 'lunch' });
    const call = newCall();
    await call.follow((await call.arrive()).body);
    const id = Number(interaction(call.callSid).id);
    await ctx.app.calls.tick();
    expect(await ctx.app.acd.getCall(id)).toMatchObject({ state: 'queued' });

    await command('agent:set-status', { status: 'offline' });
    await ctx.app.calls.tick();
    expect(await ctx.app.acd.getCall(id)).toMatchObject({ state: 'voicemail' });
    const redirect = fake.requests.find((r) => r.path.endsWith(`/Calls/${call.callSid}.json`) && r.form.Url);
    expect(String(redirect?.form.Url)).toBe(
      `${PUBLIC}/twilio/max-wait?interactionId=${id}&alternative=voicemail`,
    );
    expect(eventTypes(id)).toContain('queue_empty');
    expect(await ctx.app.acd.checkInvariants()).toEqual([]);
  });

  it('places a call for an agent: their phone first, then the customer, into one outbound interaction', async () => {
    const cookie = await login(ctx.app, 'ana', 'test-password');
    const dial = (body: Record<string, unknown>) =>
      ctx.app.inject({
        method: 'POST',
        url: '/api/calls/outbound',
        headers: { cookie, origin: ORIGIN },
        payload: body,
      });
    const olivia = customerIdOf(ctx.db, OLIVIA);
    expect((await dial({ number: '(212) 555-0142' })).json()).toMatchObject({
      statusCode: 409,
      message: 'You can place a call only when available or on a break',
    });
    await command('agent:set-status', { status: 'break', reason: 'training' });
    expect((await dial({ number: 'call me' })).statusCode).toBe(400);
    setCustomer(ctx.db, olivia, { doNotCall: true });
    expect((await dial({ number: OLIVIA })).json()).toMatchObject({
      statusCode: 409,
      message: 'This customer asked not to be called',
    });
    setCustomer(ctx.db, olivia, { doNotCall: false });
    expect(interactionCount(ctx.db, 'outbound')).toBe(0);

    const placed = await dial({ number: '(415) 555-0123' });
    expect(placed.statusCode, placed.body).toBe(201);
    const { interactionId: id } = placed.json<{ interactionId: number }>();
    expect(interactionRow(ctx.db, id)).toMatchObject({
      direction: 'outbound',
      customer_id: olivia,
      caller_number: OLIVIA,
      agent_id: agentIdOf(ctx.db, 'ana'),
      state: 'offered',
    });
    await until(() => last().call?.interactionId === id, 'the call on the desk');
    expect(last().call!.pop.customer).toMatchObject({ name: 'Olivia Carter' });
    const legTo = (to: string) =>
      fake.requests.find(
        (r) => r.path.endsWith(`/Conferences/interaction-${id}/Participants.json`) && r.form.To === to,
      );
    expect(legTo(`sip:ana@cti.local?X-CTI-Interaction=${id}`)).toBeDefined();
    expect(legTo(OLIVIA)).toBeUndefined();
    await agentAnswers(id);
    await until(() => legTo(OLIVIA) !== undefined, 'the customer dialled');
    const legSid = String(interactionRow(ctx.db, id)!.provider_call_id);
    await customerLeg(id, legSid, 'in-progress', '2');
    await until(() => last().call?.answeredAt != null, 'the conversation');
    await customerLeg(id, legSid, 'completed', '3');
    await until(() => last().wrapUp?.interactionId === id, 'wrap-up');
    expect(interactionRow(ctx.db, id)).toMatchObject({
      state: 'wrap_up',
      outcome: 'answered',
    });
    expect(await ctx.app.acd.checkInvariants()).toEqual([]);
  });

  it('calls a customer back from their open follow-up, which is done once they answer', async () => {
    const cookie = await login(ctx.app, 'ana', 'test-password');
    const olivia = customerIdOf(ctx.db, OLIVIA);
    const followUpId = makeFollowUp(ctx.db, {
      customerId: olivia,
      dueAt: '2026-01-01T00:00:00Z',
      note: 'Call about the invoice',
    });
    const dial = (body: Record<string, unknown>) =>
      ctx.app.inject({
        method: 'POST',
        url: '/api/calls/outbound',
        headers: { cookie, origin: ORIGIN },
        payload: body,
      });
    await command('agent:set-status', { status: 'available' });
    expect((await dial({ number: '+12125550142', followUpId })).statusCode).toBe(404);
    expect(interactionCount(ctx.db, 'outbound')).toBe(0);

    const placed = await dial({ number: OLIVIA, customerId: olivia, followUpId });
    expect(placed.statusCode, placed.body).toBe(201);
    const id = placed.json<{ interactionId: number }>().interactionId;
    await agentAnswers(id);
    await until(() => interactionRow(ctx.db, id)!.provider_call_id !== null, 'the customer dialled');
    const status = () => followUpRow(ctx.db, followUpId)?.status;
    expect(status()).toBe('open');
    const legSid = String(interactionRow(ctx.db, id)!.provider_call_id);
    await customerLeg(id, legSid, 'in-progress', '2');
    await until(() => status() === 'done', 'the follow-up done');
  });

  it('keeps a fresh database under the same REDIS_PREFIX apart from the old one’s call state', async () => {
    const first = newCall('+12125550199');
    await first.follow((await first.arrive()).body);
    await first.hangUp('2');
    expect(await ctx.app.acd.getCall(1)).toMatchObject({ state: 'abandoned' });

    // A new database (reset, restored, another installation) numbers its interactions from 1 again.
    const fresh = await startTwilioApp({
      flows: { test: FLOW },
      env: { REDIS_PREFIX: ctx.config.redisPrefix },
      desk: false,
      arrange: (db) => void makeQueue(db, 'Support'),
    });
    try {
      const callSid = fresh.fake.arrive({ from: OLIVIA, to: OUR_NUMBER }).sid;
      const post = fresh.webhook;
      const base = { AccountSid: ACCOUNT_SID, CallSid: callSid, From: OLIVIA, To: OUR_NUMBER };
      const ivr = await post('/twilio/voice', base);
      const redirect = /<Redirect[^>]*>([^<]+)<\/Redirect>/.exec(ivr.body)![1]!.replace(/&amp;/g, '&');
      expect((await post(redirect.replace(PUBLIC, ''), base)).statusCode).toBe(200);
      expect(await fresh.app.acd.getCall(1)).toMatchObject({ state: 'queued' });
      expect(await ctx.app.acd.getCall(1)).toMatchObject({ state: 'abandoned' });
    } finally {
      await fresh.close();
    }
  });

  it('refuses unsigned or wrongly signed webhooks and changes nothing', async () => {
    const unsigned = await webhook(
      '/twilio/voice',
      { CallSid: `CA${'9'.repeat(32)}`, From: OLIVIA, To: OUR_NUMBER },
      false,
    );
    expect(unsigned.statusCode).toBe(403);
    const forged = await ctx.app.inject({
      method: 'POST',
      url: '/twilio/voice',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'AAAA' },
      payload: `CallSid=CA${'9'.repeat(32)}&From=%2B14155550123&To=%2B14155550100`,
    });
    expect(forged.statusCode).toBe(403);
    expect(interactionCount(ctx.db)).toBe(0);
  });

  it('answers a status callback for an unknown call with 204 and changes nothing', async () => {
    const response = await newCall().hangUp('1');
    expect(response.statusCode).toBe(204);
    expect(interactionCount(ctx.db)).toBe(0);
  });

  it('lets admins, and only admins, check the ACD invariants', async () => {
    const agentCall = await ctx.app.inject({
      method: 'GET',
      url: '/api/acd/invariants',
      headers: { cookie: await login(ctx.app, 'ana', 'test-password') },
    });
    expect(agentCall.statusCode).toBe(403);
    await makeAgent(ctx.db, { username: 'root', role: 'admin' });
    const adminCall = await ctx.app.inject({
      method: 'GET',
      url: '/api/acd/invariants',
      headers: { cookie: await login(ctx.app, 'root', 'test-password') },
    });
    expect(adminCall.json()).toEqual({ ok: true, violations: [] });
  });

  it('rejects desk commands for calls that are not the agent’s, and bad payloads', async () => {
    expect(await command('call:hold', { interactionId: 999 })).toMatchObject({
      ok: false,
      error: 'Interaction 999 is not your current call',
    });
    expect(await command('offer:accept', { reservationId: 12345 })).toMatchObject({ ok: false });
    const bad = await command('agent:set-status', { status: 'asleep' } as never);
    expect(bad.ok).toBe(false);
    expect(bad.error).toMatch(/^Invalid request/);
  });
});
