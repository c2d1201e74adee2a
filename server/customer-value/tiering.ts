import { TIERS, type Tier } from '../../contracts/glossary.js';
import type { ValueModel } from './value-model.js';

export interface Scored {
  customerId: number;
  score: number;
}

export interface Placement extends Scored {
  tier: Tier;
  /** Share of customers, in percent, scoring at least as high as this one: 1 is the top 1 %. */
  topPercent: number;
}

/** The lowest score of each tier above bronze; null when no customer reached it. */
export type Cutoffs = Record<Exclude<Tier, 'bronze'>, number | null>;

/** What a full recomputation leaves for placing one customer at once until the next. */
export interface Ranking {
  cutoffs: Cutoffs;
  /** Customers ranked. */
  customers: number;
  /** Up to SAMPLES scores, best first, evenly spaced through the ranking (every score when fewer). */
  samples: number[];
}

const SAMPLES = 1000;

const RANKED_TIERS = TIERS.filter((tier): tier is Exclude<Tier, 'bronze'> => tier !== 'bronze');
// Shares in percent are compared against counts; the slack keeps 1 % of 300 customers at 3.
const EPSILON = 1e-9;

/**
 * Places every customer in a tier: by `percentiles`, each tier takes its share of customers from
 * the top; by `thresholds`, each tier starts at a score. Tied customers share one place, the lowest
 * of their group, so a tie never lifts a whole crowd (all scores equal: everyone is bronze unless
 * the shares cover everyone).
 */
export function placeCustomers(
  scored: readonly Scored[],
  tiers: ValueModel['tiers'],
): {
  placements: Placement[];
  ranking: Ranking;
} {
  const sorted = [...scored].sort((a, b) => b.score - a.score || a.customerId - b.customerId);
  const total = sorted.length;
  const placements: Placement[] = [];
  let start = 0;
  while (start < total) {
    let end = start;
    while (end + 1 < total && sorted[end + 1]!.score === sorted[start]!.score) end++;
    const atLeastAsHigh = end + 1;
    const tier =
      tiers.by === 'thresholds'
        ? tierByThreshold(sorted[start]!.score, tiers)
        : tierByShare(atLeastAsHigh, total, tiers);
    for (let index = start; index <= end; index++) {
      placements.push({ ...sorted[index]!, tier, topPercent: (atLeastAsHigh / total) * 100 });
    }
    start = end + 1;
  }
  const step = Math.max(1, total / SAMPLES);
  const samples: number[] = [];
  for (let position = 0; position < total; position += step)
    samples.push(sorted[Math.floor(position)]!.score);
  return { placements, ranking: { cutoffs: cutoffsOf(placements, tiers), customers: total, samples } };
}

/**
 * The same placement as {@link placeCustomers} for a whole customer base held in typed arrays (the
 * full recomputation): `scores[k]` is the k-th customer's score; answers each one's tier (an index
 * into TIERS) and top percent, and the ranking. Sorting the scores alone is enough: tied customers
 * share one place, so their order among themselves never shows.
 */
export function rankScores(
  scores: Float64Array,
  tiers: ValueModel['tiers'],
): { tiers: Uint8Array; topPercent: Float64Array; ranking: Ranking } {
  const total = scores.length;
  const ascending = Float64Array.from(scores).sort();
  const tierIndex = new Uint8Array(total);
  const topPercent = new Float64Array(total);
  const lowest = [Infinity, Infinity, Infinity, Infinity];
  for (let k = 0; k < total; k++) {
    const score = scores[k]!;
    // Customers at least as high as this one: everyone from the first sorted score ≥ it.
    let low = 0;
    let high = total;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (ascending[middle]! < score) low = middle + 1;
      else high = middle;
    }
    const atLeastAsHigh = total - low;
    const tier =
      tiers.by === 'thresholds' ? tierByThreshold(score, tiers) : tierByShare(atLeastAsHigh, total, tiers);
    const index = TIERS.indexOf(tier);
    tierIndex[k] = index;
    topPercent[k] = (atLeastAsHigh / total) * 100;
    if (score < lowest[index]!) lowest[index] = score;
  }
  const step = Math.max(1, total / SAMPLES);
  const samples: number[] = [];
  for (let position = 0; position < total; position += step)
    samples.push(ascending[total - 1 - Math.floor(position)]!);
  let cutoffs: Cutoffs = { platinum: tiers.platinum, gold: tiers.gold, silver: tiers.silver };
  if (tiers.by === 'percentiles') {
    cutoffs = { platinum: null, gold: null, silver: null };
    // A better tier's scores are all higher: a tier's cut-off is the lowest score at it or above.
    let lowestSoFar = Infinity;
    for (const tier of RANKED_TIERS) {
      lowestSoFar = Math.min(lowestSoFar, lowest[TIERS.indexOf(tier)]!);
      cutoffs[tier] = lowestSoFar === Infinity ? null : lowestSoFar;
    }
  }
  return { tiers: tierIndex, topPercent, ranking: { cutoffs, customers: total, samples } };
}

function tierByShare(atLeastAsHigh: number, total: number, tiers: ValueModel['tiers']): Tier {
  let bound = 0;
  for (const tier of RANKED_TIERS) {
    bound += tiers[tier];
    if (atLeastAsHigh * 100 <= bound * total + EPSILON) return tier;
  }
  return 'bronze';
}

const tierByThreshold = (score: number, tiers: ValueModel['tiers']): Tier =>
  RANKED_TIERS.find((tier) => score >= tiers[tier]) ?? 'bronze';

function cutoffsOf(placements: readonly Placement[], tiers: ValueModel['tiers']): Cutoffs {
  if (tiers.by === 'thresholds') return { platinum: tiers.platinum, gold: tiers.gold, silver: tiers.silver };
  const cutoffs: Cutoffs = { platinum: null, gold: null, silver: null };
  for (const tier of RANKED_TIERS) {
    const rank = TIERS.indexOf(tier);
    // Sorted best first: the last placement at this tier or above holds its lowest score.
    const inOrAbove = placements.filter((placement) => TIERS.indexOf(placement.tier) <= rank);
    cutoffs[tier] = inOrAbove.at(-1)?.score ?? null;
  }
  return cutoffs;
}

/** One customer's tier between full recomputations: the cut-offs of the last one, unchanged. */
export const tierFromCutoffs = (score: number, cutoffs: Cutoffs): Tier =>
  RANKED_TIERS.find((tier) => cutoffs[tier] !== null && score >= cutoffs[tier]) ?? 'bronze';

/**
 * One customer's tier and percentile between full recomputations, from the last one's ranking: the
 * share of the others at least as high is read from the sampled scores (exact up to SAMPLES
 * customers, to within 1/SAMPLES beyond), so it costs a binary search, not a count of everyone.
 */
export function placeOne(score: number, ranking: Ranking): { tier: Tier; topPercent: number } {
  const { samples, customers } = ranking;
  // samples is best first: find how many are at least `score`.
  let low = 0;
  let high = samples.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (samples[middle]! >= score) low = middle + 1;
    else high = middle;
  }
  const othersAtLeastAsHigh = samples.length === 0 ? 0 : Math.round((low * customers) / samples.length);
  return {
    tier: tierFromCutoffs(score, ranking.cutoffs),
    topPercent: Math.min(100, ((othersAtLeastAsHigh + 1) / (customers + 1)) * 100),
  };
}

export interface ValueFacts {
  /** In the model's currency. */
  lifetimeValue: number;
  recentSpend: number;
  tenureDays: number;
  /** Interactions in the recent days. */
  contacts: number;
}

const DAYS_PER_YEAR = 365.25;

/** The score: each fact times its weight. */
export const scoreOf = (facts: ValueFacts, weights: ValueModel['weights']): number =>
  facts.lifetimeValue * weights.lifetimeValue +
  facts.recentSpend * weights.recentSpend +
  (facts.tenureDays / DAYS_PER_YEAR) * weights.tenureYears +
  facts.contacts * weights.contacts;
