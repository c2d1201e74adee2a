import { describe, expect, it } from 'vitest';
import { FOLLOW_UP_ACTIONS, FOLLOW_UP_STATUSES } from '../../contracts/glossary.js';
import type { FollowUpAction, FollowUpStatus } from '../../contracts/glossary.js';
import { IllegalFollowUpTransition, followUpActionsFrom, nextFollowUpStatus } from './follow-up.machine.js';

/** The whole table, written out: every (status, action) pair not listed here must be refused. */
const ALLOWED: Record<string, FollowUpStatus> = {
  'open/start': 'in_progress',
  'open/complete': 'done',
  'open/cancel': 'cancelled',
  'in_progress/complete': 'done',
  'in_progress/cancel': 'cancelled',
  'done/reopen': 'open',
  'cancelled/reopen': 'open',
};

describe('follow-up transition table', () => {
  const pairs = FOLLOW_UP_STATUSES.flatMap((from) =>
    FOLLOW_UP_ACTIONS.map((action) => [from, action] as [FollowUpStatus, FollowUpAction]),
  );

  it.each(pairs)('%s + %s', (from, action) => {
    const expected = ALLOWED[`${from}/${action}`];
    if (expected) {
      expect(nextFollowUpStatus(from, action)).toBe(expected);
    } else {
      const attempt = () => nextFollowUpStatus(from, action);
      expect(attempt).toThrow(IllegalFollowUpTransition);
      try {
        attempt();
      } catch (error) {
        expect(error).toMatchObject({ statusCode: 409, from, action });
      }
    }
  });

  it('covers all 16 pairs and lists the allowed actions per status', () => {
    expect(pairs).toHaveLength(16);
    expect(followUpActionsFrom('open')).toEqual(['start', 'complete', 'cancel']);
    expect(followUpActionsFrom('in_progress')).toEqual(['complete', 'cancel']);
    expect(followUpActionsFrom('done')).toEqual(['reopen']);
    expect(followUpActionsFrom('cancelled')).toEqual(['reopen']);
  });
});
