import type { ValueModelView } from '../../server/customer-value/customer-value.schemas.js';
import { request } from './api.js';

export type { ValueModelView };
/** The model as the server keeps it: every field filled in. */
export type ValueModelFields = ValueModelView['model'];

/** The value model in force and its source. Supervisors and admins; agents get 403. */
export function getValueModel(signal?: AbortSignal): Promise<ValueModelView> {
  return request<ValueModelView>('GET', '/api/value-model', { signal });
}

/**
 * Admins only. Replaces the model; rejects with ApiError 400 naming the field (e.g. `weights.recentSpend
 * must be number`) or 403.
 */
export function saveValueModel(model: ValueModelFields): Promise<ValueModelView> {
  return request<ValueModelView>('PUT', '/api/value-model', { body: model });
}
