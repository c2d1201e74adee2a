import { Type, type Static } from 'typebox';
import { Literals } from '../../contracts/schema-kit.js';
import { Nullable, Timestamp } from '../http/common.schemas.js';

/** The data types retention removes, each with its own number of days. */
export const RETENTION_TYPES = ['recordings', 'notes', 'interactions', 'auditLog', 'sessions'] as const;
export type RetentionType = (typeof RETENTION_TYPES)[number];

/** The tables retention removes rows from or clears fields of. */
export const RETENTION_TABLES = ['interactions', 'customer_notes', 'audit_log', 'sessions'] as const;

/** A hundred years: anything longer is "keep forever" (0 or null). */
const MAX_DAYS = 36_500;
const Days = (description: string) =>
  Nullable(
    Type.Integer({ minimum: 0, maximum: MAX_DAYS, description: `${description}; 0 or null: kept forever` }),
  );

export const RetentionPolicy = Type.Object(
  {
    recordingsDays: Days('Days a call recording is kept (deleted at the provider after)'),
    notesDays: Days("Days a customer note or an interaction's wrap-up notes are kept"),
    interactionsDays: Days(
      "Days an interaction keeps its personal fields (caller's number, IVR answers, notes); the row stays for reports",
    ),
    auditLogDays: Days('Days an audit log entry is kept'),
    sessionsDays: Days('Days an expired sign-in session is kept after it expired'),
  },
  { additionalProperties: false },
);
export type RetentionPolicy = Static<typeof RetentionPolicy>;

export const RetentionPolicyView = Type.Object({
  policy: RetentionPolicy,
  /** `config`: the defaults from the environment (server/config.ts); `console`: an admin's edit. */
  source: Type.Union([Type.Literal('config'), Type.Literal('console')]),
  updatedAt: Nullable(Timestamp),
  updatedByName: Nullable(Type.String()),
});
export type RetentionPolicyView = Static<typeof RetentionPolicyView>;

/** What one data type would lose (dry run) or lost (run): rows of one table. */
export const RetentionItem = Type.Object({
  type: Literals(RETENTION_TYPES),
  table: Literals(RETENTION_TABLES),
  /** Rows older than this go: now minus the type's days. */
  before: Timestamp,
  count: Type.Integer({ minimum: 0 }),
  oldest: Nullable(Timestamp),
  /** Up to ten row ids, oldest first (a session by the first 8 hex digits of its token's hash). */
  sampleIds: Type.Array(Type.String()),
});
export type RetentionItem = Static<typeof RetentionItem>;

export const RetentionPreview = Type.Object({
  asOf: Timestamp,
  policy: RetentionPolicy,
  /** One per table a type touches; a type kept forever has none. */
  items: Type.Array(RetentionItem),
});
export type RetentionPreview = Static<typeof RetentionPreview>;

export const RetentionRunResult = Type.Object({
  asOf: Timestamp,
  policy: RetentionPolicy,
  items: Type.Array(Type.Omit(RetentionItem, ['oldest', 'sampleIds'])),
  /** Recording deletions queued at the provider (retried until done). */
  recordingDeletionsQueued: Type.Integer({ minimum: 0 }),
});
export type RetentionRunResult = Static<typeof RetentionRunResult>;
