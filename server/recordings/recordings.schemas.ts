import { Type, type Static } from 'typebox';
import { RecordingPayload } from '../realtime/realtime.events.js';

/** The desk command's body over REST: the same actions as the socket's `call:recording`. */
export const RecordingBody = Type.Pick(RecordingPayload, ['action'], { additionalProperties: false });
export type RecordingBody = Static<typeof RecordingBody>;

export const RecordingStatus = Type.Object({
  state: Type.Union([
    Type.Literal('off'),
    Type.Literal('recording'),
    Type.Literal('paused'),
    Type.Literal('stopped'),
  ]),
});
export type RecordingStatus = Static<typeof RecordingStatus>;

/** A player's `Range: bytes=…` header, passed on to the provider so it can seek. */
export const MediaHeaders = Type.Object({
  range: Type.Optional(Type.String({ pattern: '^bytes=\\d*-\\d*$', maxLength: 40 })),
});

/** What the media routes answer: audio, never the provider's URL. */
export const AudioResponse = Type.String({ format: 'binary', description: 'The audio (audio/mpeg)' });

/** The two kinds of audio an Interaction can keep, each under its own route. */
export const MEDIA_KINDS = ['recording', 'voicemail'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];
