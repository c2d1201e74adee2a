/**
 * Which waiting call is served first.
 *
 * A call's priority score, in seconds, higher served first:
 *
 *     score(t) = queue priority + tier boost + raised + seconds waited at t
 *
 * The queue priority and the tier boost are a head start: a platinum caller with a 120 s boost is served
 * before a bronze caller (boost 0) who has waited less than 120 s longer, and after one who has waited
 * more. Waiting always counts one for one, so no caller is starved by a stream of higher tiers.
 *
 * Redis orders the waiting calls of a CallQueue in a sorted set by
 *
 *     sortKey = enqueuedAtMs − (head start + raised) × 1000      (lower served first)
 *
 * Since score(t) × 1000 = t − sortKey, every call's score grows at the same rate and the order by sortKey
 * is the order by score at any moment: nothing is ever rescored as time passes. The Lua scripts compute
 * sortKey exactly as {@link waitingSortKey} does.
 */

import type { Tier } from '../contracts/glossary.js';

export { TIERS, type Tier } from '../contracts/glossary.js';

/** Seconds of virtual waiting per Tier. */
export type TierBoost = Record<Tier, number>;

/** Tier boosts, in seconds, for a CallQueue that does not set its own. */
export const DEFAULT_TIER_BOOST_SECONDS: TierBoost = { platinum: 120, gold: 60, silver: 20, bronze: 0 };

/** The head start of a Tier's callers in a CallQueue, in seconds. */
export function headStartSeconds(queuePriority: number, tierBoost: TierBoost, tier: Tier): number {
  return queuePriority + tierBoost[tier];
}

/** The score above at `nowMs`, in seconds. */
export function priorityScore(call: {
  enqueuedAtMs: number;
  headStartSeconds: number;
  raisedSeconds: number;
  nowMs: number;
}): number {
  return call.headStartSeconds + call.raisedSeconds + (call.nowMs - call.enqueuedAtMs) / 1000;
}

/** The Redis sorted-set score of a waiting call: lower is served first. */
export function waitingSortKey(call: {
  enqueuedAtMs: number;
  headStartSeconds: number;
  raisedSeconds: number;
}): number {
  return call.enqueuedAtMs - (call.headStartSeconds + call.raisedSeconds) * 1000;
}
