import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadValueModel, parseValueModel } from './value-model.js';

describe('the value model', () => {
  it('fills every default in an empty file', () => {
    expect(parseValueModel({}, 'model.json')).toEqual({
      currency: 'CNY',
      exchangeRates: {},
      recentDays: 90,
      weights: { lifetimeValue: 1, recentSpend: 2, tenureYears: 500, contacts: 0 },
      tiers: { by: 'percentiles', platinum: 1, gold: 4, silver: 15 },
      recomputeCron: '0 2 * * *',
      lifecycle: {
        newDays: 30,
        newMaxHistory: 3,
        windowDays: 30,
        negativeCodes: [],
        negativeCount: 2,
        lowScore: 2,
        cancellationIntentCodes: [],
        cancellationCodes: [],
        valueWindowDays: 90,
        valueDropPercent: 50,
        atRiskInactiveDays: 120,
        lostInactiveDays: 365,
        wonBackDays: 90,
        manualHoldDays: 30,
        evaluateCron: '30 2 * * *',
        churnPoints: {
          negativeOutcome: 15,
          lowSatisfaction: 25,
          cancellationIntent: 40,
          valueDrop: 30,
          inactivity: 40,
        },
      },
    });
  });

  it('loads the shipped file', () => {
    const model = loadValueModel(fileURLToPath(new URL('../../config/value-model.json', import.meta.url)));
    expect(model.tiers.by).toBe('percentiles');
  });

  it.each([
    [{ weights: { lifetimeValue: 'a lot' } }, /weights\.lifetimeValue must be number/],
    [{ weights: { loyalty: 1 } }, /weights\.loyalty is not a known field/],
    [{ colour: 'red' }, /colour is not a known field/],
    [{ currency: 'XYZ' }, /currency must be one of/],
    [{ exchangeRates: { BTC: 1 } }, /exchangeRates\.BTC is not a known ISO 4217 code/],
    [{ exchangeRates: { USD: 0 } }, /exchangeRates\.USD must be > 0/],
    [{ recentDays: 0 }, /recentDays must be >= 1/],
    [{ tiers: { by: 'vibes' } }, /tiers\.by must be one of percentiles, thresholds/],
    [{ tiers: { platinum: 50, gold: 40, silver: 20 } }, /tiers shares .* more than 100/],
    [{ tiers: { by: 'thresholds', platinum: 10, gold: 20, silver: 5 } }, /tiers\.gold must not be above/],
    [{ tiers: { silver: -1 } }, /tiers\.silver must be >= 0/],
    [{ recomputeCron: 'nightly' }, /recomputeCron must match/],
    [{ lifecycle: { negativeCodes: 'COMPLAINT' } }, /lifecycle\.negativeCodes must be array/],
    [{ lifecycle: { lowScore: 6 } }, /lifecycle\.lowScore must be <= 5/],
    [{ lifecycle: { churnPoints: { mood: 5 } } }, /lifecycle\.churnPoints\.mood is not a known field/],
    [{ lifecycle: { lostInactiveDays: 100 } }, /lifecycle\.lostInactiveDays must be above/],
  ])('refuses %o naming the field', (raw, message) => {
    expect(() => parseValueModel(raw, 'model.json')).toThrow(message);
  });
});
