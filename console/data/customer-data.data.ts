import type { ErasureBody, ErasureResult } from '../../server/customer-data/customer-data.schemas.js';
import { request, withQuery } from './api.js';

/**
 * Where the browser downloads customers as CSV (supervisors and admins): a saved segment's, a
 * search's, or, with neither, every customer.
 */
export const customersCsvHref = (selection: { q?: string; segment?: number }) =>
  withQuery('/api/customers/export.csv', selection);

/** Where the browser downloads everything held about one customer, as JSON (supervisors and admins). */
export const dataPackageHref = (customerId: number) => `/api/customers/${customerId}/data-package`;

/**
 * Erases the customer's personal data for good (admins). Rejects with ApiError 400 (the name typed
 * does not match, or the reason names the customer) or 409 (already erased).
 */
export function eraseCustomer(customerId: number, body: ErasureBody): Promise<ErasureResult> {
  return request<ErasureResult>('POST', `/api/customers/${customerId}/erasure`, { body });
}
