import { describe, expect, it } from 'vitest';
import { twiml } from './testing.js';
import * as verbs from './verbs.js';

const render = (build: (r: verbs.VoiceResponse) => void) => {
  const response = verbs.response();
  build(response);
  return response.toString();
};

describe('verbs', () => {
  it('says English with Polly Joanna and Mandarin with Polly Zhiyu under their Twilio language codes', () => {
    expect(
      render((r) => {
        verbs.say(r, 'Hello & welcome', 'en-US');
        verbs.say(r, '您好', 'zh-CN');
        verbs.say(r, 'Hi', 'en-US', 'Polly.Matthew');
      }),
    ).toBe(
      twiml(`
        <Say language="en-US" voice="Polly.Joanna">Hello &amp; welcome</Say>
        <Say language="cmn-CN" voice="Polly.Zhiyu">您好</Say>
        <Say language="en-US" voice="Polly.Matthew">Hi</Say>
      `),
    );
  });

  it('plays a URL', () => {
    expect(render((r) => verbs.play(r, 'https://cdn.example.com/hold.mp3'))).toBe(
      twiml('<Play>https://cdn.example.com/hold.mp3</Play>'),
    );
  });

  it('gathers keys only, or keys and speech in the recognition language with hints', () => {
    expect(render((r) => verbs.gather(r, { action: '/a', timeoutSeconds: 10, finishOnKey: '#' }))).toBe(
      twiml('<Gather input="dtmf" action="/a" method="POST" timeout="10" finishOnKey="#"/>'),
    );
    const speech = render((r) =>
      verbs.say(
        verbs.gather(r, {
          action: '/a',
          timeoutSeconds: 5,
          numDigits: 1,
          speechLanguage: 'zh-CN',
          hints: ['销售', '账单'],
        }),
        '请选择',
        'zh-CN',
      ),
    );
    expect(speech).toBe(
      twiml(`
        <Gather input="dtmf speech" action="/a" method="POST" timeout="5" numDigits="1"
                language="cmn-Hans-CN" speechTimeout="auto" hints="销售, 账单">
          <Say language="cmn-CN" voice="Polly.Zhiyu">请选择</Say>
        </Gather>
      `),
    );
  });

  it('records a voicemail with a beep, # to finish and recording status callbacks', () => {
    expect(
      render((r) =>
        verbs.record(r, { action: '/done', recordingStatusCallback: '/recordings', maxLengthSeconds: 90 }),
      ),
    ).toBe(
      twiml(
        '<Record action="/done" method="POST" maxLength="90" playBeep="true" finishOnKey="#" trim="trim-silence" ' +
          'recordingStatusCallback="/recordings" recordingStatusCallbackMethod="POST" ' +
          'recordingStatusCallbackEvent="completed absent"/>',
      ),
    );
  });

  it('redirects, dials a number and hangs up', () => {
    expect(
      render((r) => {
        verbs.redirect(r, '/next?a=1&b=2');
        verbs.dial(r, '+12125550147', 25);
        verbs.hangup(r);
      }),
    ).toBe(
      twiml(`
        <Redirect method="POST">/next?a=1&amp;b=2</Redirect>
        <Dial answerOnBridge="true" timeout="25"><Number>+12125550147</Number></Dial>
        <Hangup/>
      `),
    );
  });
});
