import { Type, type Static } from 'typebox';
import { errors } from '../../http/common.schemas.js';

/**
 * What each Twilio webhook reads, declared so that a signed but malformed request (a missing SID,
 * a key repeated into an array, an interaction id that is not a number) gets a clear 400 before a
 * handler runs. Twilio sends many more parameters than these; the rest pass through unread.
 */

const Sid = Type.String({ minLength: 1, maxLength: 64 });
const Text = Type.String({ maxLength: 1024 });
const open = { additionalProperties: true } as const;

/**
 * The Interaction a webhook's signed URL names (`?interactionId=`, see `twilioWebhookUrl`): every
 * route's query schema is built on this one, so no handler parses it.
 */
export const InteractionQuery = Type.Object({
  interactionId: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
});
const { interactionId } = InteractionQuery.properties;

/** TwiML for Twilio to run next, sent as `text/xml`. */
export const twimlResponses = { 200: Type.String(), ...errors(400, 403) };
/** A status callback's answer: no content, so Twilio stops retrying. */
export const callbackResponses = { 204: {}, ...errors(400, 403) };

const LegKind = Type.Union([Type.Literal('agent'), Type.Literal('transfer'), Type.Literal('caller')]);
/** The part a leg we placed plays in its Interaction, as its callback URL says (`leg=`). */
export type LegKind = Static<typeof LegKind>;

export const VoiceBody = Type.Object(
  { CallSid: Sid, To: Type.String({ minLength: 1, maxLength: 256 }), From: Type.Optional(Text) },
  open,
);

/**
 * A bot's redirect to /twilio/handoff (see the README's Bot handoff): the context as base64url JSON,
 * the Unix time it was signed at and the hex HMAC-SHA256 of `<ts>.<context>`. A context past
 * HANDOFF_MAX_BYTES, unsigned or badly signed is ignored with a logged reason, not refused: the
 * caller still reaches a person. Only an absurd one is a 400.
 */
export const HandoffQuery = Type.Object({
  context: Type.String({ minLength: 1, maxLength: 32_768 }),
  ts: Type.Optional(Type.Integer({ minimum: 0, maximum: 99_999_999_999 })),
  sig: Type.Optional(Type.String({ maxLength: 128 })),
});
export type HandoffQuery = Static<typeof HandoffQuery>;

export const IvrQuery = Type.Object({
  interactionId,
  /** The node the answer is for: a reading aid, the step is what counts. */
  node: Type.Optional(Type.String({ maxLength: 128 })),
  /** Which of the call's IVR answers this request continues: one per TwiML we gave, counted from 1. */
  step: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
});
export type IvrQuery = Static<typeof IvrQuery>;

export const GatherBody = Type.Object(
  {
    CallSid: Sid,
    Digits: Type.Optional(Type.String({ maxLength: 64 })),
    SpeechResult: Type.Optional(Text),
    Confidence: Type.Optional(Type.String({ maxLength: 32 })),
  },
  open,
);
export type GatherBody = Static<typeof GatherBody>;

/** The caller's own leg comes without a query; a leg we placed names both its Interaction and its part. */
export const CallStatusQuery = Type.Object(
  { interactionId: Type.Optional(interactionId), leg: Type.Optional(LegKind) },
  { dependencies: { interactionId: ['leg'], leg: ['interactionId'] } },
);

export const CallStatusBody = Type.Object(
  {
    CallSid: Sid,
    CallStatus: Type.String({ minLength: 1, maxLength: 32 }),
    SequenceNumber: Type.Optional(Type.String({ maxLength: 16 })),
    Timestamp: Type.Optional(Type.String({ maxLength: 64 })),
  },
  open,
);

export const WaitBody = Type.Object({ CallSid: Sid }, open);

const MaxWaitStep = Type.Union([
  Type.Literal('voicemail'),
  Type.Literal('callback'),
  Type.Literal('callback-answer'),
  Type.Literal('recorded'),
]);
/** Where a caller who waited too long stands: the alternative they were sent to, or their answer to it. */
export type MaxWaitStep = Static<typeof MaxWaitStep>;

export const MaxWaitQuery = Type.Object({
  interactionId,
  alternative: MaxWaitStep,
});

export const MaxWaitBody = Type.Object(
  { CallSid: Sid, Digits: Type.Optional(Type.String({ maxLength: 64 })) },
  open,
);

export const ConferenceStatusQuery = Type.Object({ interactionId: Type.Optional(interactionId) });

export const ConferenceStatusBody = Type.Object(
  {
    ConferenceSid: Sid,
    StatusCallbackEvent: Type.String({ minLength: 1, maxLength: 64 }),
    FriendlyName: Type.Optional(Type.String({ maxLength: 256 })),
    SequenceNumber: Type.Optional(Type.String({ maxLength: 16 })),
    CallSid: Type.Optional(Sid),
    Timestamp: Type.Optional(Type.String({ maxLength: 64 })),
  },
  open,
);

export const RecordingStatusBody = Type.Object(
  {
    CallSid: Sid,
    RecordingSid: Sid,
    RecordingStatus: Type.String({ minLength: 1, maxLength: 32 }),
  },
  open,
);

/** The caller's `<Dial>` action: `CallStatus` says whether the caller is still on the line. */
export const SurveyStartBody = Type.Object(
  {
    CallSid: Sid,
    CallStatus: Type.String({ minLength: 1, maxLength: 32 }),
    DialCallStatus: Type.Optional(Type.String({ maxLength: 32 })),
  },
  open,
);

/** Which survey question an answer is for; the flow names where the questions come from. */
export const SurveyQuery = Type.Object({
  interactionId,
  flow: Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,63}$' }),
  question: Type.Union([Type.Literal('score'), Type.Literal('resolved')]),
  attempt: Type.Integer({ minimum: 1, maximum: 2 }),
});
