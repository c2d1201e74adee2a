import { Type, type Static } from 'typebox';
import { Nullable, Page, PageQuery, Timestamp, Id } from '../http/common.schemas.js';

export const OUTCOMES = ['answered', 'abandoned', 'voicemail', 'callback', 'transferred', 'failed'] as const;
export const Outcome = Type.Union([
  Type.Literal('answered'),
  Type.Literal('abandoned'),
  Type.Literal('voicemail'),
  Type.Literal('callback'),
  Type.Literal('transferred'),
  Type.Literal('failed'),
]);
export type Outcome = (typeof OUTCOMES)[number];

export const INTERACTION_STATES = ['ivr', 'queued', 'offered', 'connected', 'wrap_up', 'completed'] as const;
export const InteractionState = Type.Union([
  Type.Literal('ivr'),
  Type.Literal('queued'),
  Type.Literal('offered'),
  Type.Literal('connected'),
  Type.Literal('wrap_up'),
  Type.Literal('completed'),
]);
export type InteractionState = (typeof INTERACTION_STATES)[number];

export const InteractionSummary = Type.Object({
  id: Type.Integer(),
  direction: Type.Union([Type.Literal('inbound'), Type.Literal('outbound')]),
  channel: Type.Literal('voice'),
  provider: Type.Union([Type.Literal('twilio'), Type.Literal('sip'), Type.Literal('demo')]),
  state: InteractionState,
  customerId: Nullable(Type.Integer()),
  customerName: Nullable(Type.String()),
  callerNumber: Nullable(Type.String()),
  queueId: Nullable(Type.Integer()),
  queueName: Nullable(Type.String()),
  agentId: Nullable(Type.Integer()),
  agentName: Nullable(Type.String()),
  arrivedAt: Timestamp,
  answeredAt: Nullable(Timestamp),
  endedAt: Nullable(Timestamp),
  /** Seconds from queued to answered, or to the end when never answered. */
  waitSeconds: Nullable(Type.Integer()),
  /** Seconds from answered to ended (talk plus hold). */
  talkSeconds: Nullable(Type.Integer()),
  heldSeconds: Type.Integer(),
  outcome: Nullable(Outcome),
  wrapUpCode: Nullable(Type.Object({ id: Type.Integer(), code: Type.String(), label: Type.String() })),
  notes: Nullable(Type.String()),
  /** The Interaction this one continues (the part before a transfer, the call asking for a callback). */
  parentInteractionId: Nullable(Type.Integer()),
  origin: Nullable(Type.Union([Type.Literal('transfer'), Type.Literal('callback')])),
});
export type InteractionSummary = Static<typeof InteractionSummary>;

export const InteractionListQuery = Type.Object({
  customerId: Type.Optional(Id),
  agentId: Type.Optional(Id),
  queueId: Type.Optional(Id),
  outcome: Type.Optional(Outcome),
  from: Type.Optional(Timestamp),
  to: Type.Optional(Timestamp),
  ...PageQuery,
});
export type InteractionListQuery = Static<typeof InteractionListQuery>;

export const InteractionPage = Page(InteractionSummary);
export type InteractionPage = Static<typeof InteractionPage>;

export const InteractionEvent = Type.Object({
  id: Type.Integer(),
  at: Timestamp,
  type: Type.String(),
  agentName: Nullable(Type.String()),
  data: Type.Record(Type.String(), Type.Unknown()),
});
export type InteractionEvent = Static<typeof InteractionEvent>;

export const InteractionDetail = Type.Intersect([
  InteractionSummary,
  Type.Object({
    providerCallId: Nullable(Type.String()),
    ivrLeftAt: Nullable(Timestamp),
    queuedAt: Nullable(Timestamp),
    offeredAt: Nullable(Timestamp),
    wrapUpEndedAt: Nullable(Timestamp),
    ivrAnswers: Type.Record(Type.String(), Type.Unknown()),
    recordingRef: Nullable(Type.String()),
    events: Type.Array(InteractionEvent),
  }),
]);
export type InteractionDetail = Static<typeof InteractionDetail>;
