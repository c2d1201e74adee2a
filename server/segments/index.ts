// What other domains use: the customer list pages a segment through the service (SegmentMembers), the
// reports embed a stored segment's customers as a subquery (segmentCustomersSql).
export { createSegmentsRepository, segmentCustomersSql } from './segments.repository.js';
export { createSegmentsService, type SegmentsService } from './segments.service.js';
export { SegmentFilterError, compileSegmentFilter } from './segment-sql.js';
export type { SegmentFilter } from './segments.schemas.js';

/** What the customer list needs of segments: a page of a segment's customers and how many there are. */
export interface SegmentMembers {
  customerPage(segmentId: number, limit: number, offset: number): { ids: number[]; total: number };
}
