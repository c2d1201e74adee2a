import { Type, type Static } from 'typebox';
import { Id, Nullable, PageQuery, Timestamp } from '../http/common.schemas.js';
import { Tier } from '../../contracts/glossary.schemas.js';
import { ValueModel } from './value-model.js';

const Reference = Type.String({
  minLength: 1,
  maxLength: 100,
  pattern: '^[\\x21-\\x7E]+( [\\x21-\\x7E]+)*$',
  description:
    "The sender's id of the purchase (order number…): printable ASCII; sending it again is harmless",
});
const Amount = Type.Number({ minimum: 0, maximum: 1e12, description: 'In `currency`, e.g. 48.5' });
const CurrencyCode = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217, e.g. CNY' });

const EventFields = {
  amount: Amount,
  currency: CurrencyCode,
  occurredAt: { ...Timestamp, description: 'When the purchase happened: ISO-8601, not in the future' },
  reference: Reference,
};

export const ValueEventBody = Type.Object(EventFields, { additionalProperties: false });
export type ValueEventBody = Static<typeof ValueEventBody>;

/** Most events in one bulk request; a larger import is split by the sender. */
export const BULK_MAX_EVENTS = 1000;

export const BulkValueEventsBody = Type.Object(
  {
    events: Type.Array(Type.Object({ customerId: Id, ...EventFields }, { additionalProperties: false }), {
      minItems: 1,
      maxItems: BULK_MAX_EVENTS,
    }),
  },
  { additionalProperties: false },
);
export type BulkValueEventsBody = Static<typeof BulkValueEventsBody>;

export const BulkValueEventsResult = Type.Object({
  /** Events stored by this request. */
  created: Type.Integer(),
  /** Events already stored with the same reference and content. */
  unchanged: Type.Integer(),
});
export type BulkValueEventsResult = Static<typeof BulkValueEventsResult>;

export const ValueEvent = Type.Object({
  id: Type.Integer(),
  customerId: Type.Integer(),
  reference: Type.String(),
  amount: Type.Number(),
  currency: Type.String(),
  occurredAt: Timestamp,
  createdAt: Timestamp,
});
export type ValueEvent = Static<typeof ValueEvent>;

export const ValueEventPage = Type.Object({ items: Type.Array(ValueEvent), total: Type.Integer() });
export type ValueEventPage = Static<typeof ValueEventPage>;
export const ValueEventPageQuery = Type.Object({ ...PageQuery });
export type ValueEventPageQuery = Static<typeof ValueEventPageQuery>;

/**
 * Why a customer has their computed tier, as facts for the console to phrase in its language
 * ("Gold: lifetime value ¥48,200, top 3 %").
 */
export const ValueReason = Type.Object({
  tier: Tier,
  by: Type.Union([Type.Literal('percentiles'), Type.Literal('thresholds')]),
  /** ISO 4217: the value model's currency. */
  currency: Type.String(),
  lifetimeValue: Type.Number(),
  recentSpend: Type.Number(),
  recentDays: Type.Integer(),
  tenureDays: Type.Integer(),
  contacts: Type.Integer(),
  /** Share of customers, in percent, scoring at least as high. */
  topPercent: Type.Number(),
});
export type ValueReason = Static<typeof ValueReason>;

export const TierOverride = Type.Object({
  tier: Tier,
  reason: Type.String(),
  expiresAt: Timestamp,
  setByName: Nullable(Type.String()),
  setAt: Timestamp,
});
export type TierOverride = Static<typeof TierOverride>;

/** A customer's value: the tier in force, the computed one with its reason, and an active override. */
export const CustomerValue = Type.Object({
  customerId: Type.Integer(),
  /** The override's tier while it lasts, else the computed one. */
  tier: Tier,
  computed: Nullable(
    Type.Object({
      tier: Tier,
      score: Type.Number(),
      topPercent: Type.Number(),
      reason: ValueReason,
      computedAt: Timestamp,
    }),
  ),
  override: Nullable(TierOverride),
});
export type CustomerValue = Static<typeof CustomerValue>;

/** The longest a tier override may last, in days: a standing exception belongs in the value model. */
export const OVERRIDE_MAX_DAYS = 366;

export const TierOverrideBody = Type.Object(
  {
    tier: Tier,
    reason: Type.String({ minLength: 3, maxLength: 500, pattern: '\\S' }),
    expiresAt: {
      ...Timestamp,
      description: `When the computed tier returns: future, at most ${OVERRIDE_MAX_DAYS} days ahead`,
    },
  },
  { additionalProperties: false },
);
export type TierOverrideBody = Static<typeof TierOverrideBody>;

export const RecomputeResult = Type.Object({
  customers: Type.Integer(),
  /** Customers whose tier in force changed. */
  changed: Type.Integer(),
  durationMs: Type.Number(),
  /** Each pass of the run on the worker thread (value first), with its own time. */
  passes: Type.Array(
    Type.Object({
      name: Type.String(),
      customers: Type.Integer(),
      changed: Type.Integer(),
      written: Type.Optional(Type.Integer()),
      durationMs: Type.Number(),
      phasesMs: Type.Optional(Type.Record(Type.String(), Type.Number())),
    }),
  ),
  /** The server process's resident memory when the passes ended, in MB. */
  rssMb: Type.Number(),
});
export type RecomputeResult = Static<typeof RecomputeResult>;

/** The value model in force and where it comes from: the file, or an admin's edit in the console. */
export const ValueModelView = Type.Object({
  model: ValueModel,
  source: Type.Union([Type.Literal('file'), Type.Literal('console')]),
  /** When and by whom it was last saved in the console; null while the file is in force. */
  updatedAt: Nullable(Timestamp),
  updatedByName: Nullable(Type.String()),
});
export type ValueModelView = Static<typeof ValueModelView>;
