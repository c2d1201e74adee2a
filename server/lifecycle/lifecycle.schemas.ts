import { Type, type Static } from 'typebox';
import { LifecycleStage } from '../../contracts/glossary.schemas.js';
import { ChurnRisk, LIFECYCLE_SOURCES, LifecycleChange } from '../../contracts/lifecycle.js';
import { Literals, Nullable, Timestamp } from '../../contracts/schema-kit.js';

export { ChurnRisk, LifecycleChange, LifecycleReason } from '../../contracts/lifecycle.js';

/** A customer's lifecycle: the stage in force, the churn-risk score and the stage changes. */
export const CustomerLifecycle = Type.Object({
  customerId: Type.Integer(),
  stage: LifecycleStage,
  /** When the stage was reached; null before the rules first evaluated the customer. */
  since: Nullable(Timestamp),
  source: Nullable(Literals(LIFECYCLE_SOURCES)),
  churn: Nullable(ChurnRisk),
  /** Stage changes, latest first (the last 50). */
  history: Type.Array(LifecycleChange),
});
export type CustomerLifecycle = Static<typeof CustomerLifecycle>;

export const EvaluateAllResult = Type.Object({
  customers: Type.Integer(),
  /** Customers whose stage or churn score changed. */
  written: Type.Integer(),
  stageChanges: Type.Integer(),
  durationMs: Type.Number(),
});
