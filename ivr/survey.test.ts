import { describe, expect, it } from 'vitest';
import { parseFlow } from './flows.js';
import { firstPosition, heardKey, surveyEndStatus, surveyStep, surveyTwiml } from './survey.js';
import type { Survey } from './ivr.schemas.js';

const FLOW = `
id: s
version: 1
start: bye
survey:
  score:
    prompt:
      en-US: Rate us from 1 to 5.
      zh-CN: 请打分，1到5。
    speech:
      '5': { en-US: [very happy], zh-CN: [非常满意] }
  resolved:
    prompt:
      en-US: Solved? 1 yes, 2 no.
    speech:
      '1': { en-US: [yes], zh-CN: [解决了] }
      '2': { en-US: ['no'], zh-CN: [没有解决] }
  retryPrompt:
    en-US: Sorry.
  thanks:
    en-US: Thanks.
    zh-CN: 谢谢。
nodes:
  bye:
    type: hangup
`;
const survey: Survey = parseFlow(FLOW, 's.yaml').survey!;

describe('the survey section of a flow', () => {
  it('is validated with the flow: a speech key outside 1-5 is refused', () => {
    expect(() => parseFlow(FLOW.replace("'5': { en-US", "'9': { en-US"), 's.yaml')).toThrow(/survey/);
  });
  it('converts timeoutSeconds from YAML text', () => {
    expect(
      parseFlow(FLOW.replace('  thanks:', '  timeoutSeconds: 9\n  thanks:'), 's.yaml').survey!.timeoutSeconds,
    ).toBe(9);
  });
});

describe('heardKey', () => {
  it('takes keys 1-5 for the score and only 1 or 2 for resolved', () => {
    expect(heardKey(survey, 'score', 'en-US', { Digits: '4' })).toBe('4');
    expect(heardKey(survey, 'score', 'en-US', { Digits: '7' })).toBeNull();
    expect(heardKey(survey, 'resolved', 'en-US', { Digits: '3' })).toBeNull();
  });
  it('understands spoken digits, number words and the flow phrases in the caller language', () => {
    expect(heardKey(survey, 'score', 'en-US', { SpeechResult: 'Four.' })).toBe('4');
    expect(heardKey(survey, 'score', 'en-US', { SpeechResult: 'I am very happy' })).toBe('5');
    expect(heardKey(survey, 'score', 'zh-CN', { SpeechResult: '三' })).toBe('3');
    expect(heardKey(survey, 'resolved', 'en-US', { SpeechResult: 'Yes.' })).toBe('1');
  });
  it('prefers the longest phrase heard: 没有解决 is no, not 解决了', () => {
    expect(heardKey(survey, 'resolved', 'zh-CN', { SpeechResult: '没有解决了' })).toBe('2');
    expect(heardKey(survey, 'resolved', 'zh-CN', { SpeechResult: '解决了' })).toBe('1');
  });
});

describe('surveyStep', () => {
  it('records a valid score and moves to resolved', () => {
    expect(surveyStep(survey, firstPosition(), 'en-US', { Digits: '5' })).toEqual({
      recorded: { question: 'score', value: 5 },
      next: { question: 'resolved', attempt: 1 },
    });
  });
  it('asks again once after an invalid key, then records no answer and moves on', () => {
    const retry = surveyStep(survey, firstPosition(), 'en-US', { Digits: '9' });
    expect(retry).toEqual({ recorded: null, next: { question: 'score', attempt: 2 } });
    expect(surveyStep(survey, retry.next!, 'en-US', {})).toEqual({
      recorded: { question: 'score', value: null },
      next: { question: 'resolved', attempt: 1 },
    });
  });
  it('records resolved 2 as 0 and ends after the last question', () => {
    expect(surveyStep(survey, { question: 'resolved', attempt: 1 }, 'en-US', { Digits: '2' })).toEqual({
      recorded: { question: 'resolved', value: 0 },
      next: null,
    });
  });
  it('ends after the score when the flow asks no resolved question', () => {
    const short: Survey = { ...survey, resolved: undefined };
    expect(surveyStep(short, firstPosition(), 'en-US', { Digits: '3' }).next).toBeNull();
  });
});

describe('surveyEndStatus', () => {
  it.each([
    [{ score: 4, resolved: 1 }, 'finished', 'completed'],
    [{ score: 4, resolved: null }, 'finished', 'partial'],
    [{ score: null, resolved: 0 }, 'hung_up', 'partial'],
    [{ score: null, resolved: null }, 'finished', 'no_answer'],
    [{ score: null, resolved: null }, 'hung_up', 'hung_up'],
  ] as const)('%o %s is %s', (answers, ending, status) => {
    expect(surveyEndStatus(survey, answers, ending)).toBe(status);
  });
});

describe('surveyTwiml', () => {
  const action = 'https://cti.example.com/twilio/survey?interactionId=1&step=1';
  it('asks by keys or speech in the caller language, and comes back on silence', () => {
    const twiml = surveyTwiml({
      survey,
      language: 'zh-CN',
      fallback: 'en-US',
      position: firstPosition(),
      action,
    });
    expect(twiml).toContain('<Gather input="dtmf speech"');
    expect(twiml).toContain('language="cmn-Hans-CN"');
    expect(twiml).toContain('numDigits="1"');
    expect(twiml).toContain('hints="非常满意"');
    expect(twiml).toContain('<Say language="cmn-CN" voice="Polly.Zhiyu">请打分，1到5。</Say></Gather>');
    expect(twiml).toMatch(
      /<\/Gather><Redirect method="POST">https:\/\/cti\.example\.com\/twilio\/survey\?interactionId=1&amp;step=1<\/Redirect>/,
    );
  });
  it('says the retry prompt before the question on the second attempt; missing words fall back', () => {
    const twiml = surveyTwiml({
      survey,
      language: 'zh-CN',
      fallback: 'en-US',
      position: { question: 'resolved', attempt: 2 },
      action,
    });
    expect(twiml).toContain(
      '<Say language="en-US" voice="Polly.Joanna">Sorry.</Say><Say language="en-US" voice="Polly.Joanna">Solved? 1 yes, 2 no.</Say>',
    );
  });
  it('thanks and hangs up at the end', () => {
    expect(surveyTwiml({ survey, language: 'en-US', fallback: 'en-US', position: null, action })).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Say language="en-US" voice="Polly.Joanna">Thanks.</Say><Hangup/></Response>',
    );
  });
});
