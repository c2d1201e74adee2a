/** The interactions page's filter form as typed list queries. Pure, so it is unit-tested. */
import type { InteractionListQuery } from '../../server/interactions/interactions.schemas.js';
import { isOutcome } from '../data/vocabulary.js';

/** Raw form values: ids and outcome as select values ('' = all), days as `<input type="date">` values. */
export interface InteractionFilters {
  queueId: string;
  agentId: string;
  outcome: string;
  from: string;
  to: string;
}

export const NO_FILTERS: InteractionFilters = { queueId: '', agentId: '', outcome: '', from: '', to: '' };

function localDay(value: string, addDays: number): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return null;
  return new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + addDays);
}

function positiveId(value: string): number | undefined {
  const id = Number(value);
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

/**
 * Days are the viewer's local days: `from` is the start of its day and `to` the last millisecond of its
 * day, so picking the same day in both lists that whole day.
 */
export function toListQuery(
  filters: InteractionFilters,
  offset: number,
  limit: number,
): InteractionListQuery {
  const query: InteractionListQuery = { offset, limit };
  const queueId = positiveId(filters.queueId);
  const agentId = positiveId(filters.agentId);
  if (queueId) query.queueId = queueId;
  if (agentId) query.agentId = agentId;
  if (isOutcome(filters.outcome)) query.outcome = filters.outcome;
  const from = localDay(filters.from, 0);
  const toExclusive = localDay(filters.to, 1);
  if (from) query.from = from.toISOString();
  if (toExclusive) query.to = new Date(toExclusive.getTime() - 1).toISOString();
  return query;
}
