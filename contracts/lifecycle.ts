import { Type, type Static } from 'typebox';
import { LifecycleStage } from './glossary.schemas.js';
import { Id, Literals, Nullable, Timestamp } from './schema-kit.js';

/**
 * Why a customer is in their stage or at risk of churning: a code and its numbers, never a sentence,
 * so the console phrases it in the agent's language (console/i18n `lifecycleReason.<code>`).
 */
export const LIFECYCLE_REASON_CODES = [
  /** Negative wrap-up codes (complaints…) in the last `days`: `count`. */
  'negative_outcomes',
  /** A satisfaction survey `score` at or below `threshold` in the last `days`. */
  'low_satisfaction',
  /** A cancellation-intent wrap-up code `days` ago. */
  'cancellation_intent',
  /** A cancellation wrap-up code `days` ago, with no purchase since. */
  'cancelled',
  /** Spend of the last `days` (`recent`) fell by `percent` % against the `days` before (`previous`). */
  'value_drop',
  /** No contact and no purchase for `days`. */
  'inactive',
  /** A purchase after the customer was lost, `days` ago. */
  'value_after_lost',
  /** A customer for `days` days with `history` contacts and purchases. */
  'young',
  /** The stage was set by hand (wrap-up code `wrapUpCode`, or an edit) `days` ago. */
  'set_by_hand',
] as const;
export type LifecycleReasonCode = (typeof LIFECYCLE_REASON_CODES)[number];

export const LifecycleReason = Type.Object({
  code: Literals(LIFECYCLE_REASON_CODES),
  /** Points this reason adds to the churn-risk score (0 for a reason of the stage only). */
  points: Type.Optional(Type.Number()),
  days: Type.Optional(Type.Number()),
  count: Type.Optional(Type.Number()),
  score: Type.Optional(Type.Number()),
  threshold: Type.Optional(Type.Number()),
  recent: Type.Optional(Type.Number()),
  previous: Type.Optional(Type.Number()),
  percent: Type.Optional(Type.Number()),
  history: Type.Optional(Type.Number()),
  /** The wrap-up code of a stage set by hand. */
  wrapUpCode: Type.Optional(Type.String()),
});
export type LifecycleReason = Static<typeof LifecycleReason>;

/** The churn-risk score, 0 (no sign) to 100 (lost), and its strongest reasons first. */
export const ChurnRisk = Type.Object({
  score: Type.Integer({ minimum: 0, maximum: 100 }),
  reasons: Type.Array(LifecycleReason),
  evaluatedAt: Timestamp,
});
export type ChurnRisk = Static<typeof ChurnRisk>;

export const LIFECYCLE_SOURCES = ['rules', 'wrap_up_code', 'manual'] as const;
export type LifecycleSource = (typeof LIFECYCLE_SOURCES)[number];

/** One stage change on the customer's timeline. */
export const LifecycleChange = Type.Object({
  id: Id,
  from: LifecycleStage,
  to: LifecycleStage,
  source: Literals(LIFECYCLE_SOURCES),
  reasons: Type.Array(LifecycleReason),
  interactionId: Nullable(Type.Integer()),
  agentName: Nullable(Type.String()),
  at: Timestamp,
});
export type LifecycleChange = Static<typeof LifecycleChange>;
