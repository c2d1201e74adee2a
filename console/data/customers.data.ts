import type {
  AddNoteBody,
  AddPhoneBody,
  CreateCustomerBody,
  Customer360,
  CustomerSearchResult,
  UpdateCustomerBody,
} from '../../server/customers/customers.schemas.js';
import { request } from './api.js';

/**
 * Type-ahead search by name, company, email or phone (any written form, or 3+ digits of the number).
 * @param q 1–100 characters.
 * @param options.limit Most results to return, 1–100; the server's default is 20.
 */
export function searchCustomers(
  q: string,
  options: { limit?: number; signal?: AbortSignal } = {},
): Promise<CustomerSearchResult> {
  return request<CustomerSearchResult>('GET', '/api/customers', {
    query: { q, limit: options.limit },
    signal: options.signal,
  });
}

/** The customer 360 view. Rejects with ApiError 404 for an unknown id. */
export function getCustomer(id: number, signal?: AbortSignal): Promise<Customer360> {
  return request<Customer360>('GET', `/api/customers/${id}`, { signal });
}

/** Rejects with ApiError 400 (an invalid phone number) or 409 (a phone number or email belongs to another customer). */
export function createCustomer(body: CreateCustomerBody): Promise<Customer360> {
  return request<Customer360>('POST', '/api/customers', { body });
}

export function updateCustomer(id: number, body: UpdateCustomerBody): Promise<Customer360> {
  return request<Customer360>('PATCH', `/api/customers/${id}`, { body });
}

/** Rejects with ApiError 400 (not a valid phone number) or 409 (the number belongs to another customer). */
export function addPhone(id: number, body: AddPhoneBody): Promise<Customer360> {
  return request<Customer360>('POST', `/api/customers/${id}/phones`, { body });
}

export function addNote(id: number, body: AddNoteBody): Promise<Customer360> {
  return request<Customer360>('POST', `/api/customers/${id}/notes`, { body });
}
