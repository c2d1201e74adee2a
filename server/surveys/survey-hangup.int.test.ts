import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../testing/harness.js';
import { startSurveyPath } from '../testing/survey-path.js';
import { ACCOUNT_SID, PUBLIC } from '../testing/twilio-app.js';
import type { CompletedSurvey } from './surveys.service.js';

type Path = Awaited<ReturnType<typeof startSurveyPath>>;

/**
 * The post-call survey when the conversation ends another way than the Agent's phone hanging up:
 * the desk's Hang up button, the Agent's phone after a consultation; and the survey whose last
 * callback never came. Signed webhooks against the stateful Twilio fake, real SQLite and Redis.
 */
describe('the post-call survey after a server-side hang-up', () => {
  let path: Path;
  afterEach(() => path?.close());

  /** What Twilio did to the caller's call at the server's request (REST updates of it). */
  const updatesOf = (callSid: string) =>
    path.fake.requests
      .filter((r) => r.method === 'POST' && r.path.endsWith(`/Calls/${callSid}.json`))
      .map((r) => r.form);

  it("the desk's Hang up ends only the Agent's side: the caller hears the survey in English", async () => {
    path = await startSurveyPath({ surveyEnabled: true });
    const completed: CompletedSurvey[] = [];
    path.app.surveys.onCompleted((survey) => completed.push(survey));
    const call = await path.connectedCall('en-US');

    expect(await path.desk.command('call:hangup', { interactionId: call.id })).toEqual({ ok: true });
    // The caller is redirected to the survey, not hung up; leaving the bridge ended ana's leg.
    expect(updatesOf(call.callerSid)).toEqual([
      { Url: `${PUBLIC}/twilio/survey-start?interactionId=${call.id}`, Method: 'POST' },
    ]);
    expect(path.fake.calls.get(call.callerSid)!.status).toBe('in-progress');
    expect(path.fake.calls.get(call.agentLegSid)!.status).toBe('completed');
    // Her after-call work starts now, not when the survey ends.
    await until(() => path.desk.last().wrapUp?.interactionId === call.id, "ana's wrap-up");
    expect(path.interaction(call.id)).toMatchObject({ state: 'wrap_up', outcome: 'answered' });
    await path.ended(call.agentLegSid, `?interactionId=${call.id}&leg=agent`);

    const first = await path.redirected(call.callerSid);
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('language="en-US"');
    expect(first.body).toContain('>Rate this call from 1 to 5.</Say></Gather>');
    // Twilio also asks the action of the <Dial> the redirect took the caller out of: the same step.
    const action = await path.webhook(`/twilio/survey-start?interactionId=${call.id}`, {
      AccountSid: ACCOUNT_SID,
      CallSid: call.callerSid,
      CallStatus: 'in-progress',
      DialCallStatus: 'completed',
    });
    expect(action.body).toBe(first.body);
    const second = await path.answer(first.body, call.callerSid, { Digits: '5' });
    expect(second.body).toContain('>Was your problem solved? 1 yes, 2 no.</Say>');
    const last = await path.answer(second.body, call.callerSid, { Digits: '1' });
    expect(last.body).toContain('>Thank you. Goodbye.</Say><Hangup/>');
    path.fake.endCall(call.callerSid);
    await path.ended(call.callerSid);

    expect(path.survey(call.id)).toMatchObject({
      status: 'completed',
      score: 5,
      resolved: 1,
      language: 'en-US',
      queue_id: 1,
      agent_id: 1,
    });
    expect(path.events(call.id).map((e) => e.type)).toEqual([
      'survey_offered',
      'survey_answered',
      'survey_answered',
      'survey_ended',
    ]);
    expect(completed).toHaveLength(1);
  });

  it("the desk's Hang up keeps a Mandarin caller for the survey in Mandarin", async () => {
    path = await startSurveyPath({ surveyEnabled: true });
    const call = await path.connectedCall('zh-CN');
    expect(await path.desk.command('call:hangup', { interactionId: call.id })).toEqual({ ok: true });
    const first = await path.redirected(call.callerSid);
    expect(first.body).toContain('<Say language="cmn-CN" voice="Polly.Zhiyu">请为本次通话打分，1到5。</Say>');
    const second = await path.answer(first.body, call.callerSid, { SpeechResult: '三' });
    expect(second.body).toContain('问题解决了吗？1是，2否。');
    const last = await path.answer(second.body, call.callerSid, { SpeechResult: '解决了' });
    expect(last.body).toContain('>谢谢，再见。</Say><Hangup/>');
    expect(path.survey(call.id)).toMatchObject({
      status: 'completed',
      score: 3,
      resolved: 1,
      language: 'zh-CN',
    });
  });

  it("with the survey off the desk's Hang up still ends the whole call", async () => {
    path = await startSurveyPath({ surveyEnabled: false });
    const call = await path.connectedCall('en-US');
    // Twilio times a call's end to the second: a conversation shorter than that ends "before" it
    // was answered, which the call path takes for an abandon.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await path.desk.command('call:hangup', { interactionId: call.id })).toEqual({ ok: true });
    expect(updatesOf(call.callerSid)).toEqual([{ Status: 'completed' }]);
    expect(path.fake.calls.get(call.callerSid)!.status).toBe('completed');
    await path.ended(call.agentLegSid, `?interactionId=${call.id}&leg=agent`);
    await path.ended(call.callerSid);
    await until(() => path.interaction(call.id).state === 'wrap_up', 'the wrap-up');
    expect(path.survey(call.id)).toBeUndefined();
  });

  it('after a cancelled consultation the Agent hanging up their phone leaves the caller the survey, which the caller ends', async () => {
    path = await startSurveyPath({ surveyEnabled: true, billing: { surveyEnabled: false } });
    const ben = await path.deskOf('ben');
    try {
      const call = await path.connectedCall('en-US');
      await ben.command('agent:set-status', { status: 'available' });
      expect(
        await path.desk.command('call:consult', {
          interactionId: call.id,
          to: { kind: 'agent', agentId: 2 },
        }),
      ).toEqual({
        ok: true,
      });
      await path.legStatus(call.id, 'transfer', path.legTo('ben').sid, 'in-progress');
      expect(await path.desk.command('call:consult-cancel', { interactionId: call.id })).toEqual({
        ok: true,
      });
      // The consultation took her leg's power to end the bridge: hanging up her phone leaves the caller in it.
      path.fake.endCall(call.agentLegSid);
      expect(path.fake.calls.get(call.callerSid)!.pendingDialAction).toBeNull();
      await path.ended(call.agentLegSid, `?interactionId=${call.id}&leg=agent`);
      expect(updatesOf(call.callerSid).at(-1)).toEqual({
        Url: `${PUBLIC}/twilio/survey-start?interactionId=${call.id}`,
        Method: 'POST',
      });
      const first = await path.redirected(call.callerSid);
      await path.answer(first.body, call.callerSid, { Digits: '2' });
      // The caller hangs up before the second question: their end names the call's newest part
      // (Ben's consultation), and still ends ana's survey with what was answered.
      path.fake.endCall(call.callerSid);
      await path.ended(call.callerSid);
      expect(path.survey(call.id)).toMatchObject({
        status: 'partial',
        score: 2,
        resolved: null,
        agent_id: 1,
      });
      const consulted = path.db
        .prepare('SELECT id FROM interactions WHERE parent_interaction_id = ?')
        .get(call.id) as { id: number };
      expect(path.survey(consulted.id)).toBeUndefined();
    } finally {
      ben.socket.disconnect();
    }
  });
});

describe('a survey whose last callback is lost, late or out of order', () => {
  let path: Path;
  afterEach(() => path?.close());

  /** ana hangs up her phone and the caller's <Dial> action starts the survey. */
  async function surveyed() {
    path = await startSurveyPath({ surveyEnabled: true });
    const call = await path.connectedCall('en-US');
    path.fake.endCall(call.agentLegSid);
    await path.ended(call.agentLegSid, `?interactionId=${call.id}&leg=agent`);
    return { call, first: await path.dialAction(call.callerSid) };
  }

  /** The survey was offered `minutes` ago, as if that much time had gone by. */
  const offeredAgo = (id: number, minutes: number) =>
    path.db
      .prepare('UPDATE interaction_surveys SET offered_at = ? WHERE interaction_id = ?')
      .run(new Date(Date.now() - minutes * 60_000).toISOString(), id);

  it('the sweep closes a survey left offered as partial, keeping the score; late webhooks change nothing', async () => {
    const { call, first } = await surveyed();
    const completed: CompletedSurvey[] = [];
    path.app.surveys.onCompleted((survey) => completed.push(survey));
    const second = await path.answer(first.body, call.callerSid, { Digits: '4' });
    // The caller hangs up; Twilio's status callback never arrives.
    path.fake.endCall(call.callerSid);

    offeredAgo(call.id, 9);
    expect(path.app.surveys.sweep()).toBe(0);
    expect(path.survey(call.id)).toMatchObject({ status: 'offered' });
    offeredAgo(call.id, 11);
    expect(path.app.surveys.sweep()).toBe(1);
    expect(path.survey(call.id)).toMatchObject({ status: 'partial', score: 4, resolved: null });
    expect(path.survey(call.id)!.ended_at).not.toBeNull();
    expect(path.events(call.id).at(-1)).toEqual({
      type: 'survey_ended',
      data: { status: 'partial', score: 4, swept: true },
    });
    expect(completed).toEqual([expect.objectContaining({ status: 'partial', score: 4 })]);

    // The lost answer and the caller's end turn up after all; the sweep runs again.
    const late = await path.answer(second.body, call.callerSid, { Digits: '1' });
    expect(late.body).toContain('<Hangup/>');
    await path.ended(call.callerSid);
    expect(path.app.surveys.sweep()).toBe(0);
    expect(path.survey(call.id)).toMatchObject({ status: 'partial', score: 4, resolved: null });
    expect(path.events(call.id).map((e) => e.type)).toEqual([
      'survey_offered',
      'survey_answered',
      'survey_ended',
    ]);
    expect(completed).toHaveLength(1);
  });

  it('the sweep closes an unanswered survey as no_answer', async () => {
    const { call } = await surveyed();
    offeredAgo(call.id, 30);
    expect(path.app.surveys.sweep()).toBe(1);
    expect(path.survey(call.id)).toMatchObject({ status: 'no_answer', score: null, resolved: null });
  });

  it("the caller's end arriving before the survey's start: not offered, and the late start does not reopen it", async () => {
    path = await startSurveyPath({ surveyEnabled: true });
    const call = await path.connectedCall('en-US');
    path.fake.endCall(call.agentLegSid);
    await path.ended(call.agentLegSid, `?interactionId=${call.id}&leg=agent`);
    // Twilio asked the <Dial> action as the caller hung up; the status callback overtook it.
    path.fake.endCall(call.callerSid);
    await path.ended(call.callerSid);
    expect(path.survey(call.id)).toMatchObject({
      status: 'not_offered',
      not_offered_reason: 'caller_hung_up',
    });
    const late = await path.dialAction(call.callerSid);
    expect(late.body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>');
    expect(path.survey(call.id)).toMatchObject({ status: 'not_offered', offered_at: null });
    expect(path.events(call.id).map((e) => e.type)).toEqual(['survey_not_offered']);
  });
});
