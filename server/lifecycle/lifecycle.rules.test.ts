import { describe, expect, it } from 'vitest';
import { parseValueModel } from '../customer-value/index.js';
import {
  AT_RISK_FLOOR,
  DAY_MS,
  decide,
  summarize,
  type CurrentStage,
  type LifecycleFacts,
} from './lifecycle.rules.js';

const model = parseValueModel(
  {
    lifecycle: {
      negativeCodes: ['COMPLAINT'],
      cancellationIntentCodes: ['WANTS_OUT'],
      cancellationCodes: ['CANCELLED'],
    },
  },
  'test.json',
).lifecycle;
const NOW = Date.parse('2026-12-01T00:00:00.000Z');
const ago = (days: number, ms = 0) => NOW - days * DAY_MS + ms;

/** A settled, healthy customer: old, recently in touch, spending evenly. */
const healthy: LifecycleFacts = {
  createdAtMs: ago(400),
  contacts: 6,
  lastContactAtMs: ago(10),
  negatives: 0,
  lastIntentAtMs: null,
  lastCancellationAtMs: null,
  lowestScore: null,
  valueEvents: 8,
  lastValueAtMs: ago(10),
  recentSpend: 1000,
  previousSpend: 1000,
};
const idleSince = (atMs: number): Partial<LifecycleFacts> => ({ lastContactAtMs: atMs, lastValueAtMs: atMs });
const rules = (since: number): CurrentStage => ({ stage: 'active', sinceMs: since, source: 'rules' });

describe('the lifecycle rules, at each boundary', () => {
  it.each<[string, Partial<LifecycleFacts>, CurrentStage | null, string]>([
    ['a healthy customer is active', {}, null, 'active'],
    // new: young with little history
    [
      'young (1 ms short of newDays), history at the limit: new',
      { createdAtMs: ago(30, 1), contacts: 1, valueEvents: 2, ...idleSince(ago(1)) },
      null,
      'new',
    ],
    [
      'exactly newDays old: active',
      { createdAtMs: ago(30), contacts: 1, valueEvents: 2, ...idleSince(ago(1)) },
      null,
      'active',
    ],
    [
      'young with one event too many: active',
      { createdAtMs: ago(5), contacts: 2, valueEvents: 2, ...idleSince(ago(1)) },
      null,
      'active',
    ],
    [
      'young but complaining: at risk',
      { createdAtMs: ago(5), contacts: 2, valueEvents: 0, negatives: 2, ...idleSince(ago(1)) },
      null,
      'at_risk',
    ],
    // negative outcomes
    ['one negative short of negativeCount: active', { negatives: 1 }, null, 'active'],
    ['negativeCount negatives: at risk', { negatives: 2 }, null, 'at_risk'],
    // satisfaction
    ['a score above lowScore: active', { lowestScore: 3 }, null, 'active'],
    ['a score at lowScore: at risk', { lowestScore: 2 }, null, 'at_risk'],
    // cancellation intent, in the window
    ['intent exactly windowDays ago: at risk', { lastIntentAtMs: ago(30) }, null, 'at_risk'],
    ['intent 1 ms before the window: active', { lastIntentAtMs: ago(30, -1) }, null, 'active'],
    // value drop
    ['spend fell by exactly valueDropPercent: at risk', { recentSpend: 500 }, null, 'at_risk'],
    ['spend fell by a little less: active', { recentSpend: 500.01 }, null, 'active'],
    ['nothing before to compare with: active', { recentSpend: 0, previousSpend: 0 }, null, 'active'],
    // inactivity
    ['idle 1 ms short of atRiskInactiveDays: active', idleSince(ago(120, 1)), null, 'active'],
    ['idle atRiskInactiveDays: at risk', idleSince(ago(120)), null, 'at_risk'],
    ['idle 1 ms short of lostInactiveDays: at risk', idleSince(ago(365, 1)), null, 'at_risk'],
    ['idle lostInactiveDays: lost', idleSince(ago(365)), null, 'lost'],
    [
      'never in touch, created lostInactiveDays ago: lost',
      {
        createdAtMs: ago(365),
        contacts: 0,
        valueEvents: 0,
        lastContactAtMs: null,
        lastValueAtMs: null,
        recentSpend: 0,
        previousSpend: 0,
      },
      null,
      'lost',
    ],
    // cancellation
    ['a cancellation with no purchase since: lost', { lastCancellationAtMs: ago(5) }, null, 'lost'],
    [
      'a purchase at the very time of the cancellation: lost',
      { lastCancellationAtMs: ago(5), lastValueAtMs: ago(5) },
      null,
      'lost',
    ],
    [
      'a purchase 1 ms after the cancellation: not lost',
      { lastCancellationAtMs: ago(5), lastValueAtMs: ago(5, 1) },
      null,
      'active',
    ],
    // won back and the stickiness of lost
    [
      'lost, then a purchase after: won back',
      {},
      { stage: 'lost', sinceMs: ago(20), source: 'rules' },
      'won_back',
    ],
    [
      'lost, a purchase at the moment of loss only: still lost',
      { lastValueAtMs: ago(20) },
      { stage: 'lost', sinceMs: ago(20), source: 'rules' },
      'lost',
    ],
    [
      'lost, calls again but buys nothing: still lost',
      { lastContactAtMs: ago(1), lastValueAtMs: ago(30) },
      { stage: 'lost', sinceMs: ago(20), source: 'rules' },
      'lost',
    ],
    [
      'won back 1 ms short of wonBackDays: won back',
      {},
      { stage: 'won_back', sinceMs: ago(90, 1), source: 'rules' },
      'won_back',
    ],
    [
      'won back wonBackDays ago: active',
      {},
      { stage: 'won_back', sinceMs: ago(90), source: 'rules' },
      'active',
    ],
    [
      'won back but complaining: at risk',
      { negatives: 2 },
      { stage: 'won_back', sinceMs: ago(10), source: 'rules' },
      'at_risk',
    ],
    // a stage set by hand
    [
      'set by hand 1 ms short of manualHoldDays: holds',
      {},
      { stage: 'at_risk', sinceMs: ago(30, 1), source: 'wrap_up_code' },
      'at_risk',
    ],
    [
      'set by hand manualHoldDays ago: the rules again',
      {},
      { stage: 'at_risk', sinceMs: ago(30), source: 'wrap_up_code' },
      'active',
    ],
    [
      'set lost by hand, then a purchase: won back',
      {},
      { stage: 'lost', sinceMs: ago(20), source: 'manual' },
      'won_back',
    ],
    ['a rules stage does not hold', {}, rules(ago(1)), 'active'],
  ])('%s', (_name, change, current, stage) => {
    expect(decide({ ...healthy, ...change }, model, NOW, current).stage).toBe(stage);
  });

  it('scores a healthy customer near 0 and a lost one 100 with the reason', () => {
    expect(decide(healthy, model, NOW, null).churnScore).toBeLessThan(5);
    const lost = decide({ ...healthy, lastCancellationAtMs: ago(3) }, model, NOW, null);
    expect(lost).toMatchObject({
      churnScore: 100,
      churnReasons: [{ code: 'cancelled', days: 3, points: 100 }],
    });
  });

  it('scores at least AT_RISK_FLOOR for a customer at risk', () => {
    const idle = decide({ ...healthy, ...idleSince(ago(120)) }, model, NOW, null);
    expect(idle.stage).toBe('at_risk');
    expect(idle.churnScore).toBe(AT_RISK_FLOOR);
  });

  it('sums the signs, caps at 100, keeps the three strongest with their numbers', () => {
    const verdict = decide(
      { ...healthy, negatives: 5, lowestScore: 1, lastIntentAtMs: ago(2), recentSpend: 250 },
      model,
      NOW,
      null,
    );
    expect(verdict.churnScore).toBe(100);
    expect(verdict.churnReasons).toEqual([
      { code: 'negative_outcomes', count: 5, days: 30, points: 45 },
      { code: 'cancellation_intent', days: 2, points: 40 },
      { code: 'low_satisfaction', score: 1, threshold: 2, days: 30, points: 25 },
    ]);
    expect(verdict.stageReasons.map((reason) => reason.code)).toEqual([
      'negative_outcomes',
      'low_satisfaction',
      'cancellation_intent',
      'value_drop',
    ]);
  });

  it('scores a smaller fall in spend with fewer points', () => {
    const verdict = decide({ ...healthy, recentSpend: 800 }, model, NOW, null);
    expect(verdict.churnReasons[0]).toEqual({
      code: 'value_drop',
      recent: 800,
      previous: 1000,
      percent: 20,
      days: 90,
      points: 6,
    });
  });
});

describe('summarize, the reference of the nightly SQL', () => {
  const iso = (ms: number) => new Date(ms).toISOString();
  it('counts in each window from its first millisecond', () => {
    const facts = summarize(
      {
        createdAt: iso(ago(500)),
        contacts: [
          { arrivedAt: iso(ago(30)), wrapUpCode: 'COMPLAINT' },
          { arrivedAt: iso(ago(30, -1)), wrapUpCode: 'COMPLAINT' },
          { arrivedAt: iso(ago(40)), wrapUpCode: 'WANTS_OUT' },
          { arrivedAt: iso(ago(50)), wrapUpCode: 'CANCELLED' },
          { arrivedAt: iso(ago(2)), wrapUpCode: null },
        ],
        surveys: [
          { endedAt: iso(ago(30)), score: 3 },
          { endedAt: iso(ago(31)), score: 1 },
          { endedAt: null, score: null },
        ],
        values: [
          { occurredAt: iso(ago(90)), amount: 100 },
          { occurredAt: iso(ago(90, -1)), amount: 40 },
          { occurredAt: iso(ago(180)), amount: 7 },
          { occurredAt: iso(ago(180, -1)), amount: 1000 },
          { occurredAt: iso(ago(1)), amount: null },
        ],
      },
      model,
      NOW,
    );
    expect(facts).toEqual({
      createdAtMs: ago(500),
      contacts: 5,
      lastContactAtMs: ago(2),
      negatives: 1,
      lastIntentAtMs: ago(40),
      lastCancellationAtMs: ago(50),
      lowestScore: 3,
      valueEvents: 5,
      lastValueAtMs: ago(1),
      recentSpend: 100,
      previousSpend: 47,
    });
  });
});
