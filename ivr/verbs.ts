import twilio from 'twilio';
import type VoiceResponse from 'twilio/lib/twiml/VoiceResponse.js';
import type { Language } from './ivr.schemas.js';

export type { VoiceResponse };

// Twilio declares its attribute value types without exporting them; reach them through the attributes.
type SayLanguage = NonNullable<VoiceResponse.SayAttributes['language']>;
type SayVoice = NonNullable<VoiceResponse.SayAttributes['voice']>;
type GatherLanguage = NonNullable<VoiceResponse.GatherAttributes['language']>;

/** How Twilio speaks and hears each flow language. */
export interface Locale {
  /** `<Say language>` */
  say: SayLanguage;
  /** Default `<Say voice>`: a voice must match its `language`, or Twilio fails the `<Say>`. */
  voice: SayVoice;
  /** `<Gather language>` for speech recognition. */
  gather: GatherLanguage;
}

export const LOCALES: Record<Language, Locale> = {
  'en-US': { say: 'en-US', voice: 'Polly.Joanna', gather: 'en-US' },
  // Polly registers its Mandarin voice as cmn-CN; Twilio's speech recognition calls Mandarin cmn-Hans-CN.
  'zh-CN': { say: 'cmn-CN', voice: 'Polly.Zhiyu', gather: 'cmn-Hans-CN' },
};

/** A new, empty `<Response>`. */
export function response(): VoiceResponse {
  return new twilio.twiml.VoiceResponse();
}

/** Where a `<Say>` or `<Play>` may go: the response itself, or inside a `<Gather>` so the caller can barge in. */
export type Speaker = VoiceResponse | VoiceResponse.Gather;

/** `<Say>` in `language`, with its default voice unless the flow names one. */
export function say(parent: Speaker, text: string, language: Language, voice?: string): void {
  const locale = LOCALES[language];
  // The flow schema checks a voice's shape; Twilio's own list is too long and too changeable to mirror.
  parent.say({ language: locale.say, voice: (voice ?? locale.voice) as SayVoice }, text);
}

export function play(parent: Speaker, url: string): void {
  parent.play(url);
}

export interface GatherOptions {
  /** URL Twilio POSTs `Digits` / `SpeechResult` to. */
  action: string;
  /** Seconds of silence after the prompt before Twilio gives up. */
  timeoutSeconds: number;
  /** Listen for speech in this language as well as for keys; without it, keys only. */
  speechLanguage?: Language;
  /** Phrases that help speech recognition. */
  hints?: readonly string[];
  /** Finish as soon as this many keys are pressed. */
  numDigits?: number;
  /** Key that ends the entry, e.g. '#'. */
  finishOnKey?: string;
}

/** `<Gather>`; put the prompt inside it with `say`/`play`. */
export function gather(parent: VoiceResponse, options: GatherOptions): VoiceResponse.Gather {
  const speech = options.speechLanguage;
  return parent.gather({
    input: speech ? ['dtmf', 'speech'] : ['dtmf'],
    action: options.action,
    method: 'POST',
    timeout: options.timeoutSeconds,
    ...(options.numDigits !== undefined && { numDigits: options.numDigits }),
    ...(options.finishOnKey !== undefined && { finishOnKey: options.finishOnKey }),
    ...(speech && { language: LOCALES[speech].gather, speechTimeout: 'auto' }),
    ...(speech && options.hints?.length && { hints: options.hints.join(', ') }),
  });
}

export function redirect(parent: VoiceResponse, url: string): void {
  parent.redirect({ method: 'POST' }, url);
}

export interface RecordOptions {
  /** URL Twilio POSTs to when the recording ends. */
  action: string;
  /** URL Twilio POSTs the recording's status to once the file is ready (or absent). */
  recordingStatusCallback: string;
  /** Longest message, in seconds. */
  maxLengthSeconds: number;
}

/** `<Record>` for a voicemail: a beep, '#' to finish, silence trimmed. */
export function record(parent: VoiceResponse, options: RecordOptions): void {
  parent.record({
    action: options.action,
    method: 'POST',
    maxLength: options.maxLengthSeconds,
    playBeep: true,
    finishOnKey: '#',
    trim: 'trim-silence',
    recordingStatusCallback: options.recordingStatusCallback,
    recordingStatusCallbackMethod: 'POST',
    // `absent` tells us a message was too short or silent, so the interaction does not wait for a file forever.
    recordingStatusCallbackEvent: ['completed', 'absent'],
  });
}

/** `<Dial><Number>`. answerOnBridge keeps the caller hearing ringing until the far end answers. */
export function dial(parent: VoiceResponse, to: string, timeoutSeconds: number): void {
  parent.dial({ answerOnBridge: true, timeout: timeoutSeconds }).number(to);
}

export function hangup(parent: VoiceResponse): void {
  parent.hangup();
}
