/** Background jobs of customer data (erasure), run by BullMQ (server/jobs). Names live here and only here. */
export const CUSTOMER_DATA_JOBS = {
  /** Deletes one recording of an erased customer at the provider; retried until it is gone. */
  deleteRecording: 'customer-data.delete-recording',
  /** Queues again every recording deletion not done yet (after a restart, or tries used up). */
  sweepRecordingDeletions: 'customer-data.sweep-recording-deletions',
} as const;

/** The id of the sweep's schedule: one per installation, however many processes upsert it. */
export const RECORDING_SWEEP_SCHEDULER_ID = 'customer-data.recording-deletions';
/** Hourly, UTC. */
export const RECORDING_SWEEP_CRON = '17 * * * *';

export interface CustomerDataJobPayloads {
  [CUSTOMER_DATA_JOBS.deleteRecording]: { recordingRef: string };
  [CUSTOMER_DATA_JOBS.sweepRecordingDeletions]: Record<string, never>;
}
