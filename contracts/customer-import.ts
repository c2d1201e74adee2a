/** The customer fields a CSV column can fill in a customer import, in the mapping step's order. */
export const IMPORT_FIELDS = ['name', 'phone', 'email', 'company', 'language', 'tags'] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Fields an import cannot start without a column for. */
export const REQUIRED_FIELDS: readonly ImportField[] = ['name', 'phone'];

/** How far an import got: pushed to the console of whoever started it, after each batch and at the end. */
export interface ImportProgress {
  importId: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  totalRows: number;
  /** Rows done so far (the checkpoint). */
  processedRows: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  invalid: number;
}
