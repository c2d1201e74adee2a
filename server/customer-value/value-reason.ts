import type { Tier } from '../../contracts/glossary.js';
import type { ValueReason } from './customer-value.schemas.js';
import type { ValueFacts } from './tiering.js';
import type { ValueModel } from './value-model.js';

const round2 = (value: number) => Math.round(value * 100) / 100;

/**
 * Why a customer has their computed tier, as stored beside it (JSON) for the console to phrase:
 * one definition for the full recomputation and the one-customer update.
 */
export const reasonOf = (
  facts: ValueFacts,
  placement: { tier: Tier; topPercent: number },
  model: ValueModel,
): ValueReason => ({
  tier: placement.tier,
  by: model.tiers.by,
  currency: model.currency,
  lifetimeValue: round2(facts.lifetimeValue),
  recentSpend: round2(facts.recentSpend),
  recentDays: model.recentDays,
  tenureDays: Math.floor(facts.tenureDays),
  contacts: facts.contacts,
  topPercent: round2(placement.topPercent),
});
