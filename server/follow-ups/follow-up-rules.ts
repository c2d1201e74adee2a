import type { LifecycleStage, Tier } from '../../contracts/glossary.js';
import type { RuleFollowUp } from './follow-ups.schemas.js';

/**
 * The follow-ups that facts call for, decided without I/O: a lost high-value customer is worth a
 * win-back, a caller who scored us low (or said the problem is not solved) a service recovery.
 * Each key is unique per fact, so a repeated fact (a nightly run, a retried webhook) makes one.
 */

/** Tiers whose loss is worth a person's time: the top of the pyramid. */
export const WIN_BACK_TIERS: readonly Tier[] = ['platinum', 'gold'];
/** A win-back is due within this many days of the loss. */
export const WIN_BACK_DUE_DAYS = 3;
/** A service recovery is due within this many hours of the survey: the caller still remembers the call. */
export const RECOVERY_DUE_HOURS = 4;

const HOUR_MS = 3_600_000;

export function winBackFor(
  change: { customerId: number; to: LifecycleStage; at: string },
  customer: { tier: Tier; lastQueueId: number | null },
): RuleFollowUp | null {
  // Work nobody owns shows in no worklist: a customer who never reached a queue has no team to call them.
  if (change.to !== 'lost' || !WIN_BACK_TIERS.includes(customer.tier) || customer.lastQueueId === null)
    return null;
  return {
    kind: 'win_back',
    customerId: change.customerId,
    ownerQueueId: customer.lastQueueId,
    dueAt: new Date(Date.parse(change.at) + WIN_BACK_DUE_DAYS * 24 * HOUR_MS).toISOString(),
    priority: customer.tier === 'platinum' ? 'urgent' : 'high',
    note: `A ${customer.tier} customer was lost on ${change.at.slice(0, 10)}.`,
    sourceKey: `win_back:${change.customerId}:${change.at}`,
  };
}

export function serviceRecoveryFor(
  survey: {
    interactionId: number;
    customerId: number | null;
    queueId: number | null;
    score: number | null;
    resolved: boolean | null;
    endedAt: string;
  },
  lowScore: number,
): RuleFollowUp | null {
  const low = survey.score !== null && survey.score <= lowScore;
  const unsolved = survey.resolved === false;
  if (survey.customerId === null || (!low && !unsolved)) return null;
  const why = [
    low ? `scored the call ${survey.score} of 5` : null,
    unsolved ? 'said the problem is not solved' : null,
  ]
    .filter(Boolean)
    .join(' and ');
  return {
    kind: 'service_recovery',
    customerId: survey.customerId,
    interactionId: survey.interactionId,
    ownerQueueId: survey.queueId,
    dueAt: new Date(Date.parse(survey.endedAt) + RECOVERY_DUE_HOURS * HOUR_MS).toISOString(),
    priority: low && survey.score === 1 ? 'urgent' : 'high',
    note: `The caller ${why}.`,
    sourceKey: `survey:${survey.interactionId}`,
  };
}
