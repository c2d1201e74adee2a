import type {
  InteractionDetail,
  InteractionListQuery,
  InteractionPage,
} from '../../server/interactions/interactions.schemas.js';
import { request } from './api.js';

/**
 * A page of interactions, newest first. Agents must filter by `customerId` (or their own `agentId`);
 * supervisors and admins may list without filters. `limit` is at most 100.
 */
export function listInteractions(
  query: InteractionListQuery,
  signal?: AbortSignal,
): Promise<InteractionPage> {
  return request<InteractionPage>('GET', '/api/interactions', { query: { ...query }, signal });
}

/** One interaction with its timestamps, IVR answers and event timeline. */
export function getInteraction(id: number, signal?: AbortSignal): Promise<InteractionDetail> {
  return request<InteractionDetail>('GET', `/api/interactions/${id}`, { signal });
}

/** Links an unknown caller's interaction to a customer; their number joins the customer's phones. */
export function linkCustomer(interactionId: number, customerId: number): Promise<void> {
  return request<void>('POST', `/api/interactions/${interactionId}/customer`, { body: { customerId } });
}
