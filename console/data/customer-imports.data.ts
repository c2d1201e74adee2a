import type { ImportState, StartBody } from '../../server/customer-imports/customer-imports.schemas.js';
import type { ImportProgress } from '../../contracts/customer-import-events.js';
import { request } from './api.js';
import { desk } from './desk.data.js';

export type {
  ImportMapping,
  ImportState,
  StartBody,
} from '../../server/customer-imports/customer-imports.schemas.js';
export { IMPORT_FIELDS, REQUIRED_FIELDS, type ImportField } from '../../contracts/customer-import.js';

const BASE = '/api/customer-imports';

/**
 * Uploads a CSV file. Rejects with ApiError 400 (not UTF-8 or GB18030, not a CSV, no rows) or 413
 * (too large), with a message for people. Nothing is imported until `startCustomerImport`.
 * @param encoding `auto` detects UTF-8 (with or without a BOM) or GB18030.
 */
export function uploadCustomerImport(
  file: File,
  encoding: 'auto' | 'utf-8' | 'gb18030',
): Promise<ImportState> {
  return request<ImportState>('POST', BASE, {
    query: { fileName: file.name.slice(0, 200) || 'customers.csv', encoding },
    file: { data: file, contentType: 'text/csv' },
  });
}

export function getCustomerImport(id: string, signal?: AbortSignal): Promise<ImportState> {
  return request<ImportState>('GET', `${BASE}/${encodeURIComponent(id)}`, { signal });
}

/** Rejects with ApiError 400 (a required field unmapped) or 409 (started already). */
export function startCustomerImport(id: string, body: StartBody): Promise<ImportState> {
  return request<ImportState>('POST', `${BASE}/${encodeURIComponent(id)}/start`, { body });
}

/** The error report's address, for a download link. */
export function customerImportErrorsHref(id: string): string {
  return `${BASE}/${encodeURIComponent(id)}/errors.csv`;
}

/**
 * Follows import `id` as the server pushes its progress to whoever started it: `progress` on each
 * batch and at the end, `reconnected` when the connection came back (what was pushed meanwhile is
 * lost: read the state once). Returns the way to stop.
 */
export function followCustomerImport(
  id: string,
  listener: { progress: (progress: ImportProgress) => void; reconnected: () => void },
): () => void {
  return desk.onImportProgress({
    progress: (progress) => {
      if (progress.importId === id) listener.progress(progress);
    },
    connected: listener.reconnected,
  });
}
