import type { IncomingHttpHeaders } from 'node:http';

/** A form body or query string: a key given more than once keeps every value. */
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
  /** The `action` of the `<Dial>` the call is in, if it has one. */
  dialAction: string | null;
  /**
   * The `<Dial>` ended with the call still up (its conference ended without it): Twilio requests
   * this action URL now and runs the TwiML it answers, instead of hanging up. The test posts it.
   */
  pendingDialAction: string | null;
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
  | { type: 'call-redirected'; call: FakeCall; twiml: string | null; url: string | null }
  /** A `<Dial action>` ended with its call still up: Twilio requests `action` (see `pendingDialAction`). */
  | { type: 'dial-ended'; call: FakeCall; action: string };

export interface JoinConferenceOptions {
  /** Default true, as in TwiML. */
  startConferenceOnEnter?: boolean;
  /** Default false, as in TwiML. */
  endConferenceOnExit?: boolean;
  label?: string;
  /** The conference's status callback, kept if this participant is the first to bring one. */
  statusCallback?: string;
  statusCallbackEvents?: string[];
  /** The `<Dial action>`: when the conference ends without this call, the call stays up. */
  dialAction?: string;
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
