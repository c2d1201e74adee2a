import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import {
  FlowLoopError,
  initialState,
  inSensitiveStep,
  IvrStateError,
  step,
  type StepContext,
  type StepInput,
  type StepResult,
} from './engine.js';
import { flowForNumber, loadFlows } from './flows.js';
import { FLOWS_DIR } from './index.js';
import { IvrState, type Flow, type FlowNode, type NodeOfType } from './ivr.schemas.js';
import { twiml } from './testing.js';

/** Monday 2 June 2025, 11:00 in New York. */
const MONDAY_MORNING = new Date('2025-06-02T15:00:00Z');

const context = (overrides: Partial<StepContext> = {}): StepContext => ({
  now: MONDAY_MORNING,
  callerNumber: '+14155551234',
  actionUrl: (nodeId) => `/twilio/ivr/${nodeId}`,
  recordingCallbackUrl: '/twilio/recordings',
  ...overrides,
});

/** A flow "test" starting at its first node. */
const flowOf = (nodes: Record<string, FlowNode>, overrides: Partial<Flow> = {}): Flow => ({
  id: 'test',
  version: 1,
  language: 'en-US',
  start: Object.keys(nodes)[0] ?? '',
  nodes,
  ...overrides,
});

const begin = (flow: Flow, ctx = context()) => step(flow, initialState(flow), {}, ctx);

/** Steps through `inputs`, one webhook (or effect result) each, and returns every result. */
function walk(flow: Flow, inputs: StepInput[], ctx = context()): StepResult[] {
  const results = [begin(flow, ctx)];
  for (const input of inputs) results.push(step(flow, results.at(-1)!.state, input, ctx));
  return results;
}

const sayEn = (text: string) => `<Say language="en-US" voice="Polly.Joanna">${text}</Say>`;
const sayZh = (text: string) => `<Say language="cmn-CN" voice="Polly.Zhiyu">${text}</Say>`;
const redirectTo = (nodeId: string) => `<Redirect method="POST">/twilio/ivr/${nodeId}</Redirect>`;
const goodbye = (text: string): FlowNode => ({ type: 'hangup', text: { 'en-US': text } });

describe('say, play, set_language and hangup', () => {
  it('run one after another in one response, up to the hang-up', () => {
    const flow = flowOf({
      hello: {
        type: 'say',
        text: { 'en-US': 'Hello.', 'zh-CN': '您好。' },
        voice: { 'en-US': 'Polly.Matthew' },
        next: 'music',
      },
      music: { type: 'play', url: 'https://cdn.example.com/jingle.mp3', next: 'chinese' },
      chinese: { type: 'set_language', language: 'zh-CN', next: 'bye' },
      bye: { type: 'hangup', text: { 'en-US': 'Goodbye.', 'zh-CN': '再见。' } },
    });
    const result = begin(flow);
    expect(result.twiml).toBe(
      twiml(`
        <Say language="en-US" voice="Polly.Matthew">Hello.</Say>
        <Play>https://cdn.example.com/jingle.mp3</Play>
        ${sayZh('再见。')}
        <Hangup/>
      `),
    );
    expect(result.outcome).toEqual({ kind: 'hangup' });
    expect(result.state).toMatchObject({
      nodeId: 'bye',
      awaiting: { kind: 'finished', outcome: { kind: 'hangup' } },
      language: 'zh-CN',
      answers: { language: 'zh-CN' },
      path: ['hello', 'music', 'chinese', 'bye'],
    });
  });

  it("speak words missing in the call's language in the flow's language, and fixed parts in theirs", () => {
    const flow = flowOf({
      chinese: { type: 'set_language', language: 'zh-CN', next: 'hello' },
      hello: {
        type: 'say',
        text: [
          { 'en-US': 'Welcome.', 'zh-CN': '欢迎。' },
          { 'en-US': 'For English, press 1.' },
          { language: 'zh-CN', text: '中文服务请按2。' },
        ],
        next: 'bye',
      },
      bye: { type: 'hangup' },
    });
    expect(begin(flow).twiml).toBe(
      twiml(`${sayZh('欢迎。')}${sayEn('For English, press 1.')}${sayZh('中文服务请按2。')}<Hangup/>`),
    );
  });
});

describe('menu', () => {
  const menuFlow = (menu: Partial<NodeOfType<'menu'>> = {}) =>
    flowOf({
      menu: {
        type: 'menu',
        prompt: { 'en-US': 'For sales, press 1. For billing, press 2.', 'zh-CN': '销售请按1，账单请按2。' },
        noInputPrompt: { 'en-US': 'Sorry, I did not hear you.' },
        noMatchPrompt: { 'en-US': 'Sorry, that is not a choice.' },
        options: [
          {
            digit: '1',
            value: 'sales',
            speech: { 'en-US': ['sales', 'buy'], 'zh-CN': ['销售'] },
            next: 'sales',
          },
          { digit: '2', value: 'billing', speech: { 'en-US': ['billing', 'my bill'] }, next: 'billing' },
          { value: 'agent', speech: { 'en-US': ['agent'] }, next: 'sales' },
        ],
        noInput: 'silent',
        noMatch: 'lost',
        ...menu,
      },
      sales: goodbye('Sales.'),
      billing: goodbye('Billing.'),
      silent: goodbye('Silent.'),
      lost: goodbye('Lost.'),
    });

  const gather = (inner: string) =>
    `<Gather input="dtmf speech" action="/twilio/ivr/menu" method="POST" timeout="5" numDigits="1"
       language="en-US" speechTimeout="auto" hints="sales, buy, billing, my bill, agent">${inner}</Gather>
     ${redirectTo('menu')}`;

  it('asks inside a <Gather> for one key or speech, then redirects back to itself on silence', () => {
    const result = begin(menuFlow());
    expect(result.twiml).toBe(twiml(gather(sayEn('For sales, press 1. For billing, press 2.'))));
    expect(result.state).toMatchObject({ nodeId: 'menu', awaiting: { kind: 'input' }, attempts: 0 });
    expect(result.outcome).toBeUndefined();
  });

  it('follows the option of the key pressed and records its value under the node id or saveAs', () => {
    const [, chosen] = walk(menuFlow(), [{ Digits: '2' }]);
    expect(chosen?.twiml).toBe(twiml(`${sayEn('Billing.')}<Hangup/>`));
    expect(chosen?.state.answers).toEqual({ menu: 'billing' });
    expect(chosen?.state.path).toEqual(['menu', 'billing']);
    expect(walk(menuFlow({ saveAs: 'department' }), [{ Digits: '1' }])[1]?.state.answers).toEqual({
      department: 'sales',
    });
  });

  it.each([
    ['I have a question about my bill.', 'billing'],
    ['Sales', 'sales'],
    ['I want to BUY something!', 'sales'],
    ['Can I talk to an agent', 'agent'],
    ['2.', 'billing'],
  ])('understands %j as %s', (SpeechResult, value) => {
    const [, chosen] = walk(menuFlow(), [{ SpeechResult, Confidence: '0.91' }]);
    expect(chosen?.state.answers).toEqual({ menu: value });
  });

  it('matches whole words only, and Chinese phrases anywhere in the Chinese heard', () => {
    expect(walk(menuFlow(), [{ SpeechResult: 'wholesales' }])[1]?.state.attempts).toBe(1);
    const chinese = menuFlow();
    const state = { ...initialState(chinese), language: 'zh-CN' as const };
    const asked = step(chinese, state, {}, context());
    expect(asked.twiml).toBe(
      twiml(`
        <Gather input="dtmf speech" action="/twilio/ivr/menu" method="POST" timeout="5" numDigits="1"
                language="cmn-Hans-CN" speechTimeout="auto" hints="销售">${sayZh('销售请按1，账单请按2。')}</Gather>
        ${redirectTo('menu')}
      `),
    );
    const chosen = step(chinese, asked.state, { SpeechResult: '我想咨询一下销售的问题。' }, context());
    expect(chosen.state.answers).toEqual({ menu: 'sales' });
  });

  it('treats speech below minConfidence as no match', () => {
    const flow = menuFlow({ minConfidence: 0.5 });
    expect(walk(flow, [{ SpeechResult: 'billing', Confidence: '0.3' }])[1]?.state).toMatchObject({
      nodeId: 'menu',
      attempts: 1,
    });
    expect(walk(flow, [{ SpeechResult: 'billing', Confidence: 0.8 }])[1]?.state.answers).toEqual({
      menu: 'billing',
    });
  });

  it('asks again after no input, leading with noInputPrompt, then takes noInput after the retries', () => {
    const results = walk(menuFlow(), [{}, { Digits: '' }, {}]);
    expect(results[1]?.twiml).toBe(
      twiml(gather(sayEn('Sorry, I did not hear you.') + sayEn('For sales, press 1. For billing, press 2.'))),
    );
    expect(results.map((r) => r.state.attempts)).toEqual([0, 1, 2, 0]);
    expect(results[3]?.twiml).toBe(twiml(`${sayEn('Silent.')}<Hangup/>`));
    expect(results[3]?.state.answers).toEqual({ menu: 'no_input' });
  });

  it('asks again after no match, leading with noMatchPrompt, then takes noMatch', () => {
    const [, again] = walk(menuFlow(), [{ Digits: '9' }]);
    expect(again?.twiml).toBe(
      twiml(
        gather(sayEn('Sorry, that is not a choice.') + sayEn('For sales, press 1. For billing, press 2.')),
      ),
    );
    const [, lost] = walk(menuFlow({ retries: 0 }), [{ SpeechResult: 'pizza' }]);
    expect(lost?.twiml).toBe(twiml(`${sayEn('Lost.')}<Hangup/>`));
    expect(lost?.state.answers).toEqual({ menu: 'no_match' });
  });

  it('listens for keys only when no option has phrases in the call’s language', () => {
    const flow = menuFlow({ options: [{ digit: '1', value: 'sales', next: 'sales' }], timeoutSeconds: 3 });
    expect(begin(flow).twiml).toBe(
      twiml(`
        <Gather input="dtmf" action="/twilio/ivr/menu" method="POST" timeout="3" numDigits="1">
          ${sayEn('For sales, press 1. For billing, press 2.')}
        </Gather>
        ${redirectTo('menu')}
      `),
    );
  });

  it('lets # be a choice by turning off finishing on #', () => {
    const flow = menuFlow({ options: [{ digit: '#', value: 'repeat', next: 'sales' }] });
    expect(begin(flow).twiml).toContain(
      '<Gather input="dtmf" action="/twilio/ivr/menu" method="POST" timeout="5" numDigits="1" finishOnKey="">',
    );
    expect(walk(flow, [{ Digits: '#' }])[1]?.state.answers).toEqual({ menu: 'repeat' });
  });
});

describe('set_language', () => {
  it('switches every following <Say> and <Gather> to the chosen language', () => {
    const flow = flowOf({
      choose: {
        type: 'menu',
        prompt: [{ 'en-US': 'For English, press 1.' }, { language: 'zh-CN', text: '中文请按2。' }],
        options: [
          { digit: '1', value: 'en-US', next: 'english' },
          { digit: '2', value: 'zh-CN', next: 'mandarin' },
        ],
        noInput: 'english',
        noMatch: 'english',
      },
      english: { type: 'set_language', language: 'en-US', next: 'ask' },
      mandarin: { type: 'set_language', language: 'zh-CN', next: 'ask' },
      ask: {
        type: 'menu',
        prompt: { 'en-US': 'Say support.', 'zh-CN': '请说“支持”。' },
        options: [
          { digit: '1', value: 'support', speech: { 'en-US': ['support'], 'zh-CN': ['支持'] }, next: 'bye' },
        ],
        noInput: 'bye',
        noMatch: 'bye',
      },
      bye: { type: 'hangup' },
    });
    expect(begin(flow).twiml).toContain(`${sayEn('For English, press 1.')}${sayZh('中文请按2。')}`);
    const [, mandarin] = walk(flow, [{ Digits: '2' }]);
    expect(mandarin?.twiml).toBe(
      twiml(`
        <Gather input="dtmf speech" action="/twilio/ivr/ask" method="POST" timeout="5" numDigits="1"
                language="cmn-Hans-CN" speechTimeout="auto" hints="支持">${sayZh('请说“支持”。')}</Gather>
        ${redirectTo('ask')}
      `),
    );
    expect(mandarin?.state).toMatchObject({
      language: 'zh-CN',
      answers: { choose: 'zh-CN', language: 'zh-CN' },
    });
    expect(walk(flow, [{ Digits: '1' }])[1]?.twiml).toContain(sayEn('Say support.'));
  });
});

describe('identify', () => {
  const identifyFlow = (identify: Partial<NodeOfType<'identify'>> = {}) =>
    flowOf({
      who: {
        type: 'identify',
        prompt: { 'en-US': 'Enter your account number, then press pound.' },
        notFoundPrompt: { 'en-US': 'We could not find that account.' },
        retries: 1,
        found: 'known',
        notFound: 'unknown',
        ...identify,
      },
      known: goodbye('Welcome back.'),
      unknown: goodbye('Welcome.'),
    });
  const askDigits = (lead = '') =>
    twiml(`
      <Gather input="dtmf" action="/twilio/ivr/who" method="POST" timeout="10" finishOnKey="#">
        ${lead}${sayEn('Enter your account number, then press pound.')}
      </Gather>
      ${redirectTo('who')}
    `);

  it('asks to look the caller up by number, with no TwiML, and goes on with the customer found', () => {
    const flow = identifyFlow();
    const asked = begin(flow);
    expect(asked).toEqual({
      state: expect.objectContaining({
        awaiting: { kind: 'effect', effect: { kind: 'identify_by_number', number: '+14155551234' } },
      }),
      effect: { kind: 'identify_by_number', number: '+14155551234' },
    });
    const known = step(flow, asked.state, { identified: { customerId: 42 } }, context());
    expect(known.twiml).toBe(twiml(`${sayEn('Welcome back.')}<Hangup/>`));
    expect(known.state.answers).toEqual({ customerId: '42', identifiedBy: 'caller_number' });
  });

  it('asks an unknown caller for digits, then looks those up', () => {
    const [, asked, lookup, found] = walk(identifyFlow(), [
      { identified: null },
      { Digits: '10045' },
      { identified: { customerId: 7 } },
    ]);
    expect(asked?.twiml).toBe(askDigits());
    expect(lookup).toMatchObject({ effect: { kind: 'identify_by_digits', digits: '10045' } });
    expect(lookup?.twiml).toBeUndefined();
    expect(found?.twiml).toBe(twiml(`${sayEn('Welcome back.')}<Hangup/>`));
    expect(found?.state.answers).toEqual({ enteredDigits: '10045', customerId: '7', identifiedBy: 'digits' });
  });

  it('says notFoundPrompt and asks again, then takes notFound after the retries', () => {
    const results = walk(identifyFlow(), [
      { identified: null },
      { Digits: '111' },
      { identified: null },
      { Digits: '222' },
      { identified: null },
    ]);
    expect(results[3]?.twiml).toBe(askDigits(sayEn('We could not find that account.')));
    expect(results[3]?.state.attempts).toBe(1);
    expect(results[5]?.twiml).toBe(twiml(`${sayEn('Welcome.')}<Hangup/>`));
    expect(results[5]?.state.answers).toEqual({ enteredDigits: '222', identifiedBy: 'not_found' });
  });

  it('asks again when no digits come, and straight away when the number is withheld', () => {
    const [, , again] = walk(identifyFlow(), [{ identified: null }, {}]);
    expect(again?.twiml).toBe(askDigits());
    expect(again?.state.attempts).toBe(1);
    expect(begin(identifyFlow(), context({ callerNumber: 'anonymous' })).twiml).toBe(askDigits());
  });

  it('takes notFound at once when it has no prompt to ask for digits', () => {
    const { prompt: _, ...noPrompt } = identifyFlow().nodes.who as NodeOfType<'identify'>;
    const flow = flowOf({ who: noPrompt, known: goodbye('Welcome back.'), unknown: goodbye('Welcome.') });
    const [, unknown] = walk(flow, [{ identified: null }]);
    expect(unknown?.twiml).toBe(twiml(`${sayEn('Welcome.')}<Hangup/>`));
    expect(unknown?.state.answers).toEqual({ identifiedBy: 'not_found' });
  });

  it('plays what came before first, and asks for the effect on the redirected webhook', () => {
    const flow = flowOf({
      hello: { type: 'say', text: { 'en-US': 'Hello.' }, next: 'who' },
      ...identifyFlow().nodes,
    });
    const [played, asked, known] = walk(flow, [{}, { identified: { customerId: 3 } }]);
    expect(played?.twiml).toBe(twiml(`${sayEn('Hello.')}${redirectTo('who')}`));
    expect(played?.effect).toBeUndefined();
    expect(asked).toMatchObject({ effect: { kind: 'identify_by_number' } });
    expect(asked?.twiml).toBeUndefined();
    expect(known?.state.answers).toEqual({ customerId: '3', identifiedBy: 'caller_number' });
  });
});

describe('business_hours', () => {
  const hoursFlow = flowOf({
    hours: {
      type: 'business_hours',
      calendar: { timeZone: 'America/New_York', hours: ['mon-fri 09:00-18:00'], holidays: ['2025-12-25'] },
      saveAs: 'officeHours',
      open: 'open',
      closed: 'closed',
    },
    open: goodbye('We are open.'),
    closed: goodbye('We are closed.'),
  });

  it.each([
    ['a weekday morning', MONDAY_MORNING, 'open'],
    ['a Sunday', new Date('2025-06-01T15:00:00Z'), 'closed'],
    ['Christmas', new Date('2025-12-25T15:00:00Z'), 'closed'],
  ])('routes %s by the time in the context', (_, now, expected) => {
    const result = begin(hoursFlow, context({ now }));
    expect(result.twiml).toBe(twiml(`${sayEn(`We are ${expected}.`)}<Hangup/>`));
    expect(result.state.answers).toEqual({ officeHours: expected });
  });
});

describe('route_to_queue', () => {
  const routeFlow = flowOf({
    chinese: { type: 'set_language', language: 'zh-CN', next: 'billing' },
    billing: {
      type: 'route_to_queue',
      queue: 'Billing',
      skills: ['billing'],
      skillsByLanguage: { 'zh-CN': ['mandarin'], 'en-US': ['english'] },
      priorityBoost: 60,
      prompt: { 'en-US': 'Connecting you to billing.', 'zh-CN': '正在为您转接账单服务。' },
    },
  });

  it('ends the IVR with an enqueue outcome and hands the call over through its action URL', () => {
    const result = begin(routeFlow);
    expect(result.twiml).toBe(twiml(`${sayZh('正在为您转接账单服务。')}${redirectTo('billing')}`));
    const outcome = { kind: 'enqueue', queue: 'Billing', skills: ['billing', 'mandarin'], priorityBoost: 60 };
    expect(result.outcome).toEqual(outcome);
    expect(result.state).toMatchObject({
      awaiting: { kind: 'finished', outcome },
      answers: { queue: 'Billing' },
    });
  });

  it('refuses to step a finished IVR', () => {
    const { state } = begin(routeFlow);
    expect(() => step(routeFlow, state, {}, context())).toThrow(IvrStateError);
    expect(() => step(routeFlow, state, {}, context())).toThrow(
      'the IVR already ended at node "billing" (enqueue)',
    );
  });
});

describe('callback_offer', () => {
  const offerFlow = (withAccepted = true) =>
    flowOf({
      offer: {
        type: 'callback_offer',
        prompt: { 'en-US': 'To get a call back, press 1.' },
        queue: 'Support',
        ...(withAccepted && { accepted: 'booked' }),
        next: 'wait',
      },
      booked: goodbye('We will call you back.'),
      wait: { type: 'route_to_queue', queue: 'Support' },
    });

  it('asks for one key', () => {
    expect(begin(offerFlow()).twiml).toBe(
      twiml(`
        <Gather input="dtmf" action="/twilio/ivr/offer" method="POST" timeout="5" numDigits="1">
          ${sayEn('To get a call back, press 1.')}
        </Gather>
        ${redirectTo('offer')}
      `),
    );
  });

  it('on 1, reports callback_requested and redirects to accepted, which runs on the next webhook', () => {
    const [, requested, booked] = walk(offerFlow(), [{ Digits: '1' }, {}]);
    expect(requested?.outcome).toEqual({ kind: 'callback_requested', queue: 'Support' });
    expect(requested?.twiml).toBe(twiml(redirectTo('booked')));
    expect(requested?.state).toMatchObject({
      nodeId: 'booked',
      awaiting: { kind: 'entry' },
      answers: { offer: 'requested' },
    });
    expect(booked?.twiml).toBe(twiml(`${sayEn('We will call you back.')}<Hangup/>`));
    expect(booked?.outcome).toEqual({ kind: 'hangup' });
    expect(walk(offerFlow(false), [{ Digits: '1' }])[1]?.twiml).toBe(twiml(redirectTo('wait')));
  });

  it.each([[{ Digits: '2' }], [{}]])('on anything else (%j) goes on to next', (input) => {
    const [, declined] = walk(offerFlow(), [input]);
    expect(declined?.outcome).toEqual({ kind: 'enqueue', queue: 'Support', skills: [], priorityBoost: 0 });
    expect(declined?.state.answers).toEqual({ offer: 'declined', queue: 'Support' });
  });
});

describe('voicemail', () => {
  const voicemailFlow = flowOf({
    message: {
      type: 'voicemail',
      prompt: { 'en-US': 'Leave a message after the tone.' },
      maxLengthSeconds: 60,
      next: 'bye',
    },
    bye: goodbye('Thank you. Goodbye.'),
  });

  it('records with a beep, its action URL and the recording callback, and reports voicemail', () => {
    const result = begin(voicemailFlow);
    expect(result.twiml).toBe(
      twiml(`
        ${sayEn('Leave a message after the tone.')}
        <Record action="/twilio/ivr/message" method="POST" maxLength="60" playBeep="true" finishOnKey="#"
                trim="trim-silence" recordingStatusCallback="/twilio/recordings" recordingStatusCallbackMethod="POST"
                recordingStatusCallbackEvent="completed absent"/>
        ${redirectTo('message')}
      `),
    );
    expect(result.outcome).toEqual({ kind: 'voicemail' });
    expect(result.state.awaiting).toEqual({ kind: 'recording' });
  });

  it('goes on to next when the recording ends', () => {
    const [, done] = walk(voicemailFlow, [{ Digits: '#' }]);
    expect(done?.twiml).toBe(twiml(`${sayEn('Thank you. Goodbye.')}<Hangup/>`));
    expect(done?.state.path).toEqual(['message', 'bye']);
  });
});

describe('transfer', () => {
  it('dials the number after the prompt and reports the transfer', () => {
    const flow = flowOf({
      out: {
        type: 'transfer',
        to: '+12125550147',
        prompt: { 'en-US': 'Transferring you.' },
        timeoutSeconds: 25,
      },
    });
    const result = begin(flow);
    expect(result.twiml).toBe(
      twiml(`
        ${sayEn('Transferring you.')}
        <Dial answerOnBridge="true" timeout="25"><Number>+12125550147</Number></Dial>
      `),
    );
    expect(result.outcome).toEqual({ kind: 'transfer', to: '+12125550147' });
  });
});

describe('guards', () => {
  it('stops a flow that never waits for the caller', () => {
    const flow = flowOf({
      ping: { type: 'say', text: { 'en-US': 'Ping.' }, next: 'pong' },
      pong: { type: 'say', text: { 'en-US': 'Pong.' }, next: 'ping' },
    });
    expect(() => begin(flow)).toThrow(FlowLoopError);
    expect(() => begin(flow)).toThrow(
      /flow "test" ran 50 nodes without waiting for the caller: .*ping → pong/,
    );
  });

  it('refuses a state from another flow, at a node that is gone, or an input out of turn', () => {
    const flow = flowOf({
      ask: { type: 'callback_offer', prompt: { 'en-US': 'Press 1.' }, queue: 'Support', next: 'bye' },
      bye: goodbye('Bye.'),
    });
    const waiting = begin(flow).state;
    expect(() => step({ ...flow, id: 'other' }, waiting, {}, context())).toThrow(
      'the call is in flow "test", not "other"',
    );
    expect(() => step(flow, { ...waiting, nodeId: 'gone' }, {}, context())).toThrow(
      'flow "test" v1 has no node "gone"',
    );
    expect(() => step(flow, waiting, { identified: null }, context())).toThrow(IvrStateError);
  });

  it('keeps a state that survives JSON and matches the IvrState schema', () => {
    const results = walk(
      flowOf({ who: { type: 'identify', found: 'bye', notFound: 'bye' }, bye: goodbye('Bye.') }),
      [{ identified: { customerId: 9 } }],
    );
    for (const { state } of results) {
      const stored: unknown = JSON.parse(JSON.stringify(state));
      expect(Value.Check(IvrState, stored)).toBe(true);
      expect(stored).toEqual(state);
    }
  });
});

describe('the shipped default flow', () => {
  const defaultFlow = async () => flowForNumber(await loadFlows(FLOWS_DIR), '+14155550100');

  it('brings a Mandarin caller, identified by account number, to Billing with the mandarin skill', async () => {
    const flow = await defaultFlow();
    const results = walk(flow, [
      { Digits: '2' },
      { identified: null },
      { Digits: '88001234' },
      { identified: { customerId: 501 } },
      { SpeechResult: '我想问一下账单', Confidence: '0.87' },
    ]);
    expect(results[0]?.twiml).toContain(sayZh('中文服务请按2。'));
    expect(results[4]?.twiml).toContain('language="cmn-Hans-CN"');
    const last = results.at(-1);
    expect(last?.outcome).toEqual({
      kind: 'enqueue',
      queue: 'Billing',
      skills: ['billing', 'mandarin'],
      priorityBoost: 60,
    });
    expect(last?.state.answers).toEqual({
      choose_language: 'zh-CN',
      language: 'zh-CN',
      enteredDigits: '88001234',
      customerId: '501',
      identifiedBy: 'digits',
      office_hours: 'open',
      department: 'billing',
      queue: 'Billing',
    });
    expect(last?.state.path).toEqual([
      'welcome',
      'choose_language',
      'mandarin',
      'identify_caller',
      'office_hours',
      'main_menu',
      'route_billing',
    ]);
  });

  it('after hours, offers a call back, then takes a voicemail', async () => {
    const flow = await defaultFlow();
    const sunday = context({ now: new Date('2025-06-01T15:00:00Z') });
    const results = walk(
      flow,
      [{ Digits: '1' }, { identified: { customerId: 12 } }, { Digits: '2' }, {}],
      sunday,
    );
    expect(results[2]?.twiml).toContain('Our office is closed.');
    expect(results[3]?.outcome).toEqual({ kind: 'voicemail' });
    expect(results[3]?.twiml).toContain('<Record action="/twilio/ivr/voicemail"');
    expect(results[4]?.outcome).toEqual({ kind: 'hangup' });
    expect(results[4]?.state.answers).toEqual({
      choose_language: 'en-US',
      language: 'en-US',
      customerId: '12',
      identifiedBy: 'caller_number',
      office_hours: 'closed',
      callback: 'declined',
    });
  });
});

describe('sensitive steps (PCI)', () => {
  const payFlow = flowOf({
    hello: { type: 'say', text: { 'en-US': 'Hello.' }, next: 'card' },
    card: {
      type: 'identify',
      sensitive: true,
      prompt: { 'en-US': 'Key your card number, then press pound.' },
      retries: 0,
      found: 'menu',
      notFound: 'menu',
    },
    menu: {
      type: 'menu',
      prompt: { 'en-US': 'Press 1 for support.' },
      options: [{ digit: '1', value: 'support', next: 'bye' }],
      noInput: 'bye',
      noMatch: 'bye',
    },
    bye: goodbye('Goodbye.'),
  });

  it('says the caller is in a sensitive step from the prompt until they leave it, not before or after', () => {
    const ctx = context({ callerNumber: 'anonymous' });
    expect(inSensitiveStep(payFlow, initialState(payFlow))).toBe(false);
    const [asked, lookup, left] = walk(payFlow, [{ Digits: '4111111111111111#' }, { identified: null }], ctx);
    expect(asked?.twiml).toBe(
      twiml(`
        ${sayEn('Hello.')}
        <Gather input="dtmf" action="/twilio/ivr/card" method="POST" timeout="10" finishOnKey="#">
          ${sayEn('Key your card number, then press pound.')}
        </Gather>
        ${redirectTo('card')}
      `),
    );
    expect(inSensitiveStep(payFlow, asked!.state)).toBe(true);
    // Looking the digits up still happens in the step: recording stays paused.
    expect(inSensitiveStep(payFlow, lookup!.state)).toBe(true);
    expect(left?.twiml).toContain('Press 1 for support.');
    expect(inSensitiveStep(payFlow, left!.state)).toBe(false);
    expect(inSensitiveStep(payFlow, null)).toBe(false);
  });

  it('keeps only the last four of the digits keyed in a sensitive step', () => {
    const [, lookup] = walk(
      payFlow,
      [{ Digits: '4111111111111111' }],
      context({ callerNumber: 'anonymous' }),
    );
    expect(lookup).toMatchObject({ effect: { kind: 'identify_by_digits', digits: '4111111111111111' } });
    expect(lookup!.state.answers).toEqual({ enteredDigits: '••••••••••••1111' });
  });

  it('is off in nodes without the flag', () => {
    const menuFirst = flowOf({ menu: payFlow.nodes.menu!, bye: goodbye('Goodbye.') });
    expect(inSensitiveStep(menuFirst, begin(menuFirst).state)).toBe(false);
  });
});
