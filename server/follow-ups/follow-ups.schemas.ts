import { Type, type Static } from 'typebox';
import {
  FollowUpAction,
  FollowUpKind,
  FollowUpPriority,
  FollowUpStatus,
  WorkFollowUpKind,
} from '../../contracts/glossary.schemas.js';
import { Id, Page, PageQuery, Timestamp } from '../http/common.schemas.js';

import { FollowUpWork } from '../../contracts/follow-up.js';

export { FollowUpCounts, FollowUpOwner, FollowUpWork } from '../../contracts/follow-up.js';
export type { FollowUpReminder } from '../../contracts/follow-up.js';

/** Who a new or reassigned Follow-up belongs to: exactly one of an agent or a call queue's team. */
const OwnerFields = {
  ownerAgentId: Type.Optional(Id),
  ownerQueueId: Type.Optional(Id),
};

export const CreateFollowUpBody = Type.Object(
  {
    customerId: Id,
    kind: WorkFollowUpKind,
    title: Type.String({ minLength: 1, maxLength: 200 }),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    dueAt: Timestamp,
    priority: Type.Optional(FollowUpPriority),
    interactionId: Type.Optional(Id),
    ...OwnerFields,
  },
  {
    additionalProperties: false,
    description: 'Give ownerAgentId or ownerQueueId, not both; neither means the caller owns it.',
  },
);
export type CreateFollowUpBody = Static<typeof CreateFollowUpBody>;

export const ReassignFollowUpBody = Type.Object(OwnerFields, {
  additionalProperties: false,
  minProperties: 1,
  description: 'Exactly one of ownerAgentId and ownerQueueId',
});
export type ReassignFollowUpBody = Static<typeof ReassignFollowUpBody>;

export const TransitionFollowUpBody = Type.Object(
  { action: FollowUpAction },
  { additionalProperties: false },
);
export type TransitionFollowUpBody = Static<typeof TransitionFollowUpBody>;

export const WorklistQuery = Type.Object(
  {
    status: Type.Optional(FollowUpStatus),
    kind: Type.Optional(FollowUpKind),
    overdue: Type.Optional(Type.Boolean({ description: 'Only those still to do and past due' })),
    /** Without a status filter a worklist shows what is still to do (open and in progress). */
    ...PageQuery,
  },
  { additionalProperties: false },
);
export type WorklistQuery = Static<typeof WorklistQuery>;

export const CustomerFollowUpsQuery = Type.Object(
  { status: Type.Optional(FollowUpStatus), ...PageQuery },
  { additionalProperties: false },
);
export type CustomerFollowUpsQuery = Static<typeof CustomerFollowUpsQuery>;

export const CountsQuery = Type.Object(
  {
    /** The end of the caller's local day, for "due today"; default the end of the UTC day. */
    todayEndsAt: Type.Optional(Timestamp),
  },
  { additionalProperties: false },
);
export type CountsQuery = Static<typeof CountsQuery>;

export const FollowUpPage = Page(FollowUpWork);
export type FollowUpPage = Static<typeof FollowUpPage>;

export const CustomerIdParams = Type.Object({ customerId: Id });

/** What a rule (a post-call survey, a lifecycle change) hands `createByRule`. */
export interface RuleFollowUp {
  kind: 'win_back' | 'service_recovery';
  customerId: number;
  interactionId?: number | null;
  /** The call queue whose team owns it (e.g. the surveyed call's queue, for its supervisors). */
  ownerQueueId?: number | null;
  ownerAgentId?: number | null;
  /** ISO-8601. */
  dueAt: string;
  priority: Static<typeof FollowUpPriority>;
  note: string;
  /**
   * The rule's idempotency key, unique across all rules: e.g. `survey:<interactionId>` or
   * `win_back:<customerId>:<lostAt>`. The same key twice makes one follow-up.
   */
  sourceKey: string;
  /** Shown as the title; default a generic one per kind. */
  title?: string;
}

export const TeamList = Type.Object({
  items: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() })),
});
