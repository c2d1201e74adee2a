import type { ValueModelFields } from '../data/value-model.data.js';
import type { MessageKey } from '../i18n/i18n.js';

export const WEIGHTS = ['lifetimeValue', 'recentSpend', 'tenureYears', 'contacts'] as const;
export const RANKED_TIERS = ['platinum', 'gold', 'silver'] as const;
type Weight = (typeof WEIGHTS)[number];
type RankedTier = (typeof RANKED_TIERS)[number];

/** The value model as the form holds it: what the admin typed, as text, until it is saved. */
export interface ValueModelDraft {
  currency: string;
  rates: { currency: string; rate: string }[];
  recentDays: string;
  weights: Record<Weight, string>;
  by: 'percentiles' | 'thresholds';
  tiers: Record<RankedTier, string>;
  recomputeCron: string;
}

/** A field's id in the form → what is wrong with it. Rates are `rate-<i>-currency` / `rate-<i>-value`. */
export type DraftErrors = Map<string, MessageKey>;

export function toDraft(model: ValueModelFields): ValueModelDraft {
  return {
    currency: model.currency ?? 'CNY',
    rates: Object.entries(model.exchangeRates ?? {}).map(([currency, rate]) => ({
      currency,
      rate: String(rate),
    })),
    recentDays: String(model.recentDays ?? ''),
    weights: Object.fromEntries(WEIGHTS.map((w) => [w, String(model.weights?.[w] ?? '')])) as Record<
      Weight,
      string
    >,
    by: model.tiers?.by === 'thresholds' ? 'thresholds' : 'percentiles',
    tiers: Object.fromEntries(RANKED_TIERS.map((t) => [t, String(model.tiers?.[t] ?? '')])) as Record<
      RankedTier,
      string
    >,
    recomputeCron: model.recomputeCron ?? '',
  };
}

const number = (text: string) => (text.trim() === '' ? NaN : Number(text));

/**
 * The model to send, or what to fix first, checked as the server checks it (so most mistakes are
 * shown beside their field before a round trip; the server's 400 names any other).
 */
export function fromDraft(draft: ValueModelDraft): { model: ValueModelFields } | { errors: DraftErrors } {
  const errors: DraftErrors = new Map();
  const currencyPattern = /^[A-Z]{3}$/;
  if (!currencyPattern.test(draft.currency.trim())) errors.set('currency', 'valueModel.error.currency');
  const exchangeRates: Record<string, number> = {};
  draft.rates.forEach((row, i) => {
    const code = row.currency.trim();
    if (!currencyPattern.test(code)) errors.set(`rate-${i}-currency`, 'valueModel.error.currency');
    else if (code in exchangeRates || code === draft.currency.trim())
      errors.set(`rate-${i}-currency`, 'valueModel.error.duplicate');
    const rate = number(row.rate);
    if (!(rate > 0 && rate <= 1e6)) errors.set(`rate-${i}-value`, 'valueModel.error.rate');
    exchangeRates[code] = rate;
  });
  const recentDays = number(draft.recentDays);
  if (!Number.isInteger(recentDays) || recentDays < 1 || recentDays > 3650)
    errors.set('recentDays', 'valueModel.error.days');
  const weights = {} as Record<Weight, number>;
  for (const w of WEIGHTS) {
    weights[w] = number(draft.weights[w]);
    if (!Number.isFinite(weights[w]) || Math.abs(weights[w]) > 1e6)
      errors.set(`weight-${w}`, 'valueModel.error.number');
  }
  const tiers = {} as Record<RankedTier, number>;
  for (const t of RANKED_TIERS) {
    tiers[t] = number(draft.tiers[t]);
    if (!Number.isFinite(tiers[t])) errors.set(`tier-${t}`, 'valueModel.error.number');
    else if (tiers[t] < 0) errors.set(`tier-${t}`, 'valueModel.error.notNegative');
  }
  if (!RANKED_TIERS.some((t) => errors.has(`tier-${t}`))) {
    if (draft.by === 'percentiles' && tiers.platinum + tiers.gold + tiers.silver > 100)
      errors.set('tier-silver', 'valueModel.error.shares');
    if (draft.by === 'thresholds' && tiers.gold > tiers.platinum)
      errors.set('tier-gold', 'valueModel.error.thresholds');
    if (draft.by === 'thresholds' && tiers.silver > tiers.gold)
      errors.set('tier-silver', 'valueModel.error.thresholds');
  }
  if (!/^\S+( \S+){4,5}$/.test(draft.recomputeCron.trim()))
    errors.set('recomputeCron', 'valueModel.error.cron');
  if (errors.size) return { errors };
  return {
    model: {
      currency: draft.currency.trim(),
      exchangeRates,
      recentDays,
      weights,
      tiers: { by: draft.by, ...tiers },
      recomputeCron: draft.recomputeCron.trim(),
    },
  };
}
