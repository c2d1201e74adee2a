import { describe, expect, it } from 'vitest';
import type { MessageKey } from '../i18n/i18n.js';
import { fromDraft, toDraft, type ValueModelDraft } from './value-model-draft.js';

const MODEL = {
  currency: 'CNY',
  exchangeRates: { USD: 7.1, EUR: 7.8 },
  recentDays: 90,
  weights: { lifetimeValue: 1, recentSpend: 2, tenureYears: 500, contacts: -3 },
  tiers: { by: 'percentiles', platinum: 1, gold: 4, silver: 15 },
  recomputeCron: '0 2 * * *',
};

type Change = (draft: ValueModelDraft) => void;
const cases: [string, Change, string, MessageKey][] = [
  ['a lowercase currency', (d) => void (d.currency = 'cny'), 'currency', 'valueModel.error.currency'],
  ['a rate of 0', (d) => void (d.rates[0]!.rate = '0'), 'rate-0-value', 'valueModel.error.rate'],
  [
    'a rate listed twice',
    (d) => void (d.rates[1]!.currency = 'USD'),
    'rate-1-currency',
    'valueModel.error.duplicate',
  ],
  [
    'a rate for the model currency',
    (d) => void (d.rates[0]!.currency = 'CNY'),
    'rate-0-currency',
    'valueModel.error.duplicate',
  ],
  ['a fractional day count', (d) => void (d.recentDays = '7.5'), 'recentDays', 'valueModel.error.days'],
  [
    'a weight that is not a number',
    (d) => void (d.weights.recentSpend = 'two'),
    'weight-recentSpend',
    'valueModel.error.number',
  ],
  ['an empty weight', (d) => void (d.weights.contacts = ' '), 'weight-contacts', 'valueModel.error.number'],
  ['a negative share', (d) => void (d.tiers.gold = '-4'), 'tier-gold', 'valueModel.error.notNegative'],
  ['shares above 100 %', (d) => void (d.tiers.silver = '96'), 'tier-silver', 'valueModel.error.shares'],
  [
    'rising thresholds',
    (d) => void Object.assign(d, { by: 'thresholds', tiers: { platinum: '100', gold: '200', silver: '50' } }),
    'tier-gold',
    'valueModel.error.thresholds',
  ],
  [
    'a cron of three fields',
    (d) => void (d.recomputeCron = '0 2 *'),
    'recomputeCron',
    'valueModel.error.cron',
  ],
];

describe('the value model form', () => {
  it('gives back the model it was filled from', () => {
    expect(fromDraft(toDraft(MODEL))).toEqual({ model: MODEL });
  });

  it.each(cases)('marks %s on its field', (_name, change, field, message) => {
    const draft = toDraft(MODEL);
    change(draft);
    const checked = fromDraft(draft);
    expect('errors' in checked && checked.errors.get(field)).toBe(message);
  });
});
