import { Type, type Static, type TNumber, type TInteger } from 'typebox';
import { Id, Nullable, Timestamp } from '../http/common.schemas.js';
import { LifecycleStage, Tier } from '../../contracts/glossary.schemas.js';

/** Both ends included; at least one given. The compiler refuses min > max, naming the field. */
const Range = <T extends TNumber | TInteger>(bound: T, description: string) =>
  Type.Object(
    { min: Type.Optional(bound), max: Type.Optional(bound) },
    { additionalProperties: false, minProperties: 1, description },
  );

const Tag = Type.String({ minLength: 1, maxLength: 50, pattern: '^[^\\u0000-\\u001F\\u007F]*$' });

/**
 * Which customers a segment holds. Each field narrows (AND across fields); a list field matches any
 * of its values (OR within it). Erased customers are never in a segment. The semantics of each field
 * are in server/segments/README.md; `segment-sql.ts` has one compiler entry per field.
 */
export const SegmentFilter = Type.Object(
  {
    tiers: Type.Optional(Type.Array(Tier, { minItems: 1, maxItems: 4, uniqueItems: true })),
    lifecycleStages: Type.Optional(
      Type.Array(LifecycleStage, { minItems: 1, maxItems: 5, uniqueItems: true }),
    ),
    tags: Type.Optional(
      Type.Array(Tag, { minItems: 1, maxItems: 20, uniqueItems: true, description: 'Has any of these tags' }),
    ),
    value: Type.Optional(
      Range(
        Type.Number({ minimum: -1e12, maximum: 1e12 }),
        'customer_values.score; customers without one never match',
      ),
    ),
    lastContactDays: Type.Optional(
      Range(
        Type.Integer({ minimum: 0, maximum: 36_500 }),
        'Whole days since the latest interaction; never contacted matches a range without max',
      ),
    ),
    satisfaction: Type.Optional(
      Range(Type.Integer({ minimum: 1, maximum: 5 }), 'The latest answered post-call survey score (1–5)'),
    ),
    churnRisk: Type.Optional(
      Range(
        Type.Integer({ minimum: 0, maximum: 100 }),
        'The churn-risk score 0–100 from server/lifecycle; customers not evaluated yet never match',
      ),
    ),
  },
  { additionalProperties: false },
);
export type SegmentFilter = Static<typeof SegmentFilter>;
export type SegmentField = keyof SegmentFilter;

const Name = Type.String({
  minLength: 1,
  maxLength: 100,
  pattern: '^(?=[\\s\\S]*\\S)[^\\u0000-\\u001F\\u007F]*$',
});

export const Segment = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  filter: SegmentFilter,
  /** Customers in the segment now. */
  count: Type.Integer({ minimum: 0 }),
  createdByName: Nullable(Type.String()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Segment = Static<typeof Segment>;

export const SegmentList = Type.Object({ items: Type.Array(Segment) });
export type SegmentList = Static<typeof SegmentList>;

export const CreateSegmentBody = Type.Object(
  { name: Name, filter: SegmentFilter },
  { additionalProperties: false },
);
export type CreateSegmentBody = Static<typeof CreateSegmentBody>;

export const UpdateSegmentBody = Type.Object(
  { name: Type.Optional(Name), filter: Type.Optional(SegmentFilter) },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateSegmentBody = Static<typeof UpdateSegmentBody>;

export const CountBody = Type.Object({ filter: SegmentFilter }, { additionalProperties: false });
export type CountBody = Static<typeof CountBody>;

export const SegmentCount = Type.Object({ count: Type.Integer({ minimum: 0 }) });
export type SegmentCount = Static<typeof SegmentCount>;

export const SegmentParams = Type.Object({ id: Id });

/** A streamed CSV file (OpenAPI: a string). */
export const CsvResponse = Type.String({ description: 'text/csv; charset=utf-8, with a BOM' });
