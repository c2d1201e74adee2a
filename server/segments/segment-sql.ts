/**
 * The segment filter as SQL: one compiler entry per filter field, each giving a condition on the
 * customer row `c` with its values as named parameters (`@seg_…`), never spliced into the text. The
 * result is embedded by the segments repository (count, list, export) and by the reports (a summary by
 * segment), so the parameter names carry a prefix of their own. Pure, so each field is unit-tested.
 */
import type { SegmentField, SegmentFilter } from './segments.schemas.js';

const DAY_MS = 86_400_000;

/** A filter the compiler refuses; the service answers 400 with `field` in the message. */
export class SegmentFilterError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`filter.${field}: ${message}`);
    this.name = 'SegmentFilterError';
  }
}

export type SqlParams = Record<string, string | number>;

/** A condition on `customers c`, and its parameters. */
export interface SegmentSql {
  where: string;
  params: SqlParams;
}

interface Context {
  /** The moment "days since last contact" counts from, in ms. */
  nowMs: number;
  params: SqlParams;
}

type Range = { min?: number; max?: number };
type Compile<K extends SegmentField> = (value: NonNullable<SegmentFilter[K]>, context: Context) => string;

function checkedRange(field: SegmentField, range: Range): Range {
  if (range.min === undefined && range.max === undefined)
    throw new SegmentFilterError(field, 'give min, max or both');
  if (range.min !== undefined && range.max !== undefined && range.min > range.max)
    throw new SegmentFilterError(field, `min (${range.min}) is above max (${range.max})`);
  return range;
}

/** Adds the values as parameters `@seg_<name><n>` and returns their placeholders, comma-separated. */
function list(context: Context, name: string, values: readonly string[]): string {
  return values
    .map((value, n) => {
      context.params[`seg_${name}${n}`] = value;
      return `@seg_${name}${n}`;
    })
    .join(', ');
}

/** `column` between the range's ends (inclusive), as conditions with parameters. */
function between(context: Context, field: SegmentField, column: string, range: Range): string {
  const { min, max } = checkedRange(field, range);
  const conditions: string[] = [];
  if (min !== undefined) {
    context.params[`seg_${field}Min`] = min;
    conditions.push(`${column} >= @seg_${field}Min`);
  }
  if (max !== undefined) {
    context.params[`seg_${field}Max`] = max;
    conditions.push(`${column} <= @seg_${field}Max`);
  }
  return conditions.join(' AND ');
}

const isoDaysAgo = (context: Context, days: number) => new Date(context.nowMs - days * DAY_MS).toISOString();

/**
 * One entry per field of SegmentFilter: the type makes a new field fail to compile until it has one.
 * Sets go through indexes: the value range reads customer_values_by_score; the last-contact bounds
 * read the interactions since a cut-off (interactions_contacts covers arrived_at, customer_id); the
 * latest survey score groups interaction_surveys, which holds far fewer rows than customers.
 */
const FIELDS: { [K in SegmentField]-?: Compile<K> } = {
  tiers: (tiers, context) => `c.tier IN (${list(context, 'tier', tiers)})`,
  lifecycleStages: (stages, context) => `c.lifecycle_stage IN (${list(context, 'stage', stages)})`,
  tags: (tags, context) =>
    `EXISTS (SELECT 1 FROM json_each(c.tags) t WHERE t.value IN (${list(context, 'tag', tags)}))`,
  value: (range, context) =>
    `c.id IN (SELECT v.customer_id FROM customer_values v WHERE ${between(context, 'value', 'v.score', range)})`,
  // Whole days since the latest interaction d = floor((now − latest) / 1 day): d ≥ min ⇔ nothing
  // arrived after now − min days (never contacted qualifies); d ≤ max ⇔ something arrived after
  // now − (max + 1) days.
  lastContactDays: (range, context) => {
    const { min, max } = checkedRange('lastContactDays', range);
    const conditions: string[] = [];
    if (min !== undefined) {
      context.params.seg_contactBefore = isoDaysAgo(context, min);
      conditions.push(
        `c.id NOT IN (SELECT i.customer_id FROM interactions i
                      WHERE i.arrived_at > @seg_contactBefore AND i.customer_id IS NOT NULL)`,
      );
    }
    if (max !== undefined) {
      context.params.seg_contactSince = isoDaysAgo(context, max + 1);
      conditions.push(
        `c.id IN (SELECT i.customer_id FROM interactions i WHERE i.arrived_at > @seg_contactSince)`,
      );
    }
    return conditions.join(' AND ');
  },
  // The latest answered survey per customer: SQLite takes a bare column (score) from the row that
  // holds max(ended_at) in its group.
  satisfaction: (range, context) =>
    `c.id IN (SELECT customer_id FROM (
       SELECT s.customer_id, s.score, max(s.ended_at) FROM interaction_surveys s
       WHERE s.score IS NOT NULL AND s.customer_id IS NOT NULL GROUP BY s.customer_id)
     WHERE ${between(context, 'satisfaction', 'score', range)})`,
  // The churn score kept by server/lifecycle; a customer not evaluated yet has none and never matches.
  churnRisk: (range, context) =>
    `c.id IN (SELECT l.customer_id FROM customer_lifecycle l WHERE ${between(context, 'churnRisk', 'l.churn_score', range)})`,
};

const KNOWN = new Set(Object.keys(FIELDS));

/**
 * The filter as one condition on `customers c` (erased customers never match). Refuses a field it has
 * no entry for (a stored filter from a newer version, or a request the schema did not check) and a
 * range whose min is above its max.
 */
export function compileSegmentFilter(filter: SegmentFilter, nowMs: number): SegmentSql {
  const context: Context = { nowMs, params: {} };
  const conditions = ['c.erased_at IS NULL', 'c.merged_into IS NULL'];
  for (const [field, value] of Object.entries(filter)) {
    if (!KNOWN.has(field)) throw new SegmentFilterError(field, 'not a segment filter field');
    if (value === undefined) continue;
    const compile = FIELDS[field as SegmentField] as Compile<SegmentField>;
    conditions.push(`(${compile(value, context)})`);
  }
  return { where: conditions.join(' AND '), params: context.params };
}

/** The ids of the segment's customers, as a subquery for `… IN (…)`. */
export const customerIdsSql = (sql: SegmentSql) => `SELECT c.id FROM customers c WHERE ${sql.where}`;
