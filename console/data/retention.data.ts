/** The retention policy (admin): read and replace it, see what a run would remove, run it now. */
import type {
  RetentionPolicy,
  RetentionPolicyView,
  RetentionPreview,
  RetentionRunResult,
} from '../../server/retention/retention.schemas.js';
import { request } from './api.js';

export type { RetentionPolicy, RetentionPolicyView, RetentionPreview, RetentionRunResult };

export function getRetentionPolicy(signal?: AbortSignal): Promise<RetentionPolicyView> {
  return request<RetentionPolicyView>('GET', '/api/retention', { signal });
}

/** Rejects with ApiError 400 naming the field (e.g. `notesDays must be >= 0`). */
export function saveRetentionPolicy(policy: RetentionPolicy): Promise<RetentionPolicyView> {
  return request<RetentionPolicyView>('PUT', '/api/retention', { body: policy });
}

/** Changes nothing: counts, oldest date and a sample of ids per data type. */
export function previewRetention(): Promise<RetentionPreview> {
  return request<RetentionPreview>('POST', '/api/retention/dry-run');
}

export function runRetention(): Promise<RetentionRunResult> {
  return request<RetentionRunResult>('POST', '/api/retention/run');
}
