import type { CustomerLifecycle } from '../../server/lifecycle/lifecycle.schemas.js';
import { request } from './api.js';

/** The customer's lifecycle stage, churn-risk score with its reasons, and stage changes (latest first). */
export function getCustomerLifecycle(id: number, signal?: AbortSignal): Promise<CustomerLifecycle> {
  return request<CustomerLifecycle>('GET', `/api/customers/${id}/lifecycle`, { signal });
}
