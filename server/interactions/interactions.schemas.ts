import { Type, type Static } from 'typebox';
import { Nullable, Page, PageQuery, Timestamp, Id } from '../http/common.schemas.js';
import { InteractionOutcome } from '../../contracts/glossary.schemas.js';
import { HandoffContext } from '../../contracts/handoff.js';
import { InteractionSummary } from '../../contracts/interaction.js';

export { INTERACTION_OUTCOMES, INTERACTION_STATES } from '../../contracts/glossary.js';
export { InteractionOutcome, InteractionState } from '../../contracts/glossary.schemas.js';
export { InteractionSummary } from '../../contracts/interaction.js';

export const InteractionListQuery = Type.Object({
  customerId: Type.Optional(Id),
  agentId: Type.Optional(Id),
  queueId: Type.Optional(Id),
  outcome: Type.Optional(InteractionOutcome),
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

/** What a bot handed over with the caller, and over which channel. */
export const BotHandoff = Type.Object({
  source: Type.Union([Type.Literal('twilio'), Type.Literal('sip')]),
  context: HandoffContext,
});
export type BotHandoff = Static<typeof BotHandoff>;

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
    /** Null unless a bot handed the caller over (see the README's Bot handoff). */
    handoff: Nullable(BotHandoff),
    events: Type.Array(InteractionEvent),
    /**
     * Names of what the events' data refers to by id, keyed by that id: the console shows the
     * Agent's display name, the CallQueue's name and the WrapUpCode's label, never the id.
     */
    names: Type.Object({
      agents: Type.Record(Type.String(), Type.String()),
      queues: Type.Record(Type.String(), Type.String()),
      wrapUpCodes: Type.Record(Type.String(), Type.String()),
    }),
  }),
]);
export type InteractionDetail = Static<typeof InteractionDetail>;

/** An Interaction without its timeline and the names it refers to: what the call path reads. */
export type InteractionFacts = Omit<InteractionDetail, 'events' | 'names'>;
