import { randomBytes } from 'node:crypto';
import { conferenceOptionsOf } from '../twilio-fake/index.js';
import type { CallRun } from './call-run.js';
import { scaled, type CallerContext } from './caller-context.js';
import type { CallerInput, GatherPrompt, Instructions } from './caller-types.js';
import { parseTwiml, spokenText, type TwimlElement } from './twiml.js';
import { notify, standardParams } from './webhooks.js';

/**
 * Runs one TwiML document. Resolves with what Twilio would request next, or null once the call
 * is over. A redirect by the server (REST) interrupts it.
 */
export async function execute(
  context: CallerContext,
  run: CallRun,
  documentUrl: string,
  twiml: string,
): Promise<Instructions | null> {
  const response = parseTwiml(twiml);
  const resolve = (url: string) => new URL(url, documentUrl).toString();
  for (const verb of response.children) {
    if (run.ended) return null;
    if (run.pending) return null;
    run.transcript.verbs.push(verb.name);
    run.log({ kind: 'verb', verb: verb.name, detail: spokenText(verb).slice(0, 200) });
    switch (verb.name) {
      case 'Say':
        if ((await run.wait(context.behaviour.sayMs)) !== 'elapsed') return null;
        break;
      case 'Play':
        if ((await run.wait(context.behaviour.playMs)) !== 'elapsed') return null;
        break;
      case 'Pause': {
        const ms = Math.min(Number(verb.attributes.length ?? 1) * 1000, context.behaviour.maxPauseMs);
        if ((await run.wait(ms)) !== 'elapsed') return null;
        break;
      }
      case 'Gather': {
        const next = await gather(context, run, verb, resolve);
        if (next === 'stop') return null;
        if (next) return next;
        break;
      }
      case 'Redirect':
        return { kind: 'url', url: resolve(verb.text || documentUrl) };
      case 'Record':
        return record(context, run, verb, resolve, documentUrl);
      case 'Dial': {
        const next = await dial(context, run, verb, resolve);
        if (next === 'stop') return null;
        if (next) return next;
        break;
      }
      case 'Hangup':
      case 'Reject':
        run.hangUp(`TwiML <${verb.name}>`);
        return null;
      default:
        run.transcript.errors.push(`unsupported verb <${verb.name}> skipped`);
    }
  }
  // Nothing left to do: Twilio hangs up.
  if (!run.ended && !run.pending) run.hangUp('TwiML ran out of verbs');
  return null;
}

function answerOf(run: CallRun, prompt: GatherPrompt): CallerInput | null {
  const { input } = run.script;
  if (input === undefined) return null;
  if (typeof input === 'function') return input(prompt);
  return input[prompt.index] ?? null;
}

async function gather(
  context: CallerContext,
  run: CallRun,
  verb: TwimlElement,
  resolve: (url: string) => string,
): Promise<Instructions | null | 'stop'> {
  const prompt: GatherPrompt = {
    text: spokenText(verb),
    index: run.gathers++,
    attributes: verb.attributes,
  };
  // The prompts play first (the caller may barge in, but ours listen to the end).
  const saying = verb.children.filter((child) => child.name === 'Say').length * context.behaviour.sayMs;
  const playing = verb.children.filter((child) => child.name === 'Play').length * context.behaviour.playMs;
  if ((await run.wait(saying + playing)) !== 'elapsed') return 'stop';
  const input = answerOf(run, prompt);
  run.transcript.inputs.push({ prompt: prompt.text, input });
  if (input === null) {
    if ((await run.wait(context.behaviour.silenceMs)) !== 'elapsed') return 'stop';
    // Silence: Twilio goes on with the next verb, unless told to post the empty result.
    if (verb.attributes.actionOnEmptyResult !== 'true') return null;
  } else if ((await run.wait(context.behaviour.thinkMs)) !== 'elapsed') {
    return 'stop';
  }
  const action = resolve(verb.attributes.action ?? '');
  const params: Record<string, string> = {
    ...standardParams(context, run, 'in-progress'),
    msg: 'Gather End',
  };
  if (typeof input === 'string') {
    const finishOnKey = verb.attributes.finishOnKey ?? '#';
    const cut = finishOnKey === '' ? -1 : input.indexOf(finishOnKey);
    let digits = cut === -1 ? input : input.slice(0, cut);
    const numDigits = Number(verb.attributes.numDigits ?? 0);
    if (numDigits > 0) digits = digits.slice(0, numDigits);
    params.Digits = digits;
    if (cut !== -1) params.FinishedOnKey = finishOnKey;
  } else if (input !== null) {
    params.SpeechResult = input.speech;
    params.Confidence = String(input.confidence ?? 0.9);
    params.Language = verb.attributes.language ?? 'en-US';
  }
  return { kind: 'url', url: action, params };
}

async function record(
  context: CallerContext,
  run: CallRun,
  verb: TwimlElement,
  resolve: (url: string) => string,
  documentUrl: string,
): Promise<Instructions | null> {
  const maxLength = Number(verb.attributes.maxLength ?? 3600);
  const seconds = Math.min(run.script.voicemailSeconds ?? 3, maxLength);
  const startedAt = new Date();
  if ((await run.wait(scaled(context, seconds))) !== 'elapsed') return null;
  const recordingSid = `RE${randomBytes(16).toString('hex')}`;
  const recordingUrl = `https://api.twilio.com/2010-04-01/Accounts/${context.accountSid}/Recordings/${recordingSid}`;
  const recorded = {
    RecordingUrl: recordingUrl,
    RecordingSid: recordingSid,
    RecordingDuration: String(seconds),
  };
  const statusCallback = verb.attributes.recordingStatusCallback;
  const events = (verb.attributes.recordingStatusCallbackEvent ?? 'completed').split(/[ ,]+/);
  // The file is ready a moment after the caller finished: its status follows the action.
  const after = () => {
    if (!statusCallback || !events.includes('completed')) return;
    const posting = notify(context, run, resolve(statusCallback), {
      AccountSid: context.accountSid,
      CallSid: run.call.sid,
      ErrorCode: '0',
      RecordingChannels: '1',
      RecordingDuration: String(seconds),
      RecordingSid: recordingSid,
      RecordingSource: 'RecordVerb',
      RecordingStartTime: startedAt.toUTCString().replace('GMT', '+0000'),
      RecordingStatus: 'completed',
      RecordingTrack: 'inbound',
      RecordingUrl: recordingUrl,
    });
    run.background.push(posting);
  };
  return {
    kind: 'url',
    url: resolve(verb.attributes.action ?? documentUrl),
    params: { ...standardParams(context, run, 'in-progress'), ...recorded, Digits: 'hangup' },
    after,
  };
}

async function dial(
  context: CallerContext,
  run: CallRun,
  verb: TwimlElement,
  resolve: (url: string) => string,
): Promise<Instructions | null | 'stop'> {
  const conference = verb.children.find((child) => child.name === 'Conference');
  if (conference) return waitInConference(context, run, conference);
  const number = verb.children.find((child) => ['Number', 'Sip', 'Client'].includes(child.name));
  const to = number?.text || verb.text;
  run.log({ kind: 'event', event: 'transferred', detail: to });
  run.transferred = true;
  // The far end answers and talks; then Twilio goes on after the <Dial>.
  const talk = run.script.talkSeconds ?? 5;
  const started = Date.now();
  if ((await run.wait(scaled(context, talk))) !== 'elapsed') return 'stop';
  run.transcript.talkedSeconds += (Date.now() - started) / 1000 / context.behaviour.timeScale;
  const action = verb.attributes.action;
  if (action) {
    return {
      kind: 'url',
      url: resolve(action),
      params: {
        ...standardParams(context, run, 'in-progress'),
        DialCallStatus: 'completed',
        DialCallSid: `CA${randomBytes(16).toString('hex')}`,
        DialCallDuration: String(talk),
        DialBridged: 'true',
      },
    };
  }
  return null;
}

async function waitInConference(
  context: CallerContext,
  run: CallRun,
  element: TwimlElement,
): Promise<'stop'> {
  const conference = context.fake.joinConference(
    run.call.sid,
    element.text,
    conferenceOptionsOf(element.attributes),
  );
  if (run.conferenceSid) context.byConference.delete(run.conferenceSid);
  run.conferenceSid = conference.sid;
  context.byConference.set(conference.sid, run);
  run.transcript.conferences.push(element.text);
  run.log({ kind: 'event', event: 'joined-conference', detail: element.text });

  const waitStarted = Date.now();
  const waited = await run.wait(scaled(context, run.script.patienceSeconds ?? 60), true);
  run.transcript.waitedSeconds += (Date.now() - waitStarted) / 1000 / context.behaviour.timeScale;
  if (waited === 'elapsed') {
    run.abandoned = true;
    run.hangUp('caller gave up waiting for an agent');
    return 'stop';
  }
  if (waited !== 'joined') return 'stop';

  run.agentJoined = true;
  run.transcript.agentJoinedAt ??= new Date();
  run.log({ kind: 'event', event: 'agent-joined' });
  const talkStarted = Date.now();
  const limit =
    run.script.hangsUp === 'agent'
      ? scaled(context, run.script.maxCallSeconds ?? 900)
      : scaled(context, run.script.talkSeconds ?? 5);
  const talked = await run.wait(limit);
  run.transcript.talkedSeconds += (Date.now() - talkStarted) / 1000 / context.behaviour.timeScale;
  if (talked === 'elapsed') {
    run.hangUp(run.script.hangsUp === 'agent' ? 'the agent never hung up' : 'caller hung up after talking');
  }
  return 'stop';
}
