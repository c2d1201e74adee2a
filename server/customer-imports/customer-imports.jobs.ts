/** Background jobs of customer imports, run by BullMQ (server/jobs). Names live here and only here. */
export const IMPORT_JOBS = {
  /** Writes an import's rows batch by batch from its checkpoint; a retry resumes where it stopped. */
  run: 'customer-import.run',
  /** Deletes an upload nobody started, a day after it came. */
  expire: 'customer-import.expire',
} as const;

export interface ImportJob {
  /** The `customer_imports` id. */
  importId: string;
}

export interface ImportJobPayloads {
  [IMPORT_JOBS.run]: ImportJob;
  [IMPORT_JOBS.expire]: ImportJob;
}
