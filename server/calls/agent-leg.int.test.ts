import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeAgent, makeQueue } from '../testing/factories.js';
import { interactionEventTypes, interactionRow } from '../testing/rows.js';
import { until, type TestContext } from '../testing/harness.js';
import {
  ACCOUNT_SID,
  PUBLIC,
  inboundCall,
  startTwilioApp,
  SUPPORT_FLOW,
  type TwilioApp,
} from '../testing/twilio-app.js';
import { twilioContractViolations } from '../testing/twilio-contract.js';
import type { TwilioFake } from '../../simulator/twilio-fake/index.js';

/** The Agent's phone after they accepted, on Twilio: who is to blame, and where caller and Agent go next. */
describe("the agent's phone after the desk accepted (Twilio)", () => {
  let twilioApp: TwilioApp;
  let ctx: TestContext;
  let fake: TwilioFake;
  let sequence: number;

  beforeEach(async () => {
    sequence = 0;
    twilioApp = await startTwilioApp({
      flows: { test: SUPPORT_FLOW },
      arrange: async (db) => {
        await makeAgent(db, { username: 'ana', displayName: 'Ana Silva', sipAddress: 'sip:ana@cti.local' });
        makeQueue(db, 'Support', { acwPolicy: 'mandatory' });
      },
    });
    ({ ctx, fake } = twilioApp);
  });

  afterEach(async () => {
    await twilioApp.close();
    expect(fake.requests.flatMap(twilioContractViolations)).toEqual([]);
  });

  const last = () => twilioApp.desk.last();
  const command: TwilioApp['desk']['command'] = (event, payload) => twilioApp.desk.command(event, payload);
  const webhook = (pathAndQuery: string, params: Record<string, string>) =>
    twilioApp.webhook(pathAndQuery, params);

  /** A caller dials in, hears the prompt and is parked in their conference. */
  async function parkedCaller(from: string) {
    const { callSid, form: base } = inboundCall(fake, from);
    const first = await webhook('/twilio/voice', { ...base, CallStatus: 'ringing' });
    const redirect = /<Redirect[^>]*>([^<]+)<\/Redirect>/.exec(first.body)![1]!.replace(/&amp;/g, '&');
    const parked = await webhook(redirect.replace(PUBLIC, ''), { ...base, CallStatus: 'in-progress' });
    fake.joinConference(callSid, /<Conference[^>]*>([^<]+)<\/Conference>/.exec(parked.body)![1]!);
    const id = Number(interactionRow(ctx.db, { callSid })!.id);
    return {
      callSid,
      id,
      hangUp: () =>
        webhook('/twilio/call-status', {
          ...base,
          CallStatus: 'completed',
          SequenceNumber: String(++sequence),
        }),
    };
  }

  /** Ana goes available and accepts the first caller, whose call is placed to her phone. */
  async function acceptedCall() {
    await command('agent:set-status', { status: 'available' });
    const call = await parkedCaller('+14155550123');
    await until(() => last().offer !== null, 'the offer');
    expect(await command('offer:accept', { reservationId: last().offer!.reservationId })).toEqual({
      ok: true,
    });
    const agentLeg = [...fake.calls.values()].find((c) => c.to.startsWith('sip:ana@'))!;
    return { ...call, agentLeg: agentLeg.sid };
  }

  const agentLegStatus = (id: number, callSid: string, status: string) =>
    webhook(`/twilio/call-status?interactionId=${id}&leg=agent`, {
      AccountSid: ACCOUNT_SID,
      CallSid: callSid,
      CallStatus: status,
      SequenceNumber: String(++sequence),
    });

  const row = (id: number) => interactionRow(ctx.db, id);
  const eventTypes = (id: number) => interactionEventTypes(ctx.db, id);
  /** REST requests that ended `callSid` (`POST Calls/{sid}` with a Status). */
  const endRequests = (callSid: string) =>
    fake.requests.filter(
      (r) => r.method === 'POST' && r.path.endsWith(`/Calls/${callSid}.json`) && r.form.Status,
    );

  it.each(['busy', 'no-answer', 'failed'])(
    'a phone that is %s after accepting sends the caller back to their place and the agent to a missed-call break',
    async (status) => {
      const first = await acceptedCall();
      const enqueuedAtMs = (await ctx.app.acd.getCall(first.id))!.enqueuedAtMs;
      ctx.clock.advance(5_000);
      const second = await parkedCaller('+14155550124');

      expect((await agentLegStatus(first.id, first.agentLeg, status)).statusCode).toBe(204);

      await until(() => last().status === 'break', 'the missed-call break');
      expect(last().reason).toBe('rona');
      expect(await ctx.app.acd.getCall(first.id)).toMatchObject({
        state: 'queued',
        enqueuedAtMs,
        agentId: null,
      });
      expect((await ctx.app.acd.snapshot()).waiting.map((c) => c.interactionId)).toEqual([
        first.id,
        second.id,
      ]);
      expect(row(first.id)).toMatchObject({ state: 'queued', outcome: null, agent_id: null, ended_at: null });
      expect(eventTypes(first.id).slice(-2)).toEqual(['agent_leg_failed', 'offer_declined']);
      // The caller is not hung up: they keep hearing the wait music of their conference.
      expect(endRequests(first.callSid)).toEqual([]);
      // Nothing is offered to the dead phone again.
      await ctx.app.calls.dispatch();
      expect(last().offer).toBeNull();
      expect(await ctx.app.acd.checkInvariants()).toEqual([]);

      // A retried callback changes nothing more.
      await agentLegStatus(first.id, first.agentLeg, status);
      expect(eventTypes(first.id).filter((type) => type === 'offer_declined')).toHaveLength(1);
    },
  );

  it("cancels the agent's ringing leg when the caller hangs up first: a customer abandon", async () => {
    const call = await acceptedCall();
    expect(endRequests(call.agentLeg)).toEqual([]);

    await call.hangUp();

    expect(endRequests(call.agentLeg)).toHaveLength(1);
    expect(['canceled', 'completed']).toContain(fake.calls.get(call.agentLeg)!.status);
    expect(row(call.id)).toMatchObject({ state: 'completed', outcome: 'abandoned' });
    await until(() => last().status === 'available', 'available again');
    expect(await ctx.app.acd.checkInvariants()).toEqual([]);
  });

  it('an agent who hangs up from the desk while their phone rings gives the call back, without dropping the caller', async () => {
    const call = await acceptedCall();
    await until(() => last().call?.answeredAt === null, 'Connecting…');

    expect(await command('call:hangup', { interactionId: call.id })).toEqual({ ok: true });

    expect(endRequests(call.callSid)).toEqual([]);
    expect(endRequests(call.agentLeg)).toHaveLength(1);
    await until(() => last().status === 'break', 'the missed-call break');
    expect(last().reason).toBe('rona');
    expect(row(call.id)).toMatchObject({ state: 'queued', outcome: null, ended_at: null });
    expect(await ctx.app.acd.getCall(call.id)).toMatchObject({ state: 'queued' });
    // Twilio then reports the cancelled leg: it is not a second failure.
    await agentLegStatus(call.id, call.agentLeg, 'canceled');
    expect(eventTypes(call.id).filter((type) => type === 'agent_leg_failed')).toHaveLength(1);

    // The caller is still there for the next agent, and their hang-up now is theirs.
    await call.hangUp();
    expect(row(call.id)).toMatchObject({ state: 'completed', outcome: 'abandoned' });
    expect(await ctx.app.acd.checkInvariants()).toEqual([]);
  });

  it('hangs up a leg the desk gave up that answers anyway, instead of bridging an agent on a break', async () => {
    const call = await acceptedCall();
    await until(() => last().call?.answeredAt === null, 'Connecting…');
    expect(await command('call:hangup', { interactionId: call.id })).toEqual({ ok: true });
    await until(() => last().status === 'break', 'the missed-call break');
    const ended = endRequests(call.agentLeg).length;

    await agentLegStatus(call.id, call.agentLeg, 'in-progress');

    expect(endRequests(call.agentLeg)).toHaveLength(ended + 1);
    expect(row(call.id)).toMatchObject({ state: 'queued', outcome: null });
    expect(eventTypes(call.id)).not.toContain('answered');
    expect(last()).toMatchObject({ status: 'break', call: null });
    expect(await ctx.app.acd.checkInvariants()).toEqual([]);
  });

  it("puts a callback whose agent's phone does not answer back in its queue, without spending one of the customer's tries", async () => {
    const parent = await parkedCaller('+14155550125');
    await parent.hangUp();
    await ctx.app.calls.queueCallback({
      parentInteractionId: parent.id,
      phoneNumber: '+14155550125',
      customerId: null,
      queueId: 1,
      followUpId: null,
      attempt: 1,
      enqueuedAtMs: null,
    });
    const callbackId = Number(interactionRow(ctx.db, { parentId: parent.id })!.id);
    await command('agent:set-status', { status: 'available' });
    await until(() => last().offer?.interactionId === callbackId, 'the callback offer');
    expect(await command('offer:accept', { reservationId: last().offer!.reservationId })).toEqual({
      ok: true,
    });
    const agentLeg = [...fake.calls.values()].find((c) => c.to.startsWith('sip:ana@'))!;

    await agentLegStatus(callbackId, agentLeg.sid, 'no-answer');

    await until(() => last().status === 'break', 'the missed-call break');
    expect(last().reason).toBe('rona');
    expect(row(callbackId)).toMatchObject({ state: 'queued', outcome: null, agent_id: null });
    expect(await ctx.app.acd.getCall(callbackId)).toMatchObject({ state: 'queued' });
    expect(eventTypes(callbackId)).not.toContain('callback_retry_scheduled');
    expect(await ctx.app.jobs.pending()).toEqual([]);
    expect(await ctx.app.acd.checkInvariants()).toEqual([]);
  });
});
