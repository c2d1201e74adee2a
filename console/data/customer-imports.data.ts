import type { ImportState, StartBody } from '../../server/customer-imports/customer-imports.schemas.js';
import { request } from './api.js';

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
