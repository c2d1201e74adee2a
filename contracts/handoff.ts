import { Type, type Static } from 'typebox';

/**
 * What an external voice bot (or IVR) tells us when it hands a caller to a person: sent as base64url
 * of this JSON (UTF-8), in the signed `context` parameter of a Twilio redirect or in the SIP
 * `X-CTI-Context` header. Properties not listed here are ignored.
 */
export const HandoffContext = Type.Object({
  /** The bot's name, as the timeline shows it. */
  bot: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  /** Why the caller called, as the bot understood it ("billing_dispute"). */
  intent: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  /** What the bot collected (account number, order id…), shown in this order. */
  fields: Type.Optional(
    Type.Record(
      Type.String({ minLength: 1, maxLength: 64 }),
      Type.Union([Type.String({ maxLength: 500 }), Type.Number(), Type.Boolean()]),
      { maxProperties: 30 },
    ),
  ),
  /** The bot's summary of the conversation so far. */
  summary: Type.Optional(Type.String({ maxLength: 2000 })),
  /** The conversation itself, oldest turn first. */
  transcript: Type.Optional(
    Type.Array(
      Type.Object({
        role: Type.Union([Type.Literal('bot'), Type.Literal('caller')]),
        text: Type.String({ maxLength: 1000 }),
      }),
      { maxItems: 100 },
    ),
  ),
  /** Twilio only: the CallQueue to put the caller in, skipping our IVR. Default: the IVR for the dialled number. */
  queue: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
});
export type HandoffContext = Static<typeof HandoffContext>;

/** Where a handoff came from. */
export type HandoffSource = 'twilio' | 'sip';
