import { Type, type Static } from 'typebox';
import {
  CallDirection,
  FollowUpKind,
  FollowUpPriority,
  InteractionOutcome,
  InteractionProvider,
  LifecycleStage,
  Tier,
} from '../../contracts/glossary.schemas.js';
import { Literals, Nullable, Timestamp } from '../../contracts/schema-kit.js';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType as EventType } from '../../contracts/webhook-events.js';

/**
 * What each event's `data` holds. Events are thin on purpose: ids, codes and times, no names,
 * numbers or notes. A receiver that needs a customer's details reads them through the API with its
 * token; so a delivery log, a receiver's log or a replay after an erasure holds no personal data.
 */
export const WebhookEventType = Literals(WEBHOOK_EVENT_TYPES);

const InteractionClosed = Type.Object({
  interactionId: Type.Integer(),
  direction: CallDirection,
  provider: InteractionProvider,
  /** The customer as known when the Interaction closed; null for an unknown caller. */
  customerId: Nullable(Type.Integer()),
  queueId: Nullable(Type.Integer()),
  agentId: Nullable(Type.Integer()),
  outcome: Nullable(InteractionOutcome),
  arrivedAt: Timestamp,
  answeredAt: Nullable(Timestamp),
  endedAt: Nullable(Timestamp),
  waitSeconds: Nullable(Type.Integer()),
  talkSeconds: Nullable(Type.Integer()),
  heldSeconds: Type.Integer(),
  wrapUpCode: Nullable(Type.String()),
  parentInteractionId: Nullable(Type.Integer()),
});

const CustomerCreated = Type.Object({
  customerId: Type.Integer(),
  tier: Tier,
  lifecycleStage: LifecycleStage,
});

const CustomerUpdated = Type.Object({
  customerId: Type.Integer(),
  /** The names of the fields that changed (`name`, `phones`, `doNotCall`, `lifecycleStage`…), not their values. */
  fields: Type.Array(Type.String()),
});

const CustomerErased = Type.Object({ customerId: Type.Integer() });

const FollowUpCreated = Type.Object({
  followUpId: Type.Integer(),
  customerId: Type.Integer(),
  interactionId: Nullable(Type.Integer()),
  kind: FollowUpKind,
  priority: FollowUpPriority,
  dueAt: Timestamp,
  source: Type.Union([Type.Literal('manual'), Type.Literal('rule'), Type.Literal('wrap_up')]),
  ownerAgentId: Nullable(Type.Integer()),
  ownerQueueId: Nullable(Type.Integer()),
});

const FollowUpDone = Type.Object({
  followUpId: Type.Integer(),
  customerId: Type.Integer(),
  kind: FollowUpKind,
  /** The Agent who completed it. */
  agentId: Type.Integer(),
});

const SurveyCompleted = Type.Object({
  interactionId: Type.Integer(),
  customerId: Nullable(Type.Integer()),
  queueId: Nullable(Type.Integer()),
  agentId: Nullable(Type.Integer()),
  /** 1 (very unhappy) to 5 (very happy); null when not answered. */
  score: Nullable(Type.Integer()),
  resolved: Nullable(Type.Boolean()),
  status: Type.Union([
    Type.Literal('completed'),
    Type.Literal('partial'),
    Type.Literal('no_answer'),
    Type.Literal('hung_up'),
  ]),
  language: Type.String(),
  endedAt: Timestamp,
});

/** Each event type's `data`; the README's Event webhooks section documents the same fields. */
export const WEBHOOK_EVENT_DATA = {
  'interaction.closed': InteractionClosed,
  'customer.created': CustomerCreated,
  'customer.updated': CustomerUpdated,
  'customer.erased': CustomerErased,
  'followup.created': FollowUpCreated,
  'followup.done': FollowUpDone,
  'survey.completed': SurveyCompleted,
} satisfies Record<EventType, unknown>;

type DataOf = { [T in EventType]: Static<(typeof WEBHOOK_EVENT_DATA)[T]> };

/** An event as a domain publishes it. */
export type WebhookEvent = { [T in EventType]: { type: T; data: DataOf[T] } }[EventType];

/** The JSON body of every delivery of an event, the same on each attempt and replay. */
export interface WebhookEnvelope<E extends WebhookEvent = WebhookEvent> {
  /** The event's id: a receiver that got it before (a retry after a lost answer) ignores it. */
  id: number;
  type: E['type'];
  occurredAt: string;
  data: E['data'];
}

/** The customer an event is about, whose deliveries keep their order; null when none. */
export function customerOfEvent(event: WebhookEvent): number | null {
  return event.data.customerId ?? null;
}
