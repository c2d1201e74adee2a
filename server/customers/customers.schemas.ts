import { Type, type Static } from 'typebox';
import { Id, Nullable, PageQuery, Timestamp } from '../http/common.schemas.js';
import { LifecycleStage, Tier } from '../../contracts/glossary.schemas.js';
import { CustomerProfile, FollowUp } from '../../contracts/customer.js';

export { LIFECYCLE_STAGES, TIERS } from '../../contracts/glossary.js';
export { LifecycleStage, Tier } from '../../contracts/glossary.schemas.js';
export { CustomerProfile, FollowUp } from '../../contracts/customer.js';

/**
 * Control characters but tab and line breaks: SQLite's FTS5 and LIKE read a NUL as the end of the
 * text, and none belongs in what people type about a customer or search for.
 */
const CONTROLS = '\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F';
export const CONTROL_CHARACTER = new RegExp(`[${CONTROLS}]`);
const WITHOUT_CONTROLS = `[^${CONTROLS}]*`;
const Text = (options: { minLength?: number; maxLength: number }) =>
  Type.String({ ...options, pattern: `^${WITHOUT_CONTROLS}$` });
const Name = Type.String({ minLength: 1, maxLength: 200, pattern: `^(?=[\\s\\S]*\\S)${WITHOUT_CONTROLS}$` });
const Company = Nullable(Text({ maxLength: 200 }));
const Language = Type.String({ pattern: '^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$', maxLength: 35 });
const Tags = Type.Array(Text({ minLength: 1, maxLength: 50 }), { maxItems: 50 });
const Attributes = Type.Record(
  Type.String({ maxLength: 100 }),
  Type.Union([Text({ maxLength: 1000 }), Type.Number(), Type.Boolean(), Type.Null()]),
  { maxProperties: 50 },
);
const PhoneInput = Type.Object(
  {
    number: Type.String({ minLength: 1, maxLength: 40, description: 'Any common written form' }),
    label: Type.Optional(Text({ minLength: 1, maxLength: 30 })),
  },
  { additionalProperties: false },
);
const EmailInput = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 254 }),
    label: Type.Optional(Text({ minLength: 1, maxLength: 30 })),
  },
  { additionalProperties: false },
);

export const CustomerPhone = Type.Object({
  id: Type.Integer(),
  e164: Type.String(),
  /** The number as people in its country write it, e.g. "(415) 555-0123". */
  display: Type.String(),
  label: Type.String(),
});
export type CustomerPhone = Static<typeof CustomerPhone>;

export const CustomerEmail = Type.Object({ id: Type.Integer(), email: Type.String(), label: Type.String() });
export type CustomerEmail = Static<typeof CustomerEmail>;

/** One search hit: enough to recognise the caller in a list. */
export const CustomerSummary = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  company: Nullable(Type.String()),
  tier: Tier,
  lifecycleStage: LifecycleStage,
  phones: Type.Array(Type.String(), { description: 'E.164' }),
  emails: Type.Array(Type.String()),
});
export type CustomerSummary = Static<typeof CustomerSummary>;

/** A search (`q`) or a segment's customers (`segment`, by id), one of the two. */
export const CustomerSearchQuery = Type.Object({
  q: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 100,
      description: 'Name, phone (any form or a fragment of 3+ digits), email or company',
    }),
  ),
  segment: Type.Optional(Id),
  ...PageQuery,
});
export type CustomerSearchQuery = Static<typeof CustomerSearchQuery>;

export const CustomerSearchResult = Type.Object({
  items: Type.Array(CustomerSummary),
  /** With `segment`: how many customers the segment holds (the items are a page of them, by id). */
  total: Type.Optional(Type.Integer({ minimum: 0 })),
});
export type CustomerSearchResult = Static<typeof CustomerSearchResult>;

export const CustomerNote = Type.Object({
  id: Type.Integer(),
  body: Type.String(),
  authorName: Nullable(Type.String()),
  createdAt: Timestamp,
});
export type CustomerNote = Static<typeof CustomerNote>;

export const CustomerStats = Type.Object({
  interactions: Type.Integer(),
  answered: Type.Integer(),
  abandoned: Type.Integer(),
  lastContactAt: Nullable(Timestamp),
  /** The most recent post-call survey score, 1–5, and when it was given; null if never scored. */
  lastSurveyScore: Nullable(Type.Integer({ minimum: 1, maximum: 5 })),
  lastSurveyAt: Nullable(Timestamp),
});

/** The customer 360 view: everything an agent needs on one page. The timeline is paged separately. */
export const Customer360 = Type.Object({
  customer: CustomerProfile,
  phones: Type.Array(CustomerPhone),
  emails: Type.Array(CustomerEmail),
  openFollowUps: Type.Array(FollowUp),
  notes: Type.Array(CustomerNote),
  stats: CustomerStats,
});
export type Customer360 = Static<typeof Customer360>;

export const CreateCustomerBody = Type.Object(
  {
    name: Name,
    company: Type.Optional(Company),
    tier: Type.Optional(Tier),
    lifecycleStage: Type.Optional(LifecycleStage),
    language: Type.Optional(Language),
    tags: Type.Optional(Tags),
    attributes: Type.Optional(Attributes),
    phones: Type.Optional(Type.Array(PhoneInput, { maxItems: 10 })),
    emails: Type.Optional(Type.Array(EmailInput, { maxItems: 10 })),
  },
  { additionalProperties: false },
);
export type CreateCustomerBody = Static<typeof CreateCustomerBody>;

export const UpdateCustomerBody = Type.Object(
  {
    name: Type.Optional(Name),
    company: Type.Optional(Company),
    tier: Type.Optional(Tier),
    lifecycleStage: Type.Optional(LifecycleStage),
    language: Type.Optional(Language),
    tags: Type.Optional(Tags),
    attributes: Type.Optional(Attributes),
    doNotCall: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateCustomerBody = Static<typeof UpdateCustomerBody>;

export const AddPhoneBody = PhoneInput;
export type AddPhoneBody = Static<typeof AddPhoneBody>;

export const AddNoteBody = Type.Object(
  { body: Text({ minLength: 1, maxLength: 5000 }) },
  { additionalProperties: false },
);
export type AddNoteBody = Static<typeof AddNoteBody>;

/** A customer merged into another (server/customer-merge): their id now leads to the survivor. */
export const MergedCustomerRedirect = Type.Object({ mergedInto: Id });
export type MergedCustomerRedirect = Static<typeof MergedCustomerRedirect>;
