import { describe, expect, it } from 'vitest';
import type { Tier } from '../../contracts/glossary.js';
import { TIERS } from '../../contracts/glossary.js';
import { placeCustomers, placeOne, rankScores, scoreOf, tierFromCutoffs, type Scored } from './tiering.js';
import type { ValueModel } from './value-model.js';

const PYRAMID: ValueModel['tiers'] = { by: 'percentiles', platinum: 1, gold: 4, silver: 15 };
const THRESHOLDS: ValueModel['tiers'] = { by: 'thresholds', platinum: 1000, gold: 500, silver: 100 };

/** Customers 1…n scoring n…1: customer 1 is the best. */
const descending = (n: number): Scored[] =>
  Array.from({ length: n }, (_, index) => ({ customerId: index + 1, score: n - index }));

const tierCounts = (tiers: Tier[]) =>
  Object.fromEntries(
    ['platinum', 'gold', 'silver', 'bronze'].map((t) => [t, tiers.filter((x) => x === t).length]),
  );

describe('placeCustomers by percentiles', () => {
  it.each([
    // n, platinum, gold, silver, bronze: the default pyramid 1 / 4 / 15 / rest
    [100, 1, 4, 15, 80],
    [1000, 10, 40, 150, 800],
    [99, 0, 4, 15, 80],
    [200, 2, 8, 30, 160],
    [10, 0, 0, 2, 8],
    [1, 0, 0, 0, 1],
  ])(
    '%i distinct customers → %i platinum, %i gold, %i silver, %i bronze',
    (n, platinum, gold, silver, bronze) => {
      const { placements } = placeCustomers(descending(n), PYRAMID);
      expect(tierCounts(placements.map((p) => p.tier))).toEqual({ platinum, gold, silver, bronze });
    },
  );

  it.each([
    // the customer ranked k of 100 and the tier at that boundary
    [1, 'platinum', 1],
    [2, 'gold', 2],
    [5, 'gold', 5],
    [6, 'silver', 6],
    [20, 'silver', 20],
    [21, 'bronze', 21],
    [100, 'bronze', 100],
  ] as const)('of 100, the customer ranked %i is %s, top %i %', (rank, tier, topPercent) => {
    const placement = placeCustomers(descending(100), PYRAMID).placements.find((p) => p.customerId === rank);
    expect(placement).toMatchObject({ tier, topPercent });
  });

  it('gives tied customers one tier, the lowest their group reaches', () => {
    // 100 customers; ranks 1 and 2 tie: together they are the top 2 %, so both are gold.
    const scored = descending(100).map((c) => (c.customerId === 1 ? { ...c, score: 99 } : c));
    const tiers = placeCustomers(scored, PYRAMID).placements.filter((p) => p.score === 99);
    expect(tiers.map((p) => [p.tier, p.topPercent])).toEqual([
      ['gold', 2],
      ['gold', 2],
    ]);
  });

  it('makes everyone bronze when all score the same', () => {
    const scored = Array.from({ length: 500 }, (_, index) => ({ customerId: index + 1, score: 0 }));
    const { placements, ranking } = placeCustomers(scored, PYRAMID);
    expect(new Set(placements.map((p) => p.tier))).toEqual(new Set(['bronze']));
    expect(ranking.cutoffs).toEqual({ platinum: null, gold: null, silver: null });
  });

  it('places nobody and has no cut-offs in an empty database', () => {
    expect(placeCustomers([], PYRAMID)).toEqual({
      placements: [],
      ranking: { cutoffs: { platinum: null, gold: null, silver: null }, customers: 0, samples: [] },
    });
  });

  it('records the lowest score of each tier as its cut-off', () => {
    expect(placeCustomers(descending(100), PYRAMID).ranking.cutoffs).toEqual({
      platinum: 100,
      gold: 96,
      silver: 81,
    });
  });
});

describe('placeCustomers by thresholds', () => {
  it.each([
    [1000, 'platinum'],
    [999.99, 'gold'],
    [500, 'gold'],
    [499, 'silver'],
    [100, 'silver'],
    [99, 'bronze'],
    [0, 'bronze'],
    [-5, 'bronze'],
  ] as const)('a score of %d is %s', (score, tier) => {
    const { placements } = placeCustomers([{ customerId: 1, score }], THRESHOLDS);
    expect(placements[0]?.tier).toBe(tier);
  });

  it('has the thresholds as cut-offs, whoever reaches them', () => {
    expect(placeCustomers([], THRESHOLDS).ranking.cutoffs).toEqual({
      platinum: 1000,
      gold: 500,
      silver: 100,
    });
  });
});

describe('tierFromCutoffs', () => {
  it.each([
    [{ platinum: 100, gold: 50, silver: 10 }, 100, 'platinum'],
    [{ platinum: 100, gold: 50, silver: 10 }, 99, 'gold'],
    [{ platinum: 100, gold: 50, silver: 10 }, 10, 'silver'],
    [{ platinum: 100, gold: 50, silver: 10 }, 9, 'bronze'],
    [{ platinum: null, gold: null, silver: 10 }, 1e9, 'silver'],
    [{ platinum: null, gold: null, silver: null }, 1e9, 'bronze'],
  ] as const)('cut-offs %o, score %d → %s', (cutoffs, score, tier) => {
    expect(tierFromCutoffs(score, cutoffs)).toBe(tier);
  });
});

describe('placeOne', () => {
  it.each([
    // of 100 customers scoring 100…1, a newcomer scoring:
    [1000, 'platinum', 1 / 1.01],
    [100, 'platinum', 2 / 1.01],
    [96, 'gold', 6 / 1.01],
    [81, 'silver', 21 / 1.01],
    [80, 'bronze', 22 / 1.01],
    [0, 'bronze', 100],
  ] as const)('a score of %d is %s, top %d %', (score, tier, topPercent) => {
    const { ranking } = placeCustomers(descending(100), PYRAMID);
    const placed = placeOne(score, ranking);
    expect(placed.tier).toBe(tier);
    expect(placed.topPercent).toBeCloseTo(topPercent);
  });

  it('reads the percentile of a large ranking from its samples, within a tenth of a percent', () => {
    const { ranking } = placeCustomers(descending(100_000), PYRAMID);
    expect(ranking.samples).toHaveLength(1000);
    expect(Math.abs(placeOne(97_000, ranking).topPercent - 3)).toBeLessThanOrEqual(0.11);
    expect(placeOne(50_000, ranking).tier).toBe('bronze');
  });

  it('places nobody above bronze before the first full computation', () => {
    const empty = { cutoffs: { platinum: null, gold: null, silver: null }, customers: 0, samples: [] };
    expect(placeOne(1e9, empty)).toEqual({ tier: 'bronze', topPercent: 100 });
  });
});

describe('scoreOf', () => {
  it.each([
    [{ lifetimeValue: 1000, recentSpend: 0, tenureDays: 0, contacts: 0 }, 1000],
    [{ lifetimeValue: 1000, recentSpend: 200, tenureDays: 0, contacts: 0 }, 1400],
    [{ lifetimeValue: 0, recentSpend: 0, tenureDays: 365.25, contacts: 0 }, 500],
    [{ lifetimeValue: 0, recentSpend: 0, tenureDays: 0, contacts: 10 }, -50],
  ])('%o scores %d', (facts, score) => {
    expect(scoreOf(facts, { lifetimeValue: 1, recentSpend: 2, tenureYears: 500, contacts: -5 })).toBeCloseTo(
      score,
    );
  });
});

describe('rankScores, the typed-array placement of the full recomputation', () => {
  /** Scores with many ties (rounded) and a crowd at zero, in no order. */
  const scattered = (n: number, seed: number) => {
    let state = seed;
    const next = () => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    return Array.from({ length: n }, (_, i) => ({
      customerId: i + 1,
      score: next() < 0.3 ? 0 : Math.round(next() * 50) * 10,
    }));
  };

  it.each([
    ['the default pyramid', PYRAMID, 1000],
    ['shares covering everyone', { by: 'percentiles', platinum: 10, gold: 40, silver: 50 } as const, 333],
    ['thresholds', THRESHOLDS, 500],
    ['one customer', PYRAMID, 1],
  ])('places everyone as placeCustomers does: %s', (_name, tiers, n) => {
    const scored = scattered(n, n);
    const expected = placeCustomers(scored, tiers);
    const byId = new Map(expected.placements.map((p) => [p.customerId, p]));
    const ranked = rankScores(Float64Array.from(scored.map((s) => s.score)), tiers);
    scored.forEach((customer, k) => {
      expect({
        id: customer.customerId,
        tier: TIERS[ranked.tiers[k]!],
        topPercent: ranked.topPercent[k],
      }).toEqual({
        id: customer.customerId,
        tier: byId.get(customer.customerId)!.tier,
        topPercent: byId.get(customer.customerId)!.topPercent,
      });
    });
    expect(ranked.ranking).toEqual(expected.ranking);
  });

  it('ranks nobody in an empty base', () => {
    expect(rankScores(new Float64Array(0), PYRAMID).ranking).toEqual({
      cutoffs: { platinum: null, gold: null, silver: null },
      customers: 0,
      samples: [],
    });
  });
});
