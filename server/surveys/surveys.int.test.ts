import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../testing/harness.js';
import { startSurveyPath } from '../testing/survey-path.js';
import type { CompletedSurvey } from './surveys.service.js';

type Path = Awaited<ReturnType<typeof startSurveyPath>>;

/**
 * The post-call survey through Twilio's signed webhooks and the stateful fake: the Agent hangs up,
 * the conference ends, the caller's <Dial> action keeps them for the questions.
 */
describe('the post-call survey over Twilio', () => {
  let path: Path;
  afterEach(() => path?.close());

  async function surveyed(language: 'en-US' | 'zh-CN') {
    path = await startSurveyPath({ surveyEnabled: true });
    const completed: CompletedSurvey[] = [];
    path.app.surveys.onCompleted((survey) => completed.push(survey));
    const call = await path.connectedCall(language);
    // ana hangs up her phone: her leg ends the conference, the caller's <Dial> returns to us.
    path.fake.endCall(call.agentLegSid);
    expect(path.fake.calls.get(call.callerSid)!.status).toBe('in-progress');
    await path.ended(call.agentLegSid, `?interactionId=${call.id}&leg=agent`);
    const first = await path.dialAction(call.callerSid);
    return { call, first, completed };
  }

  it('asks the score and resolved in English, records both, and tells the listener once', async () => {
    const { call, first, completed } = await surveyed('en-US');
    expect(call.parked).toContain(
      `<Dial action="https://cti.example.com/twilio/survey-start?interactionId=${call.id}" method="POST">`,
    );
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('<Gather input="dtmf speech"');
    expect(first.body).toContain('language="en-US"');
    expect(first.body).toContain('>Rate this call from 1 to 5.</Say></Gather>');
    // The conversation ended when ana left: her after-call work does not wait for the survey.
    await until(() => path.interaction(call.id).state === 'wrap_up', 'the wrap-up');
    expect(path.interaction(call.id)).toMatchObject({ outcome: 'answered' });

    const second = await path.answer(first.body, call.callerSid, { Digits: '4' });
    expect(second.body).toContain('>Was your problem solved? 1 yes, 2 no.</Say>');
    const last = await path.answer(second.body, call.callerSid, { SpeechResult: 'Yes.' });
    expect(last.body).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Say language="en-US" voice="Polly.Joanna">Thank you. Goodbye.</Say><Hangup/></Response>',
    );
    path.fake.endCall(call.callerSid);
    await path.ended(call.callerSid);

    expect(path.survey(call.id)).toMatchObject({
      status: 'completed',
      score: 4,
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
    expect(completed).toEqual([
      expect.objectContaining({
        interactionId: call.id,
        score: 4,
        resolved: true,
        status: 'completed',
        language: 'en-US',
      }),
    ]);
  });

  it('asks in Mandarin for a caller who chose it, and understands 没有解决', async () => {
    const { call, first } = await surveyed('zh-CN');
    expect(first.body).toContain('language="cmn-Hans-CN"');
    expect(first.body).toContain('<Say language="cmn-CN" voice="Polly.Zhiyu">请为本次通话打分，1到5。</Say>');
    const second = await path.answer(first.body, call.callerSid, { Digits: '2' });
    const last = await path.answer(second.body, call.callerSid, { SpeechResult: '没有解决。' });
    expect(last.body).toContain('>谢谢，再见。</Say><Hangup/>');
    expect(path.survey(call.id)).toMatchObject({
      status: 'completed',
      score: 2,
      resolved: 0,
      language: 'zh-CN',
    });
  });

  it('asks again once after an invalid key, then records no answer after silence', async () => {
    const { call, first, completed } = await surveyed('en-US');
    const again = await path.answer(first.body, call.callerSid, { Digits: '9' });
    expect(again.body).toContain('>Sorry, I did not get that.</Say>');
    expect(again.body).toContain('>Rate this call from 1 to 5.</Say>');
    expect(again.body).toContain('attempt=2');
    // Silence: the <Gather> falls through to its <Redirect>, without Digits.
    const resolved = await path.answer(again.body, call.callerSid, {});
    expect(resolved.body).toContain('question=resolved');
    const retry = await path.answer(resolved.body, call.callerSid, {});
    const end = await path.answer(retry.body, call.callerSid, {});
    expect(end.body).toContain('<Hangup/>');
    expect(path.survey(call.id)).toMatchObject({ status: 'no_answer', score: null, resolved: null });
    expect(completed.map((s) => s.status)).toEqual(['no_answer']);
  });

  it('keeps what was answered when the caller hangs up mid-survey', async () => {
    const { call, first, completed } = await surveyed('en-US');
    await path.answer(first.body, call.callerSid, { Digits: '5' });
    path.fake.endCall(call.callerSid);
    await path.ended(call.callerSid);
    expect(path.survey(call.id)).toMatchObject({ status: 'partial', score: 5, resolved: null });
    expect(path.survey(call.id)!.ended_at).not.toBeNull();
    expect(completed).toEqual([expect.objectContaining({ status: 'partial', score: 5, resolved: null })]);
  });

  it('records hung_up when the caller leaves before the first answer', async () => {
    const { call } = await surveyed('en-US');
    path.fake.endCall(call.callerSid);
    await path.ended(call.callerSid);
    expect(path.survey(call.id)).toMatchObject({ status: 'hung_up', score: null });
  });

  it('records nothing twice for a duplicated or retried webhook', async () => {
    const { call, first, completed } = await surveyed('en-US');
    const repeatStart = await path.dialAction(call.callerSid);
    expect(repeatStart.body).toBe(first.body);
    const second = await path.answer(first.body, call.callerSid, { Digits: '3' });
    // Twilio retries the answer, with another key even: the first answer's TwiML comes back.
    const retried = await path.answer(first.body, call.callerSid, { Digits: '5' });
    expect(retried.body).toBe(second.body);
    const last = await path.answer(second.body, call.callerSid, { Digits: '2' });
    expect((await path.answer(second.body, call.callerSid, { Digits: '2' })).body).toBe(last.body);
    path.fake.endCall(call.callerSid);
    await path.ended(call.callerSid);
    await path.ended(call.callerSid);
    expect(path.survey(call.id)).toMatchObject({ status: 'completed', score: 3, resolved: 0 });
    expect(path.events(call.id).filter((e) => e.type === 'survey_answered')).toHaveLength(2);
    expect(completed).toHaveLength(1);
  });

  it('refuses a survey answer signed for another call', async () => {
    const { first } = await surveyed('en-US');
    const other = path.fake.arrive({ from: '+14155550999', to: '+14155550100' });
    expect((await path.answer(first.body, other.sid, { Digits: '5' })).statusCode).toBe(403);
  });

  it('never surveys a caller who hung up first: recorded as not offered', async () => {
    path = await startSurveyPath({ surveyEnabled: true });
    const call = await path.connectedCall('en-US');
    path.fake.endCall(call.callerSid);
    expect(path.fake.calls.get(call.callerSid)!.pendingDialAction).toBeNull();
    await path.ended(call.callerSid);
    await until(() => path.interaction(call.id).state === 'wrap_up', 'the wrap-up');
    expect(path.survey(call.id)).toMatchObject({
      status: 'not_offered',
      not_offered_reason: 'caller_hung_up',
    });
  });

  it('with the survey off: no <Dial> action, the caller is dropped with the Agent, nothing recorded', async () => {
    path = await startSurveyPath({ surveyEnabled: false });
    const call = await path.connectedCall('en-US');
    expect(call.parked).not.toContain('action=');
    path.fake.endCall(call.agentLegSid);
    expect(path.fake.calls.get(call.callerSid)!.status).toBe('completed');
    await path.ended(call.agentLegSid, `?interactionId=${call.id}&leg=agent`);
    await path.ended(call.callerSid);
    await until(() => path.interaction(call.id).state === 'wrap_up', 'the wrap-up');
    expect(path.survey(call.id)).toBeUndefined();
    expect(path.events(call.id)).toEqual([]);
  });
});
