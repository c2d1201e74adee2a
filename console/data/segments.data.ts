import type { CustomerSearchResult } from '../../server/customers/customers.schemas.js';
import type {
  CreateSegmentBody,
  Segment,
  SegmentCount,
  SegmentFilter,
  SegmentList,
  UpdateSegmentBody,
} from '../../server/segments/segments.schemas.js';
import { request } from './api.js';

export type { Segment, SegmentFilter } from '../../server/segments/segments.schemas.js';

/** Every saved segment with its count now, by name. */
export function listSegments(signal?: AbortSignal): Promise<SegmentList> {
  return request<SegmentList>('GET', '/api/segments', { signal });
}

/** How many customers an unsaved filter holds. Rejects with ApiError 400 naming a bad field. */
export function countSegment(filter: SegmentFilter, signal?: AbortSignal): Promise<SegmentCount> {
  return request<SegmentCount>('POST', '/api/segments/count', { body: { filter }, signal });
}

/** Supervisors and admins. Rejects with ApiError 409 when the name is taken. */
export function createSegment(body: CreateSegmentBody): Promise<Segment> {
  return request<Segment>('POST', '/api/segments', { body });
}

export function updateSegment(id: number, body: UpdateSegmentBody): Promise<Segment> {
  return request<Segment>('PATCH', `/api/segments/${id}`, { body });
}

export function deleteSegment(id: number): Promise<void> {
  return request<void>('DELETE', `/api/segments/${id}`);
}

/** A page of the segment's customers, by id, with the segment's total. */
export function segmentCustomers(
  id: number,
  options: { limit?: number; offset?: number; signal?: AbortSignal } = {},
): Promise<CustomerSearchResult> {
  return request<CustomerSearchResult>('GET', '/api/customers', {
    query: { segment: id, limit: options.limit, offset: options.offset },
    signal: options.signal,
  });
}

/** Where the browser downloads the segment's customers as CSV (supervisors and admins). */
export const segmentCsvHref = (id: number) => `/api/segments/${id}/customers.csv`;
