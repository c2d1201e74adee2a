import { readFileSync } from 'node:fs';
import { Type } from 'typebox';
import { Value } from 'typebox/value';
import { CURRENCIES, isCurrency } from './currencies.js';
import {
  lifecycleModelProblem,
  LifecycleModelSchema,
  type LifecycleModel,
} from '../lifecycle/lifecycle-model.js';

const CurrencyCode = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217, e.g. CNY' });
const Weight = (description: string, fallback: number) =>
  Type.Optional(Type.Number({ minimum: -1e6, maximum: 1e6, description, default: fallback }));
const TierBound = (fallback: number) => Type.Optional(Type.Number({ minimum: 0, default: fallback }));
const TIER_METHODS = ['percentiles', 'thresholds'] as const;

/**
 * How a customer's value becomes a tier. Each field has a default, so the file may state only what
 * it changes; see server/customer-value/README.md.
 */
export const ValueModel = Type.Object(
  {
    /** Currency of lifetime value, recent spend and the score; events in others are converted. */
    currency: Type.Optional({ ...CurrencyCode, default: 'CNY' }),
    /** Units of `currency` per one unit of another currency, e.g. {"USD": 7.1}. */
    exchangeRates: Type.Optional(
      Type.Record(Type.String(), Type.Number({ exclusiveMinimum: 0, maximum: 1e6 }), {
        maxProperties: 200,
        default: {},
      }),
    ),
    /** Days counted as recent, for recent spend and contact volume. */
    recentDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650, default: 90 })),
    weights: Type.Optional(
      Type.Object(
        {
          lifetimeValue: Weight('Points per unit of lifetime value', 1),
          recentSpend: Weight('Points per unit spent in the recent days', 2),
          tenureYears: Weight('Points per year since the customer was created', 500),
          contacts: Weight('Points per contact in the recent days (negative: contacts cost)', 0),
        },
        { additionalProperties: false, default: {} },
      ),
    ),
    tiers: Type.Optional(
      Type.Object(
        {
          /** percentiles: each tier's share of customers in percent, from the top; thresholds: each tier's lowest score. */
          by: Type.Optional(Type.String({ default: 'percentiles' })),
          platinum: TierBound(1),
          gold: TierBound(4),
          silver: TierBound(15),
        },
        { additionalProperties: false, default: {} },
      ),
    ),
    /** When the nightly recomputation runs: a cron pattern in UTC. */
    recomputeCron: Type.Optional(
      Type.String({
        pattern: '^\\S+( \\S+){4,5}$',
        description: 'cron, 5 or 6 fields',
        default: '0 2 * * *',
      }),
    ),
    /** How the lifecycle stage and churn-risk score are derived: server/lifecycle/README.md. */
    lifecycle: Type.Optional(LifecycleModelSchema),
  },
  { additionalProperties: false },
);

type TierMethod = (typeof TIER_METHODS)[number];

/** The value model with every default filled in (the file's fields are documented on the schema above). */
export interface ValueModel {
  currency: string;
  exchangeRates: Record<string, number>;
  recentDays: number;
  weights: { lifetimeValue: number; recentSpend: number; tenureYears: number; contacts: number };
  tiers: { by: TierMethod; platinum: number; gold: number; silver: number };
  recomputeCron: string;
  lifecycle: LifecycleModel;
}

export class ValueModelError extends Error {
  constructor(
    file: string,
    /** The bad field's path, e.g. `weights.recentSpend` ('' for the whole model). */
    readonly field: string,
    readonly problem: string,
  ) {
    super(`Invalid value model ${file}: ${field || '(the file)'} ${problem}`);
    this.name = 'ValueModelError';
  }
}

const fieldOf = (pointer: string) => pointer.replace(/^\//, '').replaceAll('/', '.');

/** The model with its defaults filled in, or a ValueModelError naming the first bad field. */
export function parseValueModel(raw: unknown, file: string): ValueModel {
  const value = Value.Default(ValueModel, Value.Clone(raw));
  const first = Value.Errors(ValueModel, value)[0];
  if (first) {
    const params = first.params as { requiredProperties?: string[]; additionalProperties?: string[] };
    const path = fieldOf(first.instancePath);
    const extra = params.additionalProperties?.[0] ?? params.requiredProperties?.[0];
    if (first.keyword === 'additionalProperties' && extra) {
      throw new ValueModelError(file, [path, extra].filter(Boolean).join('.'), 'is not a known field');
    }
    // An unknown key is reported at its own path with the message of `additionalProperties: false`.
    if (first.message === 'schema is false') throw new ValueModelError(file, path, 'is not a known field');
    throw new ValueModelError(file, path, first.message);
  }
  const model = value as ValueModel;
  if (!(TIER_METHODS as readonly string[]).includes(model.tiers.by)) {
    throw new ValueModelError(file, 'tiers.by', `must be one of ${TIER_METHODS.join(', ')}`);
  }
  if (!isCurrency(model.currency)) {
    throw new ValueModelError(file, 'currency', `must be one of ${CURRENCIES.join(', ')}`);
  }
  for (const code of Object.keys(model.exchangeRates)) {
    if (!isCurrency(code)) {
      throw new ValueModelError(
        file,
        `exchangeRates.${code}`,
        `is not a known ISO 4217 code (${CURRENCIES.join(', ')})`,
      );
    }
  }
  const { by, platinum, gold, silver } = model.tiers;
  if (by === 'percentiles') {
    if (platinum + gold + silver > 100) {
      throw new ValueModelError(
        file,
        'tiers',
        'shares of platinum, gold and silver add up to more than 100 %',
      );
    }
  } else {
    if (gold > platinum) throw new ValueModelError(file, 'tiers.gold', 'must not be above tiers.platinum');
    if (silver > gold) throw new ValueModelError(file, 'tiers.silver', 'must not be above tiers.gold');
  }
  const lifecycleProblem = lifecycleModelProblem(model.lifecycle);
  if (lifecycleProblem) throw new ValueModelError(file, ...lifecycleProblem);
  return model;
}

/** Reads and validates the value model file; refuses to go on with a message naming the bad field. */
export function loadValueModel(file: string): ValueModel {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ValueModelError(file, '', `cannot be read as JSON: ${(error as Error).message}`);
  }
  return parseValueModel(raw, file);
}

/** Currencies an event may be in: the model's own and those it has a rate for. */
export const acceptedCurrencies = (model: ValueModel) => [
  model.currency,
  ...Object.keys(model.exchangeRates),
];
