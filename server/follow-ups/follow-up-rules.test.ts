import { describe, expect, it } from 'vitest';
import { serviceRecoveryFor, winBackFor } from './follow-up-rules.js';

const at = '2026-12-01T09:00:00.000Z';

describe('winBackFor', () => {
  it.each([
    ['lost', 'platinum', { priority: 'urgent' }],
    ['lost', 'gold', { priority: 'high' }],
    ['lost', 'silver', null],
    ['lost', 'bronze', null],
    ['at_risk', 'platinum', null],
    ['won_back', 'gold', null],
  ] as const)('a customer now %s in tier %s → %o', (to, tier, expected) => {
    const rule = winBackFor({ customerId: 7, to, at }, { tier, lastQueueId: 3 });
    if (expected === null) expect(rule).toBeNull();
    else
      expect(rule).toEqual({
        kind: 'win_back',
        customerId: 7,
        ownerQueueId: 3,
        dueAt: '2026-12-04T09:00:00.000Z',
        priority: expected.priority,
        note: `A ${tier} customer was lost on 2026-12-01.`,
        sourceKey: `win_back:7:${at}`,
      });
  });

  it('leaves a customer who never reached a call queue alone: no team knows them', () => {
    expect(winBackFor({ customerId: 7, to: 'lost', at }, { tier: 'platinum', lastQueueId: null })).toBeNull();
  });
});

describe('serviceRecoveryFor', () => {
  const survey = { interactionId: 40, customerId: 7, queueId: 2, endedAt: at };
  it.each([
    [1, null, 'urgent', 'The caller scored the call 1 of 5.'],
    [2, true, 'high', 'The caller scored the call 2 of 5.'],
    [2, false, 'high', 'The caller scored the call 2 of 5 and said the problem is not solved.'],
    [5, false, 'high', 'The caller said the problem is not solved.'],
    [null, false, 'high', 'The caller said the problem is not solved.'],
  ] as const)('score %s, resolved %s → %s', (score, resolved, priority, note) => {
    expect(serviceRecoveryFor({ ...survey, score, resolved }, 2)).toEqual({
      kind: 'service_recovery',
      customerId: 7,
      interactionId: 40,
      ownerQueueId: 2,
      dueAt: '2026-12-01T13:00:00.000Z',
      priority,
      note,
      sourceKey: 'survey:40',
    });
  });

  it.each([
    [3, null],
    [3, true],
    [null, null],
    [null, true],
  ] as const)('score %s above the low mark, resolved %s: nothing', (score, resolved) => {
    expect(serviceRecoveryFor({ ...survey, score, resolved }, 2)).toBeNull();
  });

  it('needs a known customer to follow up with', () => {
    expect(serviceRecoveryFor({ ...survey, customerId: null, score: 1, resolved: false }, 2)).toBeNull();
  });
});
