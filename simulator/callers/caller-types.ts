import type { DeliveryMode, TwilioFake } from '../twilio-fake/index.js';

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
export type Instructions =
  | { kind: 'url'; url: string; params?: Record<string, string>; after?: () => void }
  | { kind: 'twiml'; twiml: string };

/** What interrupts a wait: the call ended, or the server gave it new instructions. */
export type Wake = 'elapsed' | 'ended' | 'redirected' | 'joined';
