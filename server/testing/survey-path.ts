import { connectDesk } from './desk-socket.js';
import { makeAgent, makeQueue, makeWrapUpCodes } from './factories.js';
import { as, login, until } from './harness.js';
import { ACCOUNT_SID, OUR_NUMBER, PUBLIC, startTwilioApp, type TwilioForm } from './twilio-app.js';

export const CALLER = '+14155550123';

/** Language first (1 English, 2 Mandarin), then Support; the survey is asked in the caller's language. */
export const SURVEY_FLOW = `
id: test
version: 1
language: en-US
start: choose
survey:
  score:
    prompt:
      en-US: Rate this call from 1 to 5.
      zh-CN: 请为本次通话打分，1到5。
  resolved:
    prompt:
      en-US: Was your problem solved? 1 yes, 2 no.
      zh-CN: 问题解决了吗？1是，2否。
    speech:
      '1': { en-US: ['yes'], zh-CN: ['解决了'] }
      '2': { en-US: ['no'], zh-CN: ['没有解决'] }
  retryPrompt:
    en-US: Sorry, I did not get that.
    zh-CN: 抱歉，没有听清。
  thanks:
    en-US: Thank you. Goodbye.
    zh-CN: 谢谢，再见。
nodes:
  choose:
    type: menu
    prompt:
      en-US: For English, press 1. 中文请按2。
    options:
      - digit: 1
        value: en-US
        next: english
      - digit: 2
        value: zh-CN
        next: mandarin
    noInput: english
    noMatch: english
  english:
    type: set_language
    language: en-US
    next: support
  mandarin:
    type: set_language
    language: zh-CN
    next: support
  support:
    type: route_to_queue
    queue: Support
`;

const attribute = (twiml: string, element: string, name: string) =>
  new RegExp(`<${element}\\b[^>]*\\b${name}="([^"]*)"`).exec(twiml)?.[1]?.replace(/&amp;/g, '&');

/** The path and query of one of our public URLs, as the webhook helper signs it. */
export const pathOf = (url: string) => url.replace(PUBLIC, '');

export interface SurveyPathOptions {
  /** Support's survey. */
  surveyEnabled: boolean;
  /**
   * Also a Billing queue (id 2) with its own survey setting, for transfers: only agent `ben` (id 2,
   * `sip:ben@cti.local`) has its skill. Supervisor `sue` reads the reports.
   */
  billing?: { surveyEnabled: boolean };
}

/**
 * A Twilio caller through the IVR to agent `ana` (id 1), with Support's survey on or off, driven by
 * signed webhooks against the stateful fake; then the Agent hangs up and the test answers the survey.
 */
export async function startSurveyPath({ surveyEnabled, billing }: SurveyPathOptions) {
  const twilioApp = await startTwilioApp({
    flows: { test: SURVEY_FLOW },
    clock: 'system',
    arrange: async (db) => {
      await makeAgent(db, { username: 'ana', displayName: 'Ana Silva', sipAddress: 'sip:ana@cti.local' });
      makeQueue(db, 'Support', {
        wrapUpCodeSetId: makeWrapUpCodes(db, 'Support codes', [{ code: 'RESOLVED', label: 'Resolved' }]),
        surveyEnabled,
      });
      if (!billing) return;
      await makeAgent(db, {
        username: 'ben',
        displayName: 'Ben Okafor',
        sipAddress: 'sip:ben@cti.local',
        skills: { billing: 1 },
      });
      await makeAgent(db, { username: 'sue', role: 'supervisor' });
      makeQueue(db, 'Billing', { skills: { billing: 1 }, surveyEnabled: billing.surveyEnabled });
    },
  });
  const { fake, webhook, ctx } = twilioApp;
  let sequence = 10;

  return {
    ...twilioApp,
    db: ctx.db,

    /** The caller picks `language` in the IVR, waits, and ana accepts and answers. */
    async connectedCall(language: 'en-US' | 'zh-CN') {
      await twilioApp.desk.command('agent:set-status', { status: 'available' });
      const caller = fake.arrive({ from: CALLER, to: OUR_NUMBER });
      const base = { AccountSid: ACCOUNT_SID, CallSid: caller.sid, From: CALLER, To: OUR_NUMBER };
      const menu = (await webhook('/twilio/voice', { ...base, CallStatus: 'ringing' })).body;
      let parked = (
        await webhook(pathOf(attribute(menu, 'Gather', 'action')!), {
          ...base,
          CallStatus: 'in-progress',
          Digits: language === 'en-US' ? '1' : '2',
        })
      ).body;
      // The flow may speak before it queues: Twilio follows the <Redirect>.
      for (let hops = 0; !parked.includes('<Conference') && hops < 5; hops++) {
        const next = /<Redirect[^>]*>([^<]+)<\/Redirect>/.exec(parked)![1]!.replace(/&amp;/g, '&');
        parked = (await webhook(pathOf(next), { ...base, CallStatus: 'in-progress' })).body;
      }
      const conference = /<Conference[^>]*>([^<]+)<\/Conference>/.exec(parked)![1]!;
      const dialAction = attribute(parked, 'Dial', 'action');
      fake.joinConference(caller.sid, conference, {
        startConferenceOnEnter: false,
        endConferenceOnExit: true,
        ...(dialAction !== undefined && { dialAction }),
      });
      await until(() => twilioApp.desk.last().offer !== null, 'the offer');
      const { interactionId: id, reservationId } = twilioApp.desk.last().offer!;
      await twilioApp.desk.command('offer:accept', { reservationId });
      const agentLeg = [...fake.calls.values()].find((call) => call.to.startsWith('sip:ana@'))!;
      fake.answer(agentLeg.sid);
      await webhook(`/twilio/call-status?interactionId=${id}&leg=agent`, {
        AccountSid: ACCOUNT_SID,
        CallSid: agentLeg.sid,
        CallStatus: 'in-progress',
        SequenceNumber: String(sequence++),
      });
      await until(() => twilioApp.desk.last().call?.answeredAt != null, 'the conversation');
      return { id, callerSid: caller.sid, agentLegSid: agentLeg.sid, parked, base };
    },

    /** A leg's final status callback, as the fake ended it. */
    ended: (callSid: string, query = '') =>
      webhook(`/twilio/call-status${query}`, {
        AccountSid: ACCOUNT_SID,
        CallSid: callSid,
        CallStatus: fake.calls.get(callSid)!.status,
        SequenceNumber: String(sequence++),
      }),

    /** The desk of another Agent of the path (`ben`). */
    deskOf: async (username: string) =>
      connectDesk(twilioApp.origin, await login(twilioApp.app, username, 'test-password'), PUBLIC),

    /** The leg placed to `username`'s softphone (the latest, for a call that rang them twice). */
    legTo: (username: string) =>
      [...fake.calls.values()].filter((call) => call.to.startsWith(`sip:${username}@`)).at(-1)!,

    /** A placed leg's status callback (`leg`: agent or transfer), under the Interaction it was placed for. */
    legStatus: (interactionId: number, leg: 'agent' | 'transfer', callSid: string, CallStatus?: string) =>
      webhook(`/twilio/call-status?interactionId=${interactionId}&leg=${leg}`, {
        AccountSid: ACCOUNT_SID,
        CallSid: callSid,
        CallStatus: CallStatus ?? fake.calls.get(callSid)!.status,
        SequenceNumber: String(sequence++),
      }),

    /** Twilio fetching the URL the server redirected the call to (a REST update with `Url`). */
    redirected: (callSid: string) =>
      webhook(pathOf(fake.calls.get(callSid)!.url!), {
        AccountSid: ACCOUNT_SID,
        CallSid: callSid,
        CallStatus: 'in-progress',
      }),

    /** GET /api/reports/satisfaction for today, as supervisor `sue`. */
    satisfaction: async (by: 'queue' | 'agent') => {
      const supervisor = as(twilioApp.app, await login(twilioApp.app, 'sue', 'test-password'));
      const day = new Date().toISOString().slice(0, 10);
      const to = new Date(Date.parse(day) + 2 * 86_400_000).toISOString();
      const response = await supervisor(
        'GET',
        `/api/reports/satisfaction?from=${day}T00:00:00Z&to=${to}&by=${by}`,
      );
      return response.json<{
        groups: { key: string; name: string; offered: number; averageScore: number }[];
      }>();
    },

    /** Twilio asking the caller's `<Dial>` action what comes next. */
    dialAction: (callSid: string, callStatus = 'in-progress') =>
      webhook(pathOf(fake.calls.get(callSid)!.pendingDialAction!), {
        AccountSid: ACCOUNT_SID,
        CallSid: callSid,
        CallStatus: callStatus,
        DialCallStatus: 'completed',
      }),

    /** The caller's answer to the `<Gather>` of `twiml`: keys, speech, or silence (the `<Redirect>`). */
    answer: (twiml: string, callSid: string, input: TwilioForm) => {
      const url = input.Digits || input.SpeechResult ? attribute(twiml, 'Gather', 'action') : undefined;
      const target = url ?? /<Redirect[^>]*>([^<]+)<\/Redirect>/.exec(twiml)![1]!.replace(/&amp;/g, '&');
      return webhook(pathOf(target), { AccountSid: ACCOUNT_SID, CallSid: callSid, ...input });
    },

    survey: (id: number) =>
      ctx.db.prepare('SELECT * FROM interaction_surveys WHERE interaction_id = ?').get(id) as
        Record<string, unknown> | undefined,
    events: (id: number) =>
      (
        ctx.db
          .prepare(
            "SELECT type, data FROM interaction_events WHERE interaction_id = ? AND type LIKE 'survey%' ORDER BY id",
          )
          .all(id) as { type: string; data: string }[]
      ).map((row) => ({ type: row.type, data: JSON.parse(row.data) as Record<string, unknown> })),
    interaction: (id: number) =>
      ctx.db.prepare('SELECT * FROM interactions WHERE id = ?').get(id) as Record<string, unknown>,
  };
}
