import { Type, type Static } from 'typebox';
import { FollowUpKind, FollowUpPriority, FollowUpStatus } from './glossary.schemas.js';
import { Id, Nullable, Timestamp } from './schema-kit.js';

/** Who owns a Follow-up: one Agent, or the team of a CallQueue (the agents qualified for it). */
export const FollowUpOwner = Type.Union([
  Type.Object({ type: Type.Literal('agent'), agentId: Id, name: Type.String() }),
  Type.Object({ type: Type.Literal('queue'), queueId: Id, name: Type.String() }),
  Type.Object({ type: Type.Literal('none') }),
]);
export type FollowUpOwner = Static<typeof FollowUpOwner>;

/** A Follow-up as a worklist shows it: the work, its customer and its owner. */
export const FollowUpWork = Type.Object({
  id: Type.Integer(),
  kind: FollowUpKind,
  status: FollowUpStatus,
  priority: FollowUpPriority,
  title: Nullable(Type.String()),
  note: Nullable(Type.String()),
  dueAt: Timestamp,
  overdue: Type.Boolean({ description: 'Still to do and past its due time' }),
  customer: Type.Object({ id: Type.Integer(), name: Type.String() }),
  owner: FollowUpOwner,
  interactionId: Nullable(Type.Integer()),
  source: Type.Union([Type.Literal('manual'), Type.Literal('wrap_up'), Type.Literal('rule')]),
  createdBy: Nullable(Type.String({ description: 'Display name of the agent who created it' })),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  completedAt: Nullable(Timestamp),
});
export type FollowUpWork = Static<typeof FollowUpWork>;

/** The figures behind the navigation badge, for one worklist. */
export const FollowUpCountFigures = Type.Object({
  open: Type.Integer({ description: 'Open or in progress' }),
  dueToday: Type.Integer({ description: 'Still to do, due from now until the end of today' }),
  overdue: Type.Integer({ description: 'Still to do, past their due time' }),
});
export const FollowUpCounts = Type.Object({ mine: FollowUpCountFigures, team: FollowUpCountFigures });
export type FollowUpCounts = Static<typeof FollowUpCounts>;

/** Pushed to the owner (or the owning team's members) when a Follow-up falls due and when it is overdue. */
export interface FollowUpReminder {
  followUpId: number;
  reminder: 'due' | 'overdue';
  kind: Static<typeof FollowUpKind>;
  title: string | null;
  customerId: number;
  customerName: string;
  dueAt: string;
}
