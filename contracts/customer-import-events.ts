import type { ServerToClientEvents } from './socket.js';

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

/**
 * The customer import socket events, named once: the server emits and the console subscribes through
 * these. A file of its own with no value imports, so the console may import it as a value.
 */
export const CUSTOMER_IMPORT_EVENTS = {
  progress: 'customer-import:progress',
} as const satisfies Record<string, keyof ServerToClientEvents>;
