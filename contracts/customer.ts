import { Type, type Static } from 'typebox';
import { FollowUpKind, FollowUpPriority, FollowUpStatus, LifecycleStage, Tier } from './glossary.schemas.js';
import type { InteractionSummary } from './interaction.js';
import { ChurnRisk } from './lifecycle.js';
import { Nullable, Timestamp } from './schema-kit.js';

/** A Customer as an agent sees them. */
export const CustomerProfile = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  company: Nullable(Type.String()),
  tier: Tier,
  lifecycleStage: LifecycleStage,
  language: Type.String(),
  tags: Type.Array(Type.String()),
  attributes: Type.Record(Type.String(), Type.Unknown()),
  doNotCall: Type.Boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  erased: Type.Boolean(),
  /** The churn-risk score and its top reasons (server/lifecycle); null before the first evaluation. */
  churn: Nullable(ChurnRisk),
});
export type CustomerProfile = Static<typeof CustomerProfile>;

/** A Follow-up still to do, as the screen pop and the customer 360 list it: the owner is an agent or a queue's team. */
export const FollowUp = Type.Object({
  id: Type.Integer(),
  kind: FollowUpKind,
  title: Nullable(Type.String()),
  priority: FollowUpPriority,
  dueAt: Timestamp,
  status: FollowUpStatus,
  note: Nullable(Type.String()),
  ownerName: Nullable(Type.String()),
  queueName: Nullable(Type.String()),
  interactionId: Nullable(Type.Integer()),
});
export type FollowUp = Static<typeof FollowUp>;

/** The customer's most recent post-call survey score (1–5) and when they gave it. */
export interface LastSurvey {
  score: number;
  at: string;
}

/** What the agent sees the instant a call is offered: who is calling and what happened lately. */
export interface ScreenPop {
  callerNumber: string | null;
  customer: CustomerProfile | null;
  recentInteractions: InteractionSummary[];
  openFollowUps: FollowUp[];
  /** Null for an unknown caller or one never surveyed. */
  lastSurvey: LastSurvey | null;
}
