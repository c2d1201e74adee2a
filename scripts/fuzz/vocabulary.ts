import { SIP_DIALOG_EVENTS } from '../../server/telephony/sip/kamailio-config.js';
import { TWILIO_WEBHOOK_PREFIX } from '../../server/telephony/twilio/twilio-webhook-urls.js';
import type { Rng } from './prng.js';

/**
 * Field names and plausible values for the routes the OpenAPI document does not describe: Twilio's
 * webhooks (form bodies, our own query parameters) and Kamailio's hooks (hidden from the document).
 * A schema-less route gets most of its prefix's fields, so a new webhook is fuzzed with the words
 * webhooks speak.
 */
const callSid = (rng: Rng) => `CA${rng.int(0, 3).toString(16).padStart(32, '0')}`;
const smallId = (rng: Rng) => String(rng.int(1, 8));

type Fields = Record<string, (rng: Rng) => string>;

const TWILIO_FIELDS: Fields = {
  AccountSid: () => `AC${'f'.repeat(32)}`,
  CallSid: callSid,
  ParentCallSid: callSid,
  From: (rng) => rng.pick(['+15005550101', '+15005550102', 'anonymous', '']),
  To: (rng) => rng.pick(['+15005550006', '+15005550199']),
  CallStatus: (rng) =>
    rng.pick(['queued', 'ringing', 'in-progress', 'completed', 'busy', 'failed', 'no-answer', 'canceled']),
  Direction: (rng) => rng.pick(['inbound', 'outbound-api', 'outbound-dial']),
  Digits: (rng) => rng.pick(['1', '2', '9', '#', '*', '123456', '']),
  SpeechResult: (rng) => rng.pick(['billing', 'agent', '']),
  Timestamp: (rng) => rng.pick(['Sun, 22 Nov 2026 10:00:00 +0000', 'yesterday']),
  SequenceNumber: smallId,
  CallbackSource: (rng) => rng.pick(['call-progress-events', 'conference-events']),
  StatusCallbackEvent: (rng) =>
    rng.pick(['participant-join', 'participant-leave', 'conference-end', 'conference-start', 'hold']),
  ConferenceSid: (rng) => `CF${rng.int(0, 3).toString(16).padStart(32, '0')}`,
  FriendlyName: (rng) => `interaction-${smallId(rng)}`,
  RecordingSid: (rng) => `RE${rng.int(0, 3).toString(16).padStart(32, '0')}`,
  RecordingStatus: (rng) => rng.pick(['completed', 'in-progress', 'absent', 'failed']),
  RecordingUrl: () => 'https://api.twilio.com/recording',
  RecordingDuration: smallId,
};

const SIP_FIELDS: Fields = {
  callId: (rng) => rng.pick(['a84b4c76e66710@pc33', `call-${smallId(rng)}`]),
  from: (rng) => rng.pick(['sip:+15005550101@trunk', '+15005550102', 'alice']),
  to: (rng) => rng.pick(['100', '200', 'sip:100@cti.local', 'xfer-1']),
  tindex: (rng) => String(rng.int(0, 70000)),
  tlabel: (rng) => String(rng.int(0, 70000)),
  event: (rng) => rng.pick(Object.values(SIP_DIALOG_EVENTS)),
  interactionId: smallId,
  code: (rng) => rng.pick(['0', '200', '408', '486', '487']),
  username: (rng) => rng.pick(['fuzz-agent-1', 'nobody']),
  aor: (rng) => rng.pick(['sip:fuzz-agent-1@127.0.0.1', 'sip:x@y']),
};

/** The form fields of a schema-less route, by its path's start. */
export function formFieldsFor(path: string): Fields {
  if (path.startsWith(`${TWILIO_WEBHOOK_PREFIX}/`)) return TWILIO_FIELDS;
  if (path.startsWith(SIP_HOOK_PREFIX)) return SIP_FIELDS;
  return { ...TWILIO_FIELDS, ...SIP_FIELDS };
}

/** Kamailio's hooks, under this path. */
export const SIP_HOOK_PREFIX = '/sip/';

export const QUERY_FIELDS: Fields = {
  interactionId: smallId,
  node: (rng) => rng.pick(['start', 'menu', 'identify', 'route']),
  leg: (rng) => rng.pick(['agent', 'transfer', 'caller']),
  alternative: (rng) => rng.pick(['callback', 'callback-answer', 'recorded', 'voicemail']),
};
