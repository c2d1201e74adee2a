import type { CustomerValue, TierOverrideBody } from '../../server/customer-value/customer-value.schemas.js';
import { request } from './api.js';

/** The customer's tier in force, the computed tier with its reason, and an active override. */
export function getCustomerValue(id: number, signal?: AbortSignal): Promise<CustomerValue> {
  return request<CustomerValue>('GET', `/api/customers/${id}/value`, { signal });
}

/** Supervisors and admins only. Rejects with ApiError 400 (expiry not ahead, reason missing) or 403. */
export function overrideTier(id: number, body: TierOverrideBody): Promise<CustomerValue> {
  return request<CustomerValue>('PUT', `/api/customers/${id}/tier-override`, { body });
}

/** Ends an override now: the computed tier returns. */
export function endTierOverride(id: number): Promise<CustomerValue> {
  return request<CustomerValue>('DELETE', `/api/customers/${id}/tier-override`);
}
