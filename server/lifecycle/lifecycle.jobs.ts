/** Background jobs of the lifecycle, run by BullMQ (server/jobs). Names live here and only here. */
export const LIFECYCLE_JOBS = {
  /** Evaluates every customer's stage and churn-risk score (nightly, repeatable). */
  evaluateAll: 'lifecycle.evaluate-all',
} as const;

/** The id of the nightly schedule: one per installation, however many processes upsert it. */
export const LIFECYCLE_SCHEDULER_ID = 'lifecycle.nightly';

export interface LifecycleJobPayloads {
  [LIFECYCLE_JOBS.evaluateAll]: Record<string, never>;
}
