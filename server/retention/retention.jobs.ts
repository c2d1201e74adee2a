/** Background jobs of retention, run by BullMQ (server/jobs). Names live here and only here. */
export const RETENTION_JOBS = {
  /** Removes what the retention policy no longer keeps, in small batches. */
  run: 'retention.run',
} as const;

/** The id of the nightly schedule: one per installation, however many processes upsert it. */
export const RETENTION_SCHEDULER_ID = 'retention.nightly';
/** Nightly at 02:40 UTC, away from the hourly recording-deletion sweep (:17). */
export const RETENTION_CRON = '40 2 * * *';

export interface RetentionJobPayloads {
  [RETENTION_JOBS.run]: Record<string, never>;
}
