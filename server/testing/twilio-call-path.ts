import type { FastifyInstance } from 'fastify';
import { makeAgent, makeCustomer, makeQueue, makeWrapUpCodes } from './factories.js';
import { until } from './harness.js';
import { ACCOUNT_SID, OUR_NUMBER, PUBLIC, startTwilioApp, SUPPORT_FLOW } from './twilio-app.js';
import type { FakeCall } from '../../simulator/twilio-fake/index.js';

export const OLIVIA = '+14155550123';

/** The number whose callers hear a menu first: they stay in the IVR until they choose. */
const MENU_NUMBER = '+14155550111';
const MENU_FLOW = `
id: menu
version: 1
language: en-US
start: choose
nodes:
  choose:
    type: menu
    prompt:
      en-US: For support, press 1.
    options:
      - digit: 1
        value: support
        next: support
    noInput: support
    noMatch: support
  support:
    type: route_to_queue
    queue: Support
`;

/** Twilio writes its callback timestamps in RFC 2822, to the second. */
const rfc2822 = (date: Date) => date.toUTCString().replace('GMT', '+0000');

/**
 * The Twilio call path as the provider drives it, for tests of lost and reordered callbacks: the
 * real app (real SQLite, Redis, IVR, ACD), agent `ana` (id 1) at her desk over socket.io, an
 * `admin`, and the
 * stateful fake of Twilio's REST API. The fake keeps the truth of each call (`answer`, `endCall`)
 * and posts nothing; the test delivers the callbacks itself, signed with the real helper, in any
 * order, or not at all. The clock is the system's, as Twilio's times are.
 */
export async function startTwilioCallPath(options: { recordEveryCall?: boolean } = {}) {
  const twilioApp = await startTwilioApp({
    flows: { test: SUPPORT_FLOW, menu: MENU_FLOW },
    numbers: `default: test\nnumbers:\n  '${MENU_NUMBER}': menu\n`,
    clock: 'system',
    arrange: async (db) => {
      await makeAgent(db, { username: 'ana', displayName: 'Ana Silva', sipAddress: 'sip:ana@cti.local' });
      makeQueue(db, 'Support', {
        wrapUpCodeSetId: makeWrapUpCodes(db, 'Support codes', [{ code: 'RESOLVED', label: 'Resolved' }]),
        acwPolicy: 'mandatory',
        recordingPolicy: options.recordEveryCall ? 'all' : 'none',
      });
      makeCustomer(db, { name: 'Olivia Carter', tier: 'gold', phones: [OLIVIA] });
      await makeAgent(db, { username: 'admin', role: 'admin' });
    },
  });
  const { ctx, fake, webhook } = twilioApp;
  let sequence = 10;

  const callOf = (sid: string): FakeCall => fake.calls.get(sid)!;
  const next = () => String(sequence++);

  return {
    fake,
    get app(): FastifyInstance {
      return twilioApp.app;
    },
    get desk() {
      return twilioApp.desk;
    },
    db: ctx.db,

    /** ana goes available (unless she is), Olivia calls and waits, ana accepts: Twilio is ringing ana's leg. */
    async acceptedCall() {
      if (twilioApp.desk.last().status !== 'available')
        await twilioApp.desk.command('agent:set-status', { status: 'available' });
      const caller = fake.arrive({ from: OLIVIA, to: OUR_NUMBER });
      const base = { AccountSid: ACCOUNT_SID, CallSid: caller.sid, From: OLIVIA, To: OUR_NUMBER };
      const first = await webhook('/twilio/voice', { ...base, CallStatus: 'ringing' });
      const redirect = /<Redirect[^>]*>([^<]+)<\/Redirect>/.exec(first.body)![1]!.replace(/&amp;/g, '&');
      const parked = await webhook(redirect.replace(PUBLIC, ''), { ...base, CallStatus: 'in-progress' });
      const conference = /<Conference[^>]*>([^<]+)<\/Conference>/.exec(parked.body)![1]!;
      fake.joinConference(caller.sid, conference, {
        startConferenceOnEnter: false,
        endConferenceOnExit: true,
      });
      await until(() => twilioApp.desk.last().offer !== null, 'the offer');
      const { interactionId: id, reservationId } = twilioApp.desk.last().offer!;
      await twilioApp.desk.command('offer:accept', { reservationId });
      const agentLeg = [...fake.calls.values()].findLast((call) => call.to.startsWith('sip:ana@'))!;
      return { id, callerSid: caller.sid, agentLegSid: agentLeg.sid, conferenceSid: agentLeg.conferenceSid! };
    },

    /** ana's desk shows the call's wrap-up and she submits it as RESOLVED: the server's answer, and that code's id. */
    async resolveWrapUp(id: number, notes: string) {
      const desk = twilioApp.desk;
      await until(() => desk.last().wrapUp?.interactionId === id, 'the wrap-up on the desk');
      const codeId = desk.last().wrapUp!.codes.find((code) => code.code === 'RESOLVED')!.id;
      return {
        answer: await desk.command('wrapup:submit', { interactionId: id, wrapUpCodeId: codeId, notes }),
        codeId,
      };
    },

    /** Olivia calls the menu line and hears the menu: her call is in the IVR. */
    async callInIvr() {
      const caller = fake.arrive({ from: OLIVIA, to: MENU_NUMBER });
      await webhook('/twilio/voice', {
        AccountSid: ACCOUNT_SID,
        CallSid: caller.sid,
        From: OLIVIA,
        To: MENU_NUMBER,
        CallStatus: 'ringing',
      });
      return { callerSid: caller.sid };
    },

    /** The callbacks of a call, built from the fake's truth (its times), delivered when the test says. */
    callbacks(call: { id: number; callerSid: string; agentLegSid: string; conferenceSid: string }) {
      return {
        /** The agent leg's `in-progress` status callback. */
        agentAnswered: () =>
          webhook(`/twilio/call-status?interactionId=${call.id}&leg=agent`, {
            AccountSid: ACCOUNT_SID,
            CallSid: call.agentLegSid,
            CallStatus: 'in-progress',
            SequenceNumber: next(),
            Timestamp: rfc2822(callOf(call.agentLegSid).answeredAt!),
          }),
        /** The conference's `participant-join` of the agent leg. */
        agentJoined: () =>
          webhook(`/twilio/conference-status?interactionId=${call.id}`, {
            AccountSid: ACCOUNT_SID,
            ConferenceSid: call.conferenceSid,
            FriendlyName: `interaction-${call.id}`,
            StatusCallbackEvent: 'participant-join',
            CallSid: call.agentLegSid,
            SequenceNumber: next(),
            Timestamp: rfc2822(callOf(call.agentLegSid).answeredAt!),
          }),
        /** The caller leg's final status callback. */
        callerEnded: () =>
          webhook('/twilio/call-status', {
            AccountSid: ACCOUNT_SID,
            CallSid: call.callerSid,
            From: OLIVIA,
            To: OUR_NUMBER,
            CallStatus: callOf(call.callerSid).status,
            SequenceNumber: next(),
            Timestamp: rfc2822(callOf(call.callerSid).endedAt!),
          }),
        /** The agent leg's final status callback. */
        agentLegEnded: () =>
          webhook(`/twilio/call-status?interactionId=${call.id}&leg=agent`, {
            AccountSid: ACCOUNT_SID,
            CallSid: call.agentLegSid,
            CallStatus: callOf(call.agentLegSid).status,
            SequenceNumber: next(),
            Timestamp: rfc2822(callOf(call.agentLegSid).endedAt!),
          }),
      };
    },

    interaction: (id: number) =>
      ctx.db.prepare('SELECT * FROM interactions WHERE id = ?').get(id) as Record<string, unknown>,

    restart: twilioApp.restart,
    close: twilioApp.close,
  };
}

export type TwilioCallPath = Awaited<ReturnType<typeof startTwilioCallPath>>;
