import { randomBytes, randomUUID } from 'node:crypto';
import twilio from 'twilio';
import type { DeliveryMode, FakeCall, FakeEvent, TwilioFake } from '../twilio-fake/index.js';
import { parseTwiml, spokenText, type TwimlElement } from './twiml.js';

/**
 * Plays Twilio's part of inbound calls against a CTI server: it dials in through the Twilio fake
 * (so the server's REST commands find the call), POSTs the signed voice webhook, and follows the
 * TwiML it gets back as Twilio would (`Say`, `Play`, `Pause`, `Gather`, `Redirect`, `Record`,
 * `Dial` with `Conference` or `Number`, `Hangup`) until the call ends. In a conference it waits
 * for an Agent to join, talks, and hangs up; the fake posts the status callbacks.
 */

/** Keys (`'1'`, `'1234#'`, `'#'`) or a spoken answer. */
export type CallerInput = string | { speech: string; confidence?: number };

/** One `<Gather>` as the caller hears it. */
export interface GatherPrompt {
  /** Everything said inside it (the prompts), in order. */
  text: string;
  /** 0 for the call's first `<Gather>`, then 1, 2, … */
  index: number;
  /** Its attributes (`action`, `numDigits`, `finishOnKey`, `input`, …). */
  attributes: Record<string, string>;
}

/** What one caller does. Durations in seconds; every field has a default. */
export interface CallerScript {
  /**
   * What to answer at each `<Gather>`: a list used in order (null: stay silent), or a function of
   * the prompt. Silence lets the `<Gather>` time out. Default: silent.
   */
  input?: readonly (CallerInput | null)[] | ((prompt: GatherPrompt) => CallerInput | null);
  /** How long to wait in a conference for an Agent before hanging up (an abandon). Default 60. */
  patienceSeconds?: number;
  /** How long to talk once an Agent joined, before hanging up. Default 5. */
  talkSeconds?: number;
  /** Who ends a connected call: the caller after `talkSeconds` (default), or the server (`agent`). */
  hangsUp?: 'caller' | 'agent';
  /** Hang up this many seconds after dialling if still in the IVR (an abandon in the IVR). Default never. */
  abandonInIvrAfterSeconds?: number;
  /** Length of a voicemail left at a `<Record>`. Default 3. */
  voicemailSeconds?: number;
  /** The call is ended (and counted failed) after this long whatever happens. Default 900. */
  maxCallSeconds?: number;
  /** How the fake delivers this call's status callbacks (duplicates, late ones). Default: the fake's. */
  callbacks?: DeliveryMode;
  /** Probability (0–1) that a webhook is sent twice, as a Twilio retry (same idempotency token). Default 0. */
  duplicateWebhooks?: number;
}

/** How the caller's side spends time in the IVR. Milliseconds; defaults suit tests (no waiting). */
export interface CallerBehaviour {
  /** Time a `<Say>` takes. Default 0. */
  sayMs?: number;
  /** Time a `<Play>` takes. Default 0. */
  playMs?: number;
  /** Longest `<Pause>`, whatever its `length`. Default 0. */
  maxPauseMs?: number;
  /** Time before pressing keys or speaking at a `<Gather>`. Default 0. */
  thinkMs?: number;
  /**
   * Time a `<Gather>` waits for nothing when the caller stays silent, instead of its `timeout`
   * seconds. Default 0.
   */
  silenceMs?: number;
  /** Seconds per simulated second of patience, talk and voicemail (0.01 runs them 100× faster). Default 1. */
  timeScale?: number;
  /** Webhook request timeout. Default 15000, Twilio's. */
  requestTimeoutMs?: number;
  /** Webhooks one call may make before it is failed as a loop. Default 200. */
  maxRequests?: number;
}

export interface CallerEngineOptions {
  /** Where the server listens: the webhooks are POSTed here. */
  serverBaseUrl: string;
  /** The server's `PUBLIC_BASE_URL`: webhook URLs are signed as this origin, as Twilio signs them. */
  publicBaseUrl: string;
  accountSid: string;
  authToken: string;
  fake: TwilioFake;
  /** The number dialled and the callers, when `placeCall` does not say. */
  numbers?: { to: string; from: () => string };
  behaviour?: CallerBehaviour;
}

/** How the call ended, from the caller's side. */
export type CallerOutcome =
  /** An Agent joined; then someone hung up. */
  | 'answered'
  /** The caller gave up waiting in the conference, or in the IVR. */
  | 'abandoned'
  /** The IVR ended the call (`<Hangup>`, voicemail, a callback booked) before any queue. */
  | 'ended_in_ivr'
  /** The server ended the call while the caller waited, without an Agent joining. */
  | 'ended_by_server'
  /** `<Dial><Number>`: handed to another number. */
  | 'transferred'
  /** Hung up by `hangUpAll` (the simulation stopped) before an Agent joined. */
  | 'stopped'
  /** A webhook failed (status, timeout, not TwiML), a loop, or the call ran past its limit. */
  | 'failed';

export interface WebhookExchange {
  /** The URL as signed (public). */
  url: string;
  params: Record<string, string>;
  status: number | null;
  body: string;
  ms: number;
  retry: boolean;
  error?: string;
}

export type TranscriptEvent =
  | { kind: 'webhook'; exchange: WebhookExchange }
  | { kind: 'verb'; verb: string; detail?: string }
  | { kind: 'event'; event: string; detail?: string };

/** A transcript line; `atMs` counts from dialling. */
export type TranscriptEntry = { atMs: number } & TranscriptEvent;

export interface CallTranscript {
  callSid: string;
  from: string;
  to: string;
  startedAt: Date;
  endedAt: Date;
  outcome: CallerOutcome;
  /** Who ended it and why, in a few words (`caller hung up after talking`, `server hung up`, …). */
  endReason: string;
  /** Every verb followed, in order. */
  verbs: string[];
  webhooks: WebhookExchange[];
  entries: TranscriptEntry[];
  /** What the caller answered at each `<Gather>`. */
  inputs: { prompt: string; input: CallerInput | null }[];
  /** Conferences the caller waited in, by name. */
  conferences: string[];
  agentJoinedAt: Date | null;
  /** Seconds in conferences before an Agent joined (or until hanging up). */
  waitedSeconds: number;
  talkedSeconds: number;
  errors: string[];
}

export interface CallerEngine {
  placeCall(call?: { from?: string; to?: string; script?: CallerScript }): Promise<CallTranscript>;
  /** Calls not ended yet. */
  readonly active: number;
  /** Hangs every live call up (as the callers would) and waits for them to finish. */
  hangUpAll(): Promise<void>;
  /** Stops listening to the fake. Live calls are hung up first. */
  close(): Promise<void>;
}

/** What Twilio does next: request a URL (then run `after`, once answered), or run TwiML it was given. */
type Instructions =
  | { kind: 'url'; url: string; params?: Record<string, string>; after?: () => void }
  | { kind: 'twiml'; twiml: string };

/** What interrupts a wait: the call ended, or the server gave it new instructions. */
type Wake = 'elapsed' | 'ended' | 'redirected' | 'joined';

const ENDED = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);

class CallFailed extends Error {}

export function createCallerEngine(options: CallerEngineOptions): CallerEngine {
  const { fake, accountSid, authToken } = options;
  const publicOrigin = new URL(options.publicBaseUrl).origin;
  const serverOrigin = new URL(options.serverBaseUrl).origin;
  const behaviour = {
    sayMs: 0,
    playMs: 0,
    maxPauseMs: 0,
    thinkMs: 0,
    silenceMs: 0,
    timeScale: 1,
    requestTimeoutMs: 15_000,
    maxRequests: 200,
    ...options.behaviour,
  };
  const runs = new Map<string, CallRun>();
  const byConference = new Map<string, CallRun>();
  const finished = new Set<Promise<CallTranscript>>();

  const unsubscribe = fake.on((event: FakeEvent) => {
    switch (event.type) {
      case 'call-status':
        runs.get(event.call.sid)?.statusChanged(event.call);
        break;
      case 'call-redirected':
        runs.get(event.call.sid)?.redirected(event.twiml, event.url);
        break;
      case 'participant-connected':
        byConference.get(event.conference.sid)?.participantConnected(event.callSid);
        break;
      default:
        break;
    }
  });

  /** One live call: its state and the waits the script is in. */
  class CallRun {
    readonly started = Date.now();
    readonly transcript: CallTranscript;
    endedBy: 'caller' | 'other' | null = null;
    endStatus: string | null = null;
    private wake: ((why: Wake) => void) | null = null;
    pending: Instructions | null = null;
    conferenceSid: string | null = null;
    agentJoined = false;
    abandoned = false;
    transferred = false;
    failed = false;
    overran = false;
    stopped = false;
    requests = 0;
    gathers = 0;
    /** Callbacks sent beside the flow (a recording's status); the transcript waits for them. */
    readonly background: Promise<void>[] = [];

    constructor(
      readonly call: FakeCall,
      readonly script: CallerScript,
    ) {
      const now = new Date();
      this.transcript = {
        callSid: call.sid,
        from: call.from,
        to: call.to,
        startedAt: now,
        endedAt: now,
        outcome: 'failed',
        endReason: '',
        verbs: [],
        webhooks: [],
        entries: [],
        inputs: [],
        conferences: [],
        agentJoinedAt: null,
        waitedSeconds: 0,
        talkedSeconds: 0,
        errors: [],
      };
    }

    get ended(): boolean {
      return this.endStatus !== null;
    }

    log(entry: TranscriptEvent): void {
      this.transcript.entries.push({ atMs: Date.now() - this.started, ...entry });
    }

    statusChanged(call: FakeCall): void {
      if (!ENDED.has(call.status) || this.ended) return;
      this.endStatus = call.status;
      this.endedBy ??= 'other';
      this.log({ kind: 'event', event: 'call-ended', detail: call.status });
      this.poke('ended');
    }

    redirected(twiml: string | null, url: string | null): void {
      this.pending = twiml !== null ? { kind: 'twiml', twiml } : url !== null ? { kind: 'url', url } : null;
      this.log({ kind: 'event', event: 'redirected-by-server', detail: twiml ?? url ?? '' });
      this.poke('redirected');
    }

    participantConnected(callSid: string): void {
      if (callSid === this.call.sid) return;
      this.log({ kind: 'event', event: 'participant-connected', detail: callSid });
      this.poke('joined');
    }

    private poke(why: Wake): void {
      const wake = this.wake;
      this.wake = null;
      wake?.(why);
    }

    /** Waits `ms`, unless the call ends or is redirected first (or, with `untilJoined`, an Agent joins). */
    wait(ms: number, untilJoined = false): Promise<Wake> {
      if (this.ended) return Promise.resolve('ended');
      if (this.pending) return Promise.resolve('redirected');
      if (untilJoined && this.agentPresent()) return Promise.resolve('joined');
      return new Promise<Wake>((resolve) => {
        const handler = (why: Wake) => {
          if (why === 'joined' && !untilJoined) {
            // Not what this wait is for: keep waiting.
            this.wake = handler;
            return;
          }
          clearTimeout(timer);
          this.wake = null;
          resolve(why);
        };
        const timer = setTimeout(
          () => {
            this.wake = null;
            resolve('elapsed');
          },
          Math.max(0, ms),
        );
        this.wake = handler;
      });
    }

    agentPresent(): boolean {
      if (!this.conferenceSid) return false;
      const conference = fake.conferences.get(this.conferenceSid);
      if (!conference || conference.status === 'completed') return false;
      return [...conference.participants.values()].some(
        (participant) => participant.callSid !== this.call.sid && participant.status === 'connected',
      );
    }

    hangUp(reason: string): void {
      if (this.ended) return;
      this.endedBy = 'caller';
      this.transcript.endReason ||= reason;
      fake.endCall(this.call.sid, 'completed');
    }
  }

  // --- webhooks ------------------------------------------------------------------------------

  function standardParams(run: CallRun, callStatus: string): Record<string, string> {
    const { call } = run;
    const fromCountry = countryOf(call.from);
    const toCountry = countryOf(call.to);
    return {
      AccountSid: accountSid,
      ApiVersion: '2010-04-01',
      CallSid: call.sid,
      CallStatus: callStatus,
      Called: call.to,
      CalledCity: '',
      CalledCountry: toCountry,
      CalledState: '',
      CalledZip: '',
      Caller: call.from,
      CallerCity: '',
      CallerCountry: fromCountry,
      CallerState: '',
      CallerZip: '',
      Direction: 'inbound',
      From: call.from,
      FromCity: '',
      FromCountry: fromCountry,
      FromState: '',
      FromZip: '',
      To: call.to,
      ToCity: '',
      ToCountry: toCountry,
      ToState: '',
      ToZip: '',
    };
  }

  /** Where a URL from TwiML is POSTed: our server's listening origin in place of its public one. */
  function target(url: string): string {
    const parsed = new URL(url);
    return parsed.origin === publicOrigin ? serverOrigin + parsed.pathname + parsed.search : url;
  }

  async function send(
    url: string,
    params: Record<string, string>,
    token: string,
    retry: boolean,
  ): Promise<WebhookExchange> {
    const started = Date.now();
    const exchange: WebhookExchange = { url, params, status: null, body: '', ms: 0, retry };
    try {
      const response = await fetch(target(url), {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'user-agent': 'TwilioProxy/1.1',
          'x-twilio-signature': twilio.getExpectedTwilioSignature(authToken, url, params),
          'i-twilio-idempotency-token': token,
        },
        body: new URLSearchParams(params).toString(),
        signal: AbortSignal.timeout(behaviour.requestTimeoutMs),
      });
      exchange.status = response.status;
      exchange.body = await response.text();
    } catch (error) {
      exchange.error = error instanceof Error ? error.message : String(error);
    }
    exchange.ms = Date.now() - started;
    return exchange;
  }

  /** POSTs a signed webhook (twice, as a retry, at `duplicateWebhooks`); returns the first answer. */
  async function webhook(
    run: CallRun,
    url: string,
    params: Record<string, string>,
  ): Promise<WebhookExchange> {
    run.requests += 1;
    if (run.requests > behaviour.maxRequests) {
      throw new CallFailed(`more than ${behaviour.maxRequests} webhooks: the TwiML loops`);
    }
    const token = randomUUID();
    const first = await send(url, params, token, false);
    run.transcript.webhooks.push(first);
    run.log({ kind: 'webhook', exchange: first });
    const duplicate = run.script.duplicateWebhooks ?? 0;
    if (duplicate > 0 && Math.random() < duplicate) {
      const again = await send(url, params, token, true);
      run.transcript.webhooks.push(again);
      run.log({ kind: 'webhook', exchange: again });
    }
    return first;
  }

  /** A webhook that must answer TwiML, as Twilio needs to go on with the call. */
  async function fetchTwiml(run: CallRun, url: string, params: Record<string, string>): Promise<string> {
    const exchange = await webhook(run, url, params);
    if (exchange.error !== undefined) throw new CallFailed(`POST ${url}: ${exchange.error}`);
    if (exchange.status !== 200) {
      throw new CallFailed(`POST ${url}: ${exchange.status} ${exchange.body.slice(0, 300)}`);
    }
    return exchange.body;
  }

  /** A callback whose answer does not steer the call (a recording's status). */
  async function notify(run: CallRun, url: string, params: Record<string, string>): Promise<void> {
    const exchange = await webhook(run, url, params);
    if (exchange.error !== undefined || exchange.status === null || exchange.status >= 400) {
      run.transcript.errors.push(
        `POST ${url}: ${exchange.error ?? `${exchange.status} ${exchange.body.slice(0, 200)}`}`,
      );
    }
  }

  // --- following TwiML -------------------------------------------------------------------------

  const scaled = (seconds: number) => seconds * 1000 * behaviour.timeScale;

  /**
   * Runs one TwiML document. Resolves with what Twilio would request next, or null once the call
   * is over. A redirect by the server (REST) interrupts it.
   */
  async function execute(run: CallRun, documentUrl: string, twiml: string): Promise<Instructions | null> {
    const response = parseTwiml(twiml);
    const resolve = (url: string) => new URL(url, documentUrl).toString();
    for (const verb of response.children) {
      if (run.ended) return null;
      if (run.pending) return null;
      run.transcript.verbs.push(verb.name);
      run.log({ kind: 'verb', verb: verb.name, detail: spokenText(verb).slice(0, 200) });
      switch (verb.name) {
        case 'Say':
          if ((await run.wait(behaviour.sayMs)) !== 'elapsed') return null;
          break;
        case 'Play':
          if ((await run.wait(behaviour.playMs)) !== 'elapsed') return null;
          break;
        case 'Pause': {
          const ms = Math.min(Number(verb.attributes.length ?? 1) * 1000, behaviour.maxPauseMs);
          if ((await run.wait(ms)) !== 'elapsed') return null;
          break;
        }
        case 'Gather': {
          const next = await gather(run, verb, resolve);
          if (next === 'stop') return null;
          if (next) return next;
          break;
        }
        case 'Redirect':
          return { kind: 'url', url: resolve(verb.text || documentUrl) };
        case 'Record':
          return record(run, verb, resolve, documentUrl);
        case 'Dial': {
          const next = await dial(run, verb, resolve);
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
    const saying = verb.children.filter((child) => child.name === 'Say').length * behaviour.sayMs;
    const playing = verb.children.filter((child) => child.name === 'Play').length * behaviour.playMs;
    if ((await run.wait(saying + playing)) !== 'elapsed') return 'stop';
    const input = answerOf(run, prompt);
    run.transcript.inputs.push({ prompt: prompt.text, input });
    if (input === null) {
      if ((await run.wait(behaviour.silenceMs)) !== 'elapsed') return 'stop';
      // Silence: Twilio goes on with the next verb, unless told to post the empty result.
      if (verb.attributes.actionOnEmptyResult !== 'true') return null;
    } else if ((await run.wait(behaviour.thinkMs)) !== 'elapsed') {
      return 'stop';
    }
    const action = resolve(verb.attributes.action ?? '');
    const params: Record<string, string> = { ...standardParams(run, 'in-progress'), msg: 'Gather End' };
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
    run: CallRun,
    verb: TwimlElement,
    resolve: (url: string) => string,
    documentUrl: string,
  ): Promise<Instructions | null> {
    const maxLength = Number(verb.attributes.maxLength ?? 3600);
    const seconds = Math.min(run.script.voicemailSeconds ?? 3, maxLength);
    const startedAt = new Date();
    if ((await run.wait(scaled(seconds))) !== 'elapsed') return null;
    const recordingSid = `RE${randomBytes(16).toString('hex')}`;
    const recordingUrl = `https://api.twilio.com/2010-04-01/Accounts/${accountSid}/Recordings/${recordingSid}`;
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
      const posting = notify(run, resolve(statusCallback), {
        AccountSid: accountSid,
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
      params: { ...standardParams(run, 'in-progress'), ...recorded, Digits: 'hangup' },
      after,
    };
  }

  async function dial(
    run: CallRun,
    verb: TwimlElement,
    resolve: (url: string) => string,
  ): Promise<Instructions | null | 'stop'> {
    const conference = verb.children.find((child) => child.name === 'Conference');
    if (conference) return waitInConference(run, conference);
    const number = verb.children.find((child) => ['Number', 'Sip', 'Client'].includes(child.name));
    const to = number?.text || verb.text;
    run.log({ kind: 'event', event: 'transferred', detail: to });
    run.transferred = true;
    // The far end answers and talks; then Twilio goes on after the <Dial>.
    const talk = run.script.talkSeconds ?? 5;
    const started = Date.now();
    if ((await run.wait(scaled(talk))) !== 'elapsed') return 'stop';
    run.transcript.talkedSeconds += (Date.now() - started) / 1000 / behaviour.timeScale;
    const action = verb.attributes.action;
    if (action) {
      return {
        kind: 'url',
        url: resolve(action),
        params: {
          ...standardParams(run, 'in-progress'),
          DialCallStatus: 'completed',
          DialCallSid: `CA${randomBytes(16).toString('hex')}`,
          DialCallDuration: String(talk),
          DialBridged: 'true',
        },
      };
    }
    return null;
  }

  async function waitInConference(run: CallRun, element: TwimlElement): Promise<'stop'> {
    const { attributes } = element;
    const conference = fake.joinConference(run.call.sid, element.text, {
      startConferenceOnEnter: attributes.startConferenceOnEnter !== 'false',
      endConferenceOnExit: attributes.endConferenceOnExit === 'true',
      ...(attributes.participantLabel !== undefined && { label: attributes.participantLabel }),
      ...(attributes.statusCallback !== undefined && { statusCallback: attributes.statusCallback }),
      ...(attributes.statusCallbackEvent !== undefined && {
        statusCallbackEvents: attributes.statusCallbackEvent.split(/[ ,]+/).filter(Boolean),
      }),
    });
    if (run.conferenceSid) byConference.delete(run.conferenceSid);
    run.conferenceSid = conference.sid;
    byConference.set(conference.sid, run);
    run.transcript.conferences.push(element.text);
    run.log({ kind: 'event', event: 'joined-conference', detail: element.text });

    const waitStarted = Date.now();
    const waited = await run.wait(scaled(run.script.patienceSeconds ?? 60), true);
    run.transcript.waitedSeconds += (Date.now() - waitStarted) / 1000 / behaviour.timeScale;
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
        ? scaled(run.script.maxCallSeconds ?? 900)
        : scaled(run.script.talkSeconds ?? 5);
    const talked = await run.wait(limit);
    run.transcript.talkedSeconds += (Date.now() - talkStarted) / 1000 / behaviour.timeScale;
    if (talked === 'elapsed') {
      run.hangUp(run.script.hangsUp === 'agent' ? 'the agent never hung up' : 'caller hung up after talking');
    }
    return 'stop';
  }

  // --- a whole call ----------------------------------------------------------------------------

  async function follow(run: CallRun): Promise<void> {
    const voiceUrl = `${publicOrigin}/twilio/voice`;
    let next: Instructions | null = {
      kind: 'url',
      url: voiceUrl,
      params: standardParams(run, 'ringing'),
    };
    let documentUrl = voiceUrl;
    while (next && !run.ended) {
      let twiml: string;
      if (next.kind === 'url') {
        documentUrl = next.url;
        twiml = await fetchTwiml(run, next.url, next.params ?? standardParams(run, 'in-progress'));
        next.after?.();
      } else {
        twiml = next.twiml;
      }
      if (run.ended) break;
      next = await execute(run, documentUrl, twiml);
      if (!next && run.pending && !run.ended) {
        next = run.pending;
        run.pending = null;
      }
    }
  }

  async function placeCall(
    request: { from?: string; to?: string; script?: CallerScript } = {},
  ): Promise<CallTranscript> {
    const from = request.from ?? options.numbers?.from();
    const to = request.to ?? options.numbers?.to;
    if (!from || !to) throw new Error('placeCall needs from and to (or the engine’s numbers)');
    const script = request.script ?? {};
    const call = fake.arrive({
      from,
      to,
      statusCallback: `${publicOrigin}/twilio/call-status`,
      ...(script.callbacks && { delivery: script.callbacks }),
    });
    const run = new CallRun(call, script);
    runs.set(call.sid, run);

    const limit = setTimeout(
      () => {
        run.transcript.errors.push(`still going after ${script.maxCallSeconds ?? 900} s`);
        run.overran = true;
        run.hangUp('call ran past maxCallSeconds');
      },
      scaled(script.maxCallSeconds ?? 900),
    );
    const ivrAbandon =
      script.abandonInIvrAfterSeconds === undefined
        ? undefined
        : setTimeout(() => {
            if (run.conferenceSid === null && !run.transferred) {
              run.abandoned = true;
              run.hangUp('caller hung up in the IVR');
            }
          }, scaled(script.abandonInIvrAfterSeconds));

    const done = (async () => {
      try {
        await follow(run);
      } catch (error) {
        run.failed = true;
        run.transcript.errors.push(error instanceof Error ? error.message : String(error));
        // Twilio says "an application error has occurred" and hangs up.
        run.hangUp('webhook failed');
      } finally {
        clearTimeout(limit);
        if (ivrAbandon) clearTimeout(ivrAbandon);
      }
      await Promise.allSettled(run.background);
      await fake.settled(run.call.sid);
      return finish(run);
    })();
    finished.add(done);
    void done.finally(() => finished.delete(done));
    return done;
  }

  function finish(run: CallRun): CallTranscript {
    runs.delete(run.call.sid);
    if (run.conferenceSid) byConference.delete(run.conferenceSid);
    const t = run.transcript;
    t.endedAt = new Date();
    if (!t.endReason) {
      t.endReason =
        run.endedBy === 'other'
          ? `server ended the call (${run.endStatus ?? 'completed'})`
          : 'caller hung up';
    }
    t.outcome =
      run.failed || run.overran
        ? 'failed'
        : run.agentJoined
          ? 'answered'
          : run.abandoned
            ? 'abandoned'
            : run.transferred
              ? 'transferred'
              : run.stopped
                ? 'stopped'
                : run.endedBy === 'other'
                  ? 'ended_by_server'
                  : 'ended_in_ivr';
    return t;
  }

  return {
    placeCall,
    get active() {
      return runs.size;
    },
    async hangUpAll() {
      for (const run of runs.values()) {
        run.stopped = !run.ended;
        run.hangUp('simulation stopped');
      }
      await Promise.allSettled([...finished]);
    },
    async close() {
      for (const run of runs.values()) {
        run.stopped = !run.ended;
        run.hangUp('simulation stopped');
      }
      await Promise.allSettled([...finished]);
      unsubscribe();
    },
  };
}

/** Twilio's `FromCountry`: the ISO country of a number, for the few we simulate. */
function countryOf(number: string): string {
  if (number.startsWith('+1')) return 'US';
  if (number.startsWith('+86')) return 'CN';
  if (number.startsWith('+44')) return 'GB';
  return '';
}

/**
 * The fake's `deliver` for a server whose public origin is not where it listens (behind a proxy, or
 * a test server on a random port): callbacks signed for `publicBaseUrl` are POSTed to `serverBaseUrl`.
 */
export function deliverVia(
  serverBaseUrl: string,
  publicBaseUrl: string,
): (request: { url: string; headers: Record<string, string>; body: string }) => Promise<number> {
  const publicOrigin = new URL(publicBaseUrl).origin;
  const serverOrigin = new URL(serverBaseUrl).origin;
  return async ({ url, headers, body }) => {
    const parsed = new URL(url);
    const to = parsed.origin === publicOrigin ? serverOrigin + parsed.pathname + parsed.search : url;
    const response = await fetch(to, { method: 'POST', headers, body, signal: AbortSignal.timeout(15_000) });
    await response.arrayBuffer();
    return response.status;
  };
}
