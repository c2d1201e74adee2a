/** Background jobs of customer value, run by BullMQ (server/jobs). Names live here and only here. */
export const VALUE_JOBS = {
  /** Clears expired overrides and recomputes every customer's value and tier (nightly, repeatable). */
  recomputeAll: 'customer-value.recompute-all',
  /** Restores the computed tier when an override expires. */
  expireOverrides: 'customer-value.expire-overrides',
} as const;

/** The id of the nightly schedule: one per installation, however many processes upsert it. */
export const NIGHTLY_SCHEDULER_ID = 'customer-value.nightly';

export interface ValueJobPayloads {
  [VALUE_JOBS.recomputeAll]: Record<string, never>;
  [VALUE_JOBS.expireOverrides]: Record<string, never>;
}
