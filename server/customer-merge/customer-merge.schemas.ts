import { Type, type Static } from 'typebox';
import { Id, Nullable, Timestamp } from '../http/common.schemas.js';
import { Literals } from '../../contracts/schema-kit.js';
import { DUPLICATE_REASONS, type DuplicateReason as Reason } from '../../contracts/customer-merge.js';
import { LifecycleStage, Tier } from '../../contracts/glossary.schemas.js';

export { DUPLICATE_REASONS, MERGE_FIELDS, type MergeField } from '../../contracts/customer-merge.js';

export const DuplicateReason = Literals(DUPLICATE_REASONS);
export type DuplicateReason = Reason;

/** One side of a pair: what a person compares to decide. */
export const DuplicateCustomer = Type.Object({
  id: Id,
  name: Type.String(),
  company: Nullable(Type.String()),
  language: Type.String(),
  tags: Type.Array(Type.String()),
  attributes: Type.Record(Type.String(), Type.Unknown()),
  doNotCall: Type.Boolean(),
  tier: Tier,
  lifecycleStage: LifecycleStage,
  phones: Type.Array(Type.String(), { description: 'E.164' }),
  emails: Type.Array(Type.String()),
  interactions: Type.Integer({ minimum: 0 }),
  createdAt: Timestamp,
});
export type DuplicateCustomer = Static<typeof DuplicateCustomer>;

export const DuplicatePair = Type.Object({
  /** The lower id first. */
  customers: Type.Tuple([DuplicateCustomer, DuplicateCustomer]),
  reasons: Type.Array(DuplicateReason, { minItems: 1 }),
});
export type DuplicatePair = Static<typeof DuplicatePair>;

/** Paged by a cursor (the last pair's ids), so a page costs the same wherever it is in a million customers. */
export const DuplicateListQuery = Type.Object({
  after: Type.Optional(
    Type.String({ pattern: '^[1-9][0-9]{0,15}-[1-9][0-9]{0,15}$', description: 'next of the previous page' }),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20 })),
});
export type DuplicateListQuery = Static<typeof DuplicateListQuery>;

export const DuplicateList = Type.Object({
  items: Type.Array(DuplicatePair),
  /** Pass as `after` for the next page; null on the last one. */
  next: Nullable(Type.String()),
});
export type DuplicateList = Static<typeof DuplicateList>;

const Side = Type.Union([Type.Literal('survivor'), Type.Literal('merged')]);
export const MergeBody = Type.Object(
  {
    /** The customer merged into the survivor (the one in the path). */
    mergeId: Id,
    /** Per profile field, whose value the survivor keeps; a field left out keeps the survivor's. */
    keep: Type.Optional(
      Type.Object(
        {
          name: Type.Optional(Side),
          company: Type.Optional(Side),
          language: Type.Optional(Side),
          tags: Type.Optional(Side),
          attributes: Type.Optional(Side),
          doNotCall: Type.Optional(Side),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type MergeBody = Static<typeof MergeBody>;

export const DismissBody = Type.Object(
  { customerIds: Type.Array(Id, { minItems: 2, maxItems: 2 }) },
  { additionalProperties: false },
);
export type DismissBody = Static<typeof DismissBody>;
