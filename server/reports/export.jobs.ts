/** Background jobs of report exports, run by BullMQ (server/jobs). Names live here and only here. */
export const EXPORT_JOBS = {
  /** Writes an export's CSV file into the exports folder, recording its progress. */
  write: 'report-export.write',
  /** Deletes an export's file and record, a day after it was asked for. */
  remove: 'report-export.remove',
} as const;

export interface ExportJob {
  /** The `report_exports` id. */
  exportId: string;
}

export interface ExportJobPayloads {
  [EXPORT_JOBS.write]: ExportJob;
  [EXPORT_JOBS.remove]: ExportJob;
}
