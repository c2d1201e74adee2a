import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { parseTwiml, spokenText } from './twiml.js';

describe('parseTwiml', () => {
  it('reads what twilio’s VoiceResponse writes: nesting, attributes, entities, self-closing verbs', () => {
    const response = new twilio.twiml.VoiceResponse();
    const gather = response.gather({ action: 'https://x.example/ivr?node=menu&step=2', numDigits: 1 });
    gather.say({ language: 'en-US' }, 'For sales, press 1 & say "sales".');
    gather.say({ language: 'cmn-CN' }, '销售咨询请按1。');
    response.redirect({ method: 'POST' }, 'https://x.example/ivr?node=menu&step=2');
    response.hangup();

    const parsed = parseTwiml(response.toString());

    expect(parsed.name).toBe('Response');
    expect(parsed.children.map((child) => child.name)).toEqual(['Gather', 'Redirect', 'Hangup']);
    const [gathered, redirect] = parsed.children;
    expect(gathered?.attributes).toEqual({
      action: 'https://x.example/ivr?node=menu&step=2',
      numDigits: '1',
    });
    expect(spokenText(gathered!)).toBe('For sales, press 1 & say "sales". 销售咨询请按1。');
    expect(redirect?.text).toBe('https://x.example/ivr?node=menu&step=2');
  });

  it('understands comments, CDATA, numeric references and single quotes', () => {
    const parsed = parseTwiml(
      `<?xml version="1.0"?>\n<!-- hi --><Response><Say voice='alice'>a&#39;b &#x4E2D; <![CDATA[<raw>]]></Say></Response>`,
    );
    expect(parsed.children[0]).toEqual({
      name: 'Say',
      attributes: { voice: 'alice' },
      children: [],
      text: "a'b 中 <raw>",
    });
  });

  it('refuses what is not one well-formed <Response>', () => {
    expect(() => parseTwiml('<Response><Say>hi</Response>')).toThrow(/unexpected <\/Response>/);
    expect(() => parseTwiml('<Response><Say>hi</Say>')).toThrow(/not closed/);
    expect(() => parseTwiml('<html></html>')).toThrow(/not one <Response>/);
    expect(() => parseTwiml('Internal Server Error')).toThrow(/not one <Response>/);
  });
});
