import type {
  DismissBody,
  DuplicateList,
  MergeBody,
} from '../../server/customer-merge/customer-merge.schemas.js';
import type { Customer360 } from '../../server/customers/customers.schemas.js';
import { request } from './api.js';

/** A page of likely duplicate pairs; pass the previous page's `next` as `after`. Supervisors and admins only. */
export function listDuplicates(after: string | null, signal?: AbortSignal): Promise<DuplicateList> {
  return request<DuplicateList>('GET', '/api/customers/duplicates', { query: { after }, signal });
}

/**
 * Merges `body.mergeId` into `survivorId` and answers with the survivor's 360 view. Rejects with
 * ApiError 409 when either was erased or already merged, 400 for a customer with itself.
 */
export function mergeCustomers(survivorId: number, body: MergeBody): Promise<Customer360> {
  return request<Customer360>('POST', `/api/customers/${survivorId}/merge`, { body });
}

/** Marks the pair as two customers: it leaves the list. */
export function dismissDuplicate(body: DismissBody): Promise<void> {
  return request<void>('POST', '/api/customers/duplicates/dismiss', { body });
}
