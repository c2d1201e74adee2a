import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { FAKE_RECORDING_MP3, sendRecordingMedia } from './media.js';

/**
 * A stateful stand-in for the part of Twilio's REST API (2010-04-01) the console uses: calls,
 * conferences and their participants, call recordings. No real peer can run offline (no local
 * Twilio exists), and Prism serving Twilio's OpenAPI spec checks shapes but keeps no state.
 *
 * It answers like Twilio: snake_case JSON, `{ code, message, more_info, status }` errors (404
 * 20404 for unknown SIDs, 401 20003 for bad credentials), form bodies with repeated keys kept as
 * arrays. Error codes for missing parameters are the fake's own; assert the status, not the code.
 * Reach it through `RedirectingRequestClient` so the official client and its encoding stay real.
 *
 * With `statusCallbacks` it also plays Twilio's side of the call: signed call, recording and (with
 * `conferenceCallbacks`) conference status callbacks, delivered in order per call unless a
 * `delivery` mode asks for retries or reordering; with `autoAnswer` the legs the server places ring
 * and answer by themselves. `on` tells a caller simulator what happens to its call.
 */

export type FormParams = Record<string, string | string[]>;

export interface RecordedRequest {
  method: string;
  /** The path without the query string. */
  path: string;
  query: FormParams;
  form: FormParams;
  headers: IncomingHttpHeaders;
}

export type FakeCallStatus =
  'queued' | 'ringing' | 'in-progress' | 'completed' | 'busy' | 'failed' | 'no-answer' | 'canceled';

export interface FakeCall {
  sid: string;
  from: string;
  to: string;
  direction: 'inbound' | 'outbound-api';
  status: FakeCallStatus;
  /** The conference the call is in, or is being dialled into. */
  conferenceSid: string | null;
  /** The last TwiML or URL the call was given. */
  twiml: string | null;
  url: string | null;
  statusCallback: string | null;
  /** Events posted to `statusCallback`; Twilio's default is `completed` only. */
  statusCallbackEvents: string[];
  /** The next `SequenceNumber` of this call's status callbacks. */
  sequence: number;
  createdAt: Date;
  answeredAt: Date | null;
  /** When it ended, whatever the end status. */
  endedAt: Date | null;
  /** When its status last changed. */
  updatedAt: Date;
  /** How this call's callbacks are delivered; the fake's `delivery` when null. */
  delivery: DeliveryMode | null;
}

export interface FakeParticipant {
  callSid: string;
  label: string | null;
  status: 'queued' | 'connected';
  hold: boolean;
  holdUrl: string | null;
  muted: boolean;
  startConferenceOnEnter: boolean;
  endConferenceOnExit: boolean;
}

export interface FakeConference {
  sid: string;
  friendlyName: string;
  status: 'init' | 'in-progress' | 'completed';
  /** Current participants by CallSid; a participant that left is gone, as in Twilio's API. */
  participants: Map<string, FakeParticipant>;
  createdAt: Date;
  /** Set by the first participant that brings one (TwiML `statusCallback`, REST `ConferenceStatusCallback`). */
  statusCallback: string | null;
  /** `start end join leave mute hold modify speaker announcement`, as subscribed. */
  statusCallbackEvents: string[];
  sequence: number;
}

export interface FakeRecording {
  sid: string;
  callSid: string;
  status: 'in-progress' | 'paused' | 'stopped' | 'completed';
  channels: 1 | 2;
  statusCallback: string | null;
  statusCallbackEvents: string[];
  startedAt: Date;
}

/** A status callback the fake sent, signed as Twilio signs it. */
export interface CallbackDelivery {
  url: string;
  params: Record<string, string>;
  headers: Record<string, string>;
  /** The receiver's HTTP status, or the delivery error. */
  result: { status: number } | { error: string };
  /** A second delivery of the same callback (same idempotency token), as Twilio retries. */
  retry: boolean;
  /** Held back and delivered after later callbacks of its call. */
  late: boolean;
}

/**
 * How callbacks reach the server. By default each call's callbacks go one after the other, in
 * `SequenceNumber` order, each waiting for the previous one's answer; Twilio promises neither.
 */
export interface DeliveryMode {
  /** Probability (0–1) that a callback is delivered twice, as a Twilio retry: same body, same `I-Twilio-Idempotency-Token`. Default 0. */
  duplicate?: number;
  /** Probability (0–1) that a callback is held back `lateMs` and overtaken by the call's later ones. Default 0. */
  reorder?: number;
  /** How long a held-back callback waits, in ms. Default 250. */
  lateMs?: number;
}

/** What the far end of a leg the server placed does when `autoAnswer` is on. */
export type AutoAnswerDecision = 'answer' | 'busy' | 'no-answer' | 'failed' | 'manual';

export interface AutoAnswerOptions {
  /** Ms from the leg being placed to its answer (or refusal). Default 300. */
  afterMs?: number;
  /** Per leg: answer it, refuse it, or leave it to the test (`manual`). Default: answer every leg. */
  decide?: (call: FakeCall) => AutoAnswerDecision;
}

/** What happened inside the fake, for simulators that play a caller. */
export type FakeEvent =
  | { type: 'call-status'; call: FakeCall }
  | { type: 'participant-connected'; conference: FakeConference; callSid: string }
  | { type: 'participant-left'; conference: FakeConference; callSid: string }
  | { type: 'conference-ended'; conference: FakeConference }
  /** The server gave a live call new instructions (`POST Calls/{sid}` with `Twiml` or `Url`). */
  | { type: 'call-redirected'; call: FakeCall; twiml: string | null; url: string | null };

export interface JoinConferenceOptions {
  /** Default true, as in TwiML. */
  startConferenceOnEnter?: boolean;
  /** Default false, as in TwiML. */
  endConferenceOnExit?: boolean;
  label?: string;
  /** The conference's status callback, kept if this participant is the first to bring one. */
  statusCallback?: string;
  statusCallbackEvents?: string[];
}

export interface TwilioFakeOptions {
  accountSid: string;
  authToken: string;
  /** TCP port to listen on. Default 0 (a free one). */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** Post call and recording status callbacks to the URLs the client gave. Default false. */
  statusCallbacks?: boolean;
  /** Also post conference status callbacks (`participant-join`, `conference-end`, …). Default false. */
  conferenceCallbacks?: boolean;
  /** Legs placed through the REST API answer by themselves. Default false: the test calls `answer`. */
  autoAnswer?: boolean | AutoAnswerOptions;
  /** Default delivery of every callback; a call's own (`arrive`) wins. Default: in order, once. */
  delivery?: DeliveryMode;
  /** Randomness of `delivery` (0 ≤ x < 1). Default Math.random. */
  random?: () => number;
  /**
   * Sends one callback and resolves with the receiver's status. Default: `fetch` to its URL. Tests
   * route public URLs to a local app here; the signature stays computed on the public URL.
   */
  deliver?: (request: { url: string; headers: Record<string, string>; body: string }) => Promise<number>;
}

export interface TwilioFake {
  /** Give it to `RedirectingRequestClient` (or as `TWILIO_API_BASE_URL`). */
  baseUrl: string;
  /** Every request received, in order, including refused ones. */
  requests: RecordedRequest[];
  calls: Map<string, FakeCall>;
  conferences: Map<string, FakeConference>;
  recordings: Map<string, FakeRecording>;
  deliveries: CallbackDelivery[];
  /** How callbacks without a mode of their own are delivered from now on (`options.delivery` at first). */
  delivery: DeliveryMode;
  /** While true, the REST API answers every request 503 (error 20503), as in a Twilio outage. */
  outage: boolean;
  /**
   * A caller dials in. With `conferenceName`, their TwiML parked them in that conference as the
   * console's waiting room does (`startConferenceOnEnter` false, `endConferenceOnExit` true).
   * `statusCallback` is the number's status callback URL (events: `completed` unless told).
   */
  arrive(call: {
    from: string;
    to: string;
    conferenceName?: string;
    statusCallback?: string;
    statusCallbackEvents?: string[];
    delivery?: DeliveryMode;
  }): FakeCall;
  /**
   * The call runs `<Dial><Conference>name</Conference></Dial>`: it leaves any other conference and
   * joins this one, connected at once. Joining the conference it is already in changes nothing.
   */
  joinConference(callSid: string, conferenceName: string, options?: JoinConferenceOptions): FakeConference;
  /** Listens to what happens in the fake; returns the unsubscribe function. */
  on(listener: (event: FakeEvent) => void): () => void;
  /** The far end of a placed call rings, then answers. */
  answer(callSid: string): void;
  /** The call's `<Record>` (a voicemail) finished: a completed recording of it, served as media. */
  leaveRecording(callSid: string): FakeRecording;
  /** The far end ends a call: hangs up (`completed`), or never answers (`busy`, `no-answer`, `failed`). */
  endCall(callSid: string, status?: 'completed' | 'busy' | 'no-answer' | 'failed'): void;
  /**
   * Resolves when every callback sent so far has been delivered (or failed), retries and late ones
   * included; with a call, conference or recording SID, only that one's callbacks.
   */
  settled(sid?: string): Promise<void>;
  close(): Promise<void>;
}

class TwilioError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

const notFound = () => new TwilioError(404, 20404, 'The requested resource was not found');
const missing = (name: string) =>
  new TwilioError(400, 21201, `Missing required parameter ${name} in the post body`);

const ENDED: ReadonlySet<FakeCallStatus> = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);

/** Which status callback event a call status fires. */
const EVENT_OF: Record<FakeCallStatus, string> = {
  queued: 'initiated',
  ringing: 'ringing',
  'in-progress': 'answered',
  completed: 'completed',
  busy: 'completed',
  failed: 'completed',
  'no-answer': 'completed',
  canceled: 'completed',
};

const sidOf = (prefix: string) => prefix + randomBytes(16).toString('hex');
/** Twilio's times have whole seconds: a duration is the difference of two of them. */
const wholeSecond = (date: Date) => Math.floor(date.getTime() / 1000);
/** Twilio's 2010 API writes dates in RFC 2822. */
const rfc2822 = (date: Date) => date.toUTCString().replace('GMT', '+0000');

export async function startTwilioFake(options: TwilioFakeOptions): Promise<TwilioFake> {
  const { accountSid, authToken } = options;
  const expectedAuthorization = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
  const accountPath = `/2010-04-01/Accounts/${accountSid}`;
  const requests: RecordedRequest[] = [];
  const calls = new Map<string, FakeCall>();
  const conferences = new Map<string, FakeConference>();
  const recordings = new Map<string, FakeRecording>();
  const deliveries: CallbackDelivery[] = [];
  const pending = new Set<Promise<void>>();
  /** Deliveries not finished yet, per call, conference or recording SID. */
  const pendingOf = new Map<string, Set<Promise<void>>>();
  const listeners = new Set<(event: FakeEvent) => void>();
  const timers = new Set<NodeJS.Timeout>();
  /** The last delivery queued per call, conference or recording: the next one waits for it. */
  const chains = new Map<string, Promise<void>>();
  const random = options.random ?? Math.random;
  const autoAnswer: Required<AutoAnswerOptions> | null =
    options.autoAnswer === undefined || options.autoAnswer === false
      ? null
      : {
          afterMs: 300,
          decide: () => 'answer',
          ...(options.autoAnswer === true ? {} : options.autoAnswer),
        };
  let defaultDelivery: DeliveryMode = options.delivery ?? {};
  let outage = false;
  let closed = false;
  let baseUrl = '';

  // Twilio gives up on a webhook after 15 s (its default read timeout); so does the fake.
  const deliver =
    options.deliver ??
    (async ({ url, headers, body }) => {
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(15_000),
      });
      await response.arrayBuffer();
      return response.status;
    });

  // --- callbacks -----------------------------------------------------------------------------

  function emit(event: FakeEvent): void {
    for (const listener of listeners) listener(event);
  }

  function later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!closed) run();
    }, ms);
    timers.add(timer);
  }

  function track(chain: string, delivery: Promise<void>): void {
    pending.add(delivery);
    const ofChain = pendingOf.get(chain) ?? new Set<Promise<void>>();
    ofChain.add(delivery);
    pendingOf.set(chain, ofChain);
    void delivery.finally(() => {
      pending.delete(delivery);
      ofChain.delete(delivery);
      if (ofChain.size === 0 && pendingOf.get(chain) === ofChain) pendingOf.delete(chain);
    });
  }

  /**
   * Signs and posts one callback. Callbacks of one `chain` (a call, conference or recording) go one
   * after another; a late one skips the queue and lands after those queued behind it.
   */
  function post(chain: string, url: string, params: Record<string, string>, mode: DeliveryMode | null): void {
    const { duplicate = 0, reorder = 0, lateMs = 250 } = mode ?? defaultDelivery;
    const headers = {
      'content-type': 'application/x-www-form-urlencoded',
      'user-agent': 'TwilioProxy/1.1',
      'x-twilio-signature': twilio.getExpectedTwilioSignature(authToken, url, params),
      'i-twilio-idempotency-token': randomUUID(),
    };
    const body = new URLSearchParams(params).toString();
    const late = reorder > 0 && random() < reorder;
    const retried = duplicate > 0 && random() < duplicate;
    const send = async (retry: boolean) => {
      const result = await deliver({ url, headers, body }).then(
        (status) => ({ status }),
        (error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }),
      );
      deliveries.push({ url, params, headers, result, retry, late });
    };
    const run = async () => {
      await send(false);
      if (retried) await send(true);
    };
    if (late) {
      track(chain, new Promise<void>((resolve) => setTimeout(resolve, lateMs)).then(run));
      return;
    }
    const delivery = (chains.get(chain) ?? Promise.resolve()).then(run);
    chains.set(chain, delivery);
    void delivery.finally(() => {
      if (chains.get(chain) === delivery) chains.delete(chain);
    });
    track(chain, delivery);
  }

  function sendStatusCallback(call: FakeCall): void {
    const event = EVENT_OF[call.status];
    if (!options.statusCallbacks || !call.statusCallback || !call.statusCallbackEvents.includes(event))
      return;
    const now = new Date();
    const params: Record<string, string> = {
      AccountSid: accountSid,
      ApiVersion: '2010-04-01',
      CallSid: call.sid,
      CallStatus: call.status,
      CallbackSource: 'call-progress-events',
      Called: call.to,
      Caller: call.from,
      Direction: call.direction,
      From: call.from,
      SequenceNumber: String(call.sequence++),
      Timestamp: rfc2822(now),
      To: call.to,
    };
    if (event === 'completed') {
      const seconds = call.answeredAt ? Math.round((now.getTime() - call.answeredAt.getTime()) / 1000) : 0;
      params.CallDuration = String(seconds);
      params.Duration = String(Math.ceil(seconds / 60));
    }
    post(call.sid, call.statusCallback, params, call.delivery);
  }

  const CONFERENCE_EVENT: Record<string, string> = {
    start: 'conference-start',
    end: 'conference-end',
    join: 'participant-join',
    leave: 'participant-leave',
  };

  /** `event` is what one subscribes to (`join`); `name` what Twilio reports (`participant-join`). */
  function sendConferenceCallback(
    conference: FakeConference,
    event: 'start' | 'end' | 'join' | 'leave' | 'hold',
    extra: Record<string, string> = {},
    name = CONFERENCE_EVENT[event] ?? event,
  ): void {
    if (
      !options.conferenceCallbacks ||
      !conference.statusCallback ||
      !conference.statusCallbackEvents.includes(event)
    )
      return;
    const params: Record<string, string> = {
      AccountSid: accountSid,
      ConferenceSid: conference.sid,
      FriendlyName: conference.friendlyName,
      SequenceNumber: String(conference.sequence++),
      StatusCallbackEvent: name,
      Timestamp: rfc2822(new Date()),
      ...extra,
    };
    post(conference.sid, conference.statusCallback, params, null);
  }

  function participantParams(participant: FakeParticipant): Record<string, string> {
    return {
      CallSid: participant.callSid,
      Coaching: 'false',
      EndConferenceOnExit: String(participant.endConferenceOnExit),
      Hold: String(participant.hold),
      Muted: String(participant.muted),
      StartConferenceOnEnter: String(participant.startConferenceOnEnter),
      ...(participant.label !== null && { ParticipantLabel: participant.label }),
    };
  }

  function sendRecordingCallback(recording: FakeRecording, status: 'in-progress' | 'completed'): void {
    const wanted = recording.statusCallbackEvents.length > 0 ? recording.statusCallbackEvents : ['completed'];
    if (!options.statusCallbacks || !recording.statusCallback || !wanted.includes(status)) return;
    const seconds = Math.round((Date.now() - recording.startedAt.getTime()) / 1000);
    const params: Record<string, string> = {
      AccountSid: accountSid,
      CallSid: recording.callSid,
      RecordingChannels: String(recording.channels),
      RecordingSid: recording.sid,
      RecordingSource: 'StartCallRecordingAPI',
      RecordingStartTime: rfc2822(recording.startedAt),
      RecordingStatus: status,
      RecordingTrack: 'both',
      RecordingUrl: `https://api.twilio.com${accountPath}/Recordings/${recording.sid}`,
      ...(status === 'completed' && { RecordingDuration: String(seconds), ErrorCode: '0' }),
    };
    post(recording.sid, recording.statusCallback, params, null);
  }

  // --- state changes -------------------------------------------------------------------------

  function setStatus(call: FakeCall, status: FakeCallStatus): void {
    if (call.status === status || ENDED.has(call.status)) return;
    call.status = status;
    call.updatedAt = new Date();
    if (status === 'in-progress') call.answeredAt = call.updatedAt;
    if (ENDED.has(status)) call.endedAt = call.updatedAt;
    sendStatusCallback(call);
    emit({ type: 'call-status', call });
    if (ENDED.has(status)) {
      if (call.conferenceSid) leave(call.conferenceSid, call.sid);
      for (const recording of recordings.values()) {
        if (recording.callSid !== call.sid) continue;
        if (recording.status === 'in-progress' || recording.status === 'paused') {
          recording.status = 'completed';
          sendRecordingCallback(recording, 'completed');
        }
      }
    }
  }

  function conferenceNamed(friendlyName: string): FakeConference {
    for (const conference of conferences.values()) {
      if (conference.friendlyName === friendlyName && conference.status !== 'completed') return conference;
    }
    const conference: FakeConference = {
      sid: sidOf('CF'),
      friendlyName,
      status: 'init',
      participants: new Map(),
      createdAt: new Date(),
      statusCallback: null,
      statusCallbackEvents: [],
      sequence: 0,
    };
    conferences.set(conference.sid, conference);
    return conference;
  }

  /** The first participant bringing a status callback sets the conference's. */
  function subscribe(conference: FakeConference, statusCallback?: string, events?: string[]): void {
    if (conference.statusCallback !== null || statusCallback === undefined) return;
    conference.statusCallback = statusCallback;
    conference.statusCallbackEvents = events?.length ? events : ['start', 'end'];
  }

  function join(
    conference: FakeConference,
    call: FakeCall,
    participant: Omit<FakeParticipant, 'callSid'>,
  ): void {
    call.conferenceSid = conference.sid;
    conference.participants.set(call.sid, { callSid: call.sid, ...participant });
    if (participant.status === 'connected') connected(conference, call.sid);
  }

  function connected(conference: FakeConference, callSid: string): void {
    const participant = conference.participants.get(callSid);
    if (!participant) return;
    participant.status = 'connected';
    sendConferenceCallback(conference, 'join', participantParams(participant));
    if (conference.status === 'init' && participant.startConferenceOnEnter) {
      conference.status = 'in-progress';
      sendConferenceCallback(conference, 'start');
    }
    emit({ type: 'participant-connected', conference, callSid });
  }

  function leave(conferenceSid: string, callSid: string): void {
    const conference = conferences.get(conferenceSid);
    const call = calls.get(callSid);
    if (call) call.conferenceSid = null;
    const participant = conference?.participants.get(callSid);
    if (!conference || !participant) return;
    conference.participants.delete(callSid);
    if (participant.status === 'connected') {
      sendConferenceCallback(conference, 'leave', participantParams(participant));
    }
    emit({ type: 'participant-left', conference, callSid });
    if (participant.endConferenceOnExit && participant.status === 'connected') {
      endConference(conference, {
        ReasonConferenceEnded: 'participant-with-end-conference-on-exit-left',
        CallSidEndingConference: callSid,
      });
    } else if (conference.participants.size === 0) {
      endConference(conference, {
        ReasonConferenceEnded: 'last-participant-left',
        CallSidEndingConference: callSid,
      });
    }
  }

  /** Ends the conference; every leg in it has no TwiML left after its `<Dial>` and hangs up. */
  function endConference(
    conference: FakeConference,
    reason: Record<string, string> = { ReasonConferenceEnded: 'conference-ended-via-api' },
  ): void {
    if (conference.status === 'completed') return;
    conference.status = 'completed';
    const remaining = [...conference.participants.values()];
    conference.participants.clear();
    for (const participant of remaining) {
      if (participant.status === 'connected') {
        sendConferenceCallback(conference, 'leave', participantParams(participant));
      }
      emit({ type: 'participant-left', conference, callSid: participant.callSid });
    }
    sendConferenceCallback(conference, 'end', reason);
    emit({ type: 'conference-ended', conference });
    for (const { callSid } of remaining) {
      const call = calls.get(callSid);
      if (!call) continue;
      call.conferenceSid = null;
      setStatus(call, call.status === 'in-progress' ? 'completed' : 'canceled');
    }
  }

  function newCall(
    fields: Pick<FakeCall, 'from' | 'to' | 'direction' | 'status'> & Partial<FakeCall>,
  ): FakeCall {
    const call: FakeCall = {
      sid: sidOf('CA'),
      conferenceSid: null,
      twiml: null,
      url: null,
      statusCallback: null,
      statusCallbackEvents: ['completed'],
      sequence: 0,
      createdAt: new Date(),
      answeredAt: null,
      endedAt: null,
      updatedAt: new Date(),
      delivery: null,
      ...fields,
    };
    calls.set(call.sid, call);
    return call;
  }

  function joinConference(
    call: FakeCall,
    friendlyName: string,
    joining: JoinConferenceOptions = {},
  ): FakeConference {
    const current = call.conferenceSid ? conferences.get(call.conferenceSid) : undefined;
    if (current?.friendlyName === friendlyName && current.status !== 'completed') return current;
    if (current) leave(current.sid, call.sid);
    const conference = conferenceNamed(friendlyName);
    subscribe(conference, joining.statusCallback, joining.statusCallbackEvents);
    join(conference, call, {
      label: joining.label ?? null,
      status: 'connected',
      hold: false,
      holdUrl: null,
      muted: false,
      startConferenceOnEnter: joining.startConferenceOnEnter ?? true,
      endConferenceOnExit: joining.endConferenceOnExit ?? false,
    });
    return conference;
  }

  /** Runs the part of new TwiML the fake understands: `<Dial><Conference>`. */
  function runTwiml(call: FakeCall, twiml: string): void {
    const match = /<Conference\b([^>]*)>([^<]+)<\/Conference>/.exec(twiml);
    if (!match) return;
    const attributes: Record<string, string> = {};
    for (const [, name = '', value = ''] of (match[1] ?? '').matchAll(/(\w+)="([^"]*)"/g))
      attributes[name] = unescapeXml(value);
    joinConference(call, unescapeXml(match[2] ?? ''), {
      ...(attributes.participantLabel !== undefined && { label: attributes.participantLabel }),
      startConferenceOnEnter: attributes.startConferenceOnEnter !== 'false',
      endConferenceOnExit: attributes.endConferenceOnExit === 'true',
      ...(attributes.statusCallback !== undefined && { statusCallback: attributes.statusCallback }),
      ...(attributes.statusCallbackEvent !== undefined && {
        statusCallbackEvents: attributes.statusCallbackEvent.split(' ').filter(Boolean),
      }),
    });
  }

  /** The far end rings, then picks up: the leg joins its conference (if any) for real. */
  function answer(call: FakeCall): void {
    if (call.status === 'queued') setStatus(call, 'ringing');
    setStatus(call, 'in-progress');
    const conference = call.conferenceSid ? conferences.get(call.conferenceSid) : undefined;
    if (conference?.participants.get(call.sid)?.status === 'queued') connected(conference, call.sid);
  }

  function endCall(call: FakeCall, status: 'completed' | 'busy' | 'no-answer' | 'failed'): void {
    if (status !== 'completed' && call.status === 'queued') setStatus(call, 'ringing');
    setStatus(call, status === 'completed' && call.status !== 'in-progress' ? 'canceled' : status);
  }

  /** A leg the server placed: with `autoAnswer`, its far end answers (or not) by itself. */
  function placed(call: FakeCall): void {
    if (!autoAnswer) return;
    const decision = autoAnswer.decide(call);
    if (decision === 'manual') return;
    later(autoAnswer.afterMs, () => {
      if (call.status !== 'queued' && call.status !== 'ringing') return;
      if (decision === 'answer') answer(call);
      else endCall(call, decision);
    });
  }

  // --- REST resources ------------------------------------------------------------------------

  const callJson = (call: FakeCall) => ({
    sid: call.sid,
    account_sid: accountSid,
    from: call.from,
    to: call.to,
    direction: call.direction,
    status: call.status,
    parent_call_sid: null,
    api_version: '2010-04-01',
    date_created: rfc2822(call.createdAt),
    date_updated: rfc2822(call.updatedAt),
    start_time: call.answeredAt ? rfc2822(call.answeredAt) : null,
    // Twilio gives an end time and a duration (seconds from the answer) to answered calls only.
    end_time: call.status === 'completed' && call.endedAt ? rfc2822(call.endedAt) : null,
    duration:
      call.status === 'completed' && call.answeredAt && call.endedAt
        ? String(wholeSecond(call.endedAt) - wholeSecond(call.answeredAt))
        : null,
    uri: `${accountPath}/Calls/${call.sid}.json`,
  });

  const conferenceJson = (conference: FakeConference) => ({
    sid: conference.sid,
    account_sid: accountSid,
    friendly_name: conference.friendlyName,
    status: conference.status,
    region: 'us1',
    api_version: '2010-04-01',
    date_created: rfc2822(conference.createdAt),
    date_updated: rfc2822(new Date()),
    uri: `${accountPath}/Conferences/${conference.sid}.json`,
  });

  const participantJson = (conference: FakeConference, participant: FakeParticipant) => ({
    account_sid: accountSid,
    call_sid: participant.callSid,
    conference_sid: conference.sid,
    label: participant.label,
    status: participant.status,
    hold: participant.hold,
    muted: participant.muted,
    coaching: false,
    call_sid_to_coach: null,
    start_conference_on_enter: participant.startConferenceOnEnter,
    end_conference_on_exit: participant.endConferenceOnExit,
    uri: `${accountPath}/Conferences/${conference.sid}/Participants/${participant.callSid}.json`,
  });

  const recordingJson = (recording: FakeRecording) => ({
    sid: recording.sid,
    account_sid: accountSid,
    call_sid: recording.callSid,
    conference_sid: null,
    status: recording.status,
    channels: recording.channels,
    source: 'StartCallRecordingAPI',
    track: 'both',
    uri: `${accountPath}/Calls/${recording.callSid}/Recordings/${recording.sid}.json`,
  });

  const page = (key: string, items: object[], query: FormParams) => {
    const pageSize = Number(one(query, 'PageSize') ?? 50);
    const shown = items.slice(0, pageSize);
    return {
      [key]: shown,
      page: 0,
      page_size: pageSize,
      start: 0,
      end: Math.max(shown.length - 1, 0),
      first_page_uri: null,
      next_page_uri: null,
      previous_page_uri: null,
      uri: null,
    };
  };

  const callOf = (sid: string) => calls.get(sid) ?? throwing(notFound());

  /** Participant paths need the conference SID (Twilio does not resolve names there); create is the exception. */
  const conferenceOf = (sid: string) => conferences.get(sid) ?? throwing(notFound());

  /** Participants are addressed by CallSid or label. */
  function participantOf(conference: FakeConference, idOrLabel: string): FakeParticipant {
    const direct = conference.participants.get(idOrLabel);
    if (direct) return direct;
    for (const participant of conference.participants.values())
      if (participant.label === idOrLabel) return participant;
    throw notFound();
  }

  function route(method: string, path: string, query: FormParams, form: FormParams): [number, unknown] {
    if (!path.startsWith(`${accountPath}/`)) throw notFound();
    const parts = path
      .slice(accountPath.length + 1)
      .replace(/\.json$/, '')
      .split('/')
      .map(decodeURIComponent);
    const at = `${method} ${parts.map((part, i) => (i % 2 === 0 ? part : '*')).join('/')}`;
    const [, id1 = '', , id2 = ''] = parts;

    switch (at) {
      case 'POST Calls': {
        const to = required(form, 'To');
        const from = required(form, 'From');
        const twiml = one(form, 'Twiml');
        const url = one(form, 'Url');
        if (twiml === undefined && url === undefined && one(form, 'ApplicationSid') === undefined)
          throw missing('Url');
        const call = newCall({
          from,
          to,
          direction: 'outbound-api',
          status: 'queued',
          twiml: twiml ?? null,
          url: url ?? null,
          ...callbackOf(form),
        });
        sendStatusCallback(call);
        placed(call);
        return [201, callJson(call)];
      }
      case 'GET Calls/*':
        return [200, callJson(callOf(id1))];
      case 'POST Calls/*': {
        const call = callOf(id1);
        const status = one(form, 'Status');
        const twiml = one(form, 'Twiml');
        const url = one(form, 'Url');
        if (status !== undefined) {
          if (status !== 'completed' && status !== 'canceled') {
            throw new TwilioError(400, 21218, `Invalid value ${status} for parameter Status`);
          }
          setStatus(call, status === 'canceled' && call.status !== 'in-progress' ? 'canceled' : 'completed');
        } else if (twiml !== undefined || url !== undefined) {
          if (ENDED.has(call.status))
            throw new TwilioError(400, 21220, 'Call is not in-progress. Cannot redirect.');
          // New instructions replace the current ones: the call leaves its conference first.
          if (call.conferenceSid) leave(call.conferenceSid, call.sid);
          call.twiml = twiml ?? null;
          call.url = url ?? null;
          if (twiml !== undefined) runTwiml(call, twiml);
          emit({ type: 'call-redirected', call, twiml: call.twiml, url: call.url });
        }
        return [200, callJson(call)];
      }
      case 'GET Conferences': {
        const friendlyName = one(query, 'FriendlyName');
        const status = one(query, 'Status');
        const found = [...conferences.values()]
          .filter(
            (c) =>
              (friendlyName === undefined || c.friendlyName === friendlyName) &&
              (status === undefined || c.status === status),
          )
          .reverse();
        return [200, page('conferences', found.map(conferenceJson), query)];
      }
      case 'GET Conferences/*':
        return [200, conferenceJson(conferenceOf(id1))];
      case 'POST Conferences/*': {
        const conference = conferenceOf(id1);
        if (one(form, 'Status') === 'completed') endConference(conference);
        return [200, conferenceJson(conference)];
      }
      case 'POST Conferences/*/Participants': {
        const from = required(form, 'From');
        const to = required(form, 'To');
        // Twilio creates the conference when the path names one that does not exist yet.
        const conference = conferences.get(id1) ?? conferenceNamed(id1);
        if (conference.status === 'completed') throw notFound();
        subscribe(
          conference,
          one(form, 'ConferenceStatusCallback'),
          many(form, 'ConferenceStatusCallbackEvent').flatMap((event) => event.split(' ')),
        );
        const label = one(form, 'Label') ?? null;
        if (label !== null && [...conference.participants.values()].some((p) => p.label === label)) {
          throw new TwilioError(400, 16025, `Participant label ${label} is already in use`);
        }
        const call = newCall({ from, to, direction: 'outbound-api', status: 'queued', ...callbackOf(form) });
        const participant: Omit<FakeParticipant, 'callSid'> = {
          label,
          status: 'queued',
          hold: false,
          holdUrl: null,
          muted: one(form, 'Muted') === 'true',
          startConferenceOnEnter: one(form, 'StartConferenceOnEnter') !== 'false',
          endConferenceOnExit: one(form, 'EndConferenceOnExit') === 'true',
        };
        join(conference, call, participant);
        sendStatusCallback(call);
        placed(call);
        return [201, participantJson(conference, participantOf(conference, call.sid))];
      }
      case 'GET Conferences/*/Participants': {
        const conference = conferenceOf(id1);
        return [
          200,
          page(
            'participants',
            [...conference.participants.values()].map((p) => participantJson(conference, p)),
            query,
          ),
        ];
      }
      case 'GET Conferences/*/Participants/*': {
        const conference = conferenceOf(id1);
        return [200, participantJson(conference, participantOf(conference, id2))];
      }
      case 'POST Conferences/*/Participants/*': {
        const conference = conferenceOf(id1);
        const participant = participantOf(conference, id2);
        const hold = one(form, 'Hold');
        if (hold !== undefined && participant.hold !== (hold === 'true')) {
          participant.hold = hold === 'true';
          participant.holdUrl = participant.hold ? (one(form, 'HoldUrl') ?? null) : null;
          const name = participant.hold ? 'participant-hold' : 'participant-unhold';
          sendConferenceCallback(conference, 'hold', participantParams(participant), name);
        }
        const muted = one(form, 'Muted');
        if (muted !== undefined) participant.muted = muted === 'true';
        const endOnExit = one(form, 'EndConferenceOnExit');
        if (endOnExit !== undefined) participant.endConferenceOnExit = endOnExit === 'true';
        return [200, participantJson(conference, participant)];
      }
      case 'DELETE Conferences/*/Participants/*': {
        const conference = conferenceOf(id1);
        const participant = participantOf(conference, id2);
        leave(conference.sid, participant.callSid);
        // A leg placed by the API has no TwiML after the conference: it hangs up.
        const call = calls.get(participant.callSid);
        if (call) setStatus(call, call.status === 'in-progress' ? 'completed' : 'canceled');
        return [204, null];
      }
      case 'POST Calls/*/Recordings': {
        const call = callOf(id1);
        if (call.status !== 'in-progress')
          throw new TwilioError(400, 21220, 'Call is not in-progress. Cannot record.');
        const recording: FakeRecording = {
          sid: sidOf('RE'),
          callSid: call.sid,
          status: 'in-progress',
          channels: one(form, 'RecordingChannels') === 'dual' ? 2 : 1,
          statusCallback: one(form, 'RecordingStatusCallback') ?? null,
          statusCallbackEvents: many(form, 'RecordingStatusCallbackEvent').flatMap((event) =>
            event.split(' '),
          ),
          startedAt: new Date(),
        };
        recordings.set(recording.sid, recording);
        sendRecordingCallback(recording, 'in-progress');
        return [201, recordingJson(recording)];
      }
      case 'GET Calls/*/Recordings/*':
        return [200, recordingJson(recordingOf(callOf(id1), id2))];
      case 'POST Calls/*/Recordings/*': {
        const recording = recordingOf(callOf(id1), id2);
        const status = required(form, 'Status');
        if (!['paused', 'in-progress', 'stopped'].includes(status)) {
          throw new TwilioError(400, 21218, `Invalid value ${status} for parameter Status`);
        }
        const wasLive = recording.status === 'in-progress' || recording.status === 'paused';
        if (!wasLive) throw new TwilioError(400, 21220, 'The recording is not in progress');
        recording.status = status as FakeRecording['status'];
        if (status === 'stopped') sendRecordingCallback(recording, 'completed');
        return [200, recordingJson(recording)];
      }
      default:
        throw notFound();
    }
  }

  /** `Twilio.CURRENT` names the call's active recording. */
  function recordingOf(call: FakeCall, sid: string): FakeRecording {
    const recording =
      sid === 'Twilio.CURRENT'
        ? [...recordings.values()].find(
            (r) => r.callSid === call.sid && (r.status === 'in-progress' || r.status === 'paused'),
          )
        : recordings.get(sid);
    if (!recording || recording.callSid !== call.sid) throw notFound();
    return recording;
  }

  // --- HTTP ------------------------------------------------------------------------------------

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const recorded: RecordedRequest = {
      method: request.method ?? 'GET',
      path: url.pathname,
      query: formOf(url.searchParams),
      form: formOf(new URLSearchParams(body)),
      headers: request.headers,
    };
    requests.push(recorded);

    let status: number;
    let payload: unknown;
    try {
      if (outage) throw new TwilioError(503, 20503, 'Service unavailable');
      if (request.headers.authorization !== expectedAuthorization) {
        throw new TwilioError(401, 20003, 'Authenticate');
      }
      const media = new RegExp(`^${accountPath}/Recordings/(RE[0-9a-f]{32})\\.mp3$`).exec(recorded.path);
      if (recorded.method === 'GET' && media) {
        if (!recordings.has(media[1]!)) throw notFound();
        sendRecordingMedia(request, response, FAKE_RECORDING_MP3);
        return;
      }
      [status, payload] = route(recorded.method, recorded.path, recorded.query, recorded.form);
    } catch (error) {
      if (!(error instanceof TwilioError)) throw error;
      status = error.status;
      payload = {
        code: error.code,
        message: error.message,
        more_info: `https://www.twilio.com/docs/errors/${error.code}`,
        status: error.status,
      };
    }
    if (payload === null) {
      response.writeHead(status).end();
      return;
    }
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response
        .writeHead(500, { 'content-type': 'application/json' })
        .end(JSON.stringify({ code: 20500, message: `fake: ${String(error)}`, status: 500 }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  baseUrl = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}`;

  return {
    baseUrl,
    requests,
    calls,
    conferences,
    recordings,
    deliveries,
    get delivery() {
      return defaultDelivery;
    },
    set delivery(mode) {
      defaultDelivery = mode;
    },
    get outage() {
      return outage;
    },
    set outage(down) {
      outage = down;
    },
    arrive({ from, to, conferenceName, statusCallback, statusCallbackEvents, delivery }) {
      const call = newCall({
        from,
        to,
        direction: 'inbound',
        status: 'in-progress',
        answeredAt: new Date(),
        statusCallback: statusCallback ?? null,
        statusCallbackEvents: statusCallbackEvents?.length ? statusCallbackEvents : ['completed'],
        delivery: delivery ?? null,
      });
      if (conferenceName !== undefined) {
        joinConference(call, conferenceName, { startConferenceOnEnter: false, endConferenceOnExit: true });
      }
      return call;
    },
    joinConference(callSid, conferenceName, joining) {
      const call = callOf(callSid);
      if (ENDED.has(call.status)) throw new Error(`fake: call ${callSid} has ended (${call.status})`);
      return joinConference(call, conferenceName, joining);
    },
    on(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    answer(callSid) {
      answer(callOf(callSid));
    },
    leaveRecording(callSid) {
      const recording: FakeRecording = {
        sid: sidOf('RE'),
        callSid: callOf(callSid).sid,
        status: 'completed',
        channels: 1,
        statusCallback: null,
        statusCallbackEvents: [],
        startedAt: new Date(),
      };
      recordings.set(recording.sid, recording);
      return recording;
    },
    endCall(callSid, status = 'completed') {
      endCall(callOf(callSid), status);
    },
    async settled(sid) {
      if (sid !== undefined) {
        for (let of = pendingOf.get(sid); of; of = pendingOf.get(sid)) await Promise.all(of);
        return;
      }
      while (pending.size > 0) await Promise.all(pending);
    },
    async close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      listeners.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

function formOf(params: URLSearchParams): FormParams {
  const form: FormParams = {};
  for (const name of new Set(params.keys())) {
    const values = params.getAll(name);
    form[name] = values.length > 1 ? values : (values[0] ?? '');
  }
  return form;
}

function one(form: FormParams, name: string): string | undefined {
  const value = form[name];
  return Array.isArray(value) ? value[value.length - 1] : value;
}

function many(form: FormParams, name: string): string[] {
  const value = form[name];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function required(form: FormParams, name: string): string {
  const value = one(form, name);
  if (value === undefined || value === '') throw missing(name);
  return value;
}

/** A call's `StatusCallback` and its events (Twilio sends `completed` only unless told). */
function callbackOf(form: FormParams): Pick<FakeCall, 'statusCallback' | 'statusCallbackEvents'> {
  const events = many(form, 'StatusCallbackEvent').flatMap((event) => event.split(' '));
  return {
    statusCallback: one(form, 'StatusCallback') ?? null,
    statusCallbackEvents: events.length > 0 ? events : ['completed'],
  };
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

function throwing(error: Error): never {
  throw error;
}
