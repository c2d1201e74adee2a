import { Type, type Static } from 'typebox';
import {
  CallDirection,
  InteractionOutcome,
  InteractionProvider,
  InteractionState,
} from './glossary.schemas.js';
import { Nullable, Timestamp } from './schema-kit.js';

/** One Interaction as lists and the screen pop show it. */
export const InteractionSummary = Type.Object({
  id: Type.Integer(),
  direction: CallDirection,
  channel: Type.Literal('voice'),
  provider: InteractionProvider,
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
  outcome: Nullable(InteractionOutcome),
  wrapUpCode: Nullable(Type.Object({ id: Type.Integer(), code: Type.String(), label: Type.String() })),
  notes: Nullable(Type.String()),
  /** The Interaction this one continues (the part before a transfer, the call asking for a callback). */
  parentInteractionId: Nullable(Type.Integer()),
  origin: Nullable(Type.Union([Type.Literal('transfer'), Type.Literal('callback')])),
});
export type InteractionSummary = Static<typeof InteractionSummary>;
