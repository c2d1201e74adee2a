import { Type, type Static } from 'typebox';
import { Id, Nullable, Timestamp } from '../http/common.schemas.js';
import {
  CallDirection,
  InteractionProvider,
  LifecycleStage,
  Tier,
} from '../../contracts/glossary.schemas.js';
import { FLOW_ID_PATTERN } from '../../ivr/index.js';
import { SlTarget } from '../../contracts/call-queue.js';

const Count = Type.Integer({ minimum: 0 });
const Seconds = Nullable(Type.Number({ minimum: 0, description: 'Seconds; null with no calls to average' }));
const Percent = Nullable(
  Type.Number({ minimum: 0, maximum: 100, description: 'Percent; null when the base is 0' }),
);

/** Each figure as defined in server/reports/README.md. */
export const ReportMetrics = Type.Object({
  contacts: Count,
  offered: Count,
  answered: Count,
  answeredWithinTarget: Count,
  abandoned: Count,
  shortAbandoned: Count,
  abandonPercent: Percent,
  serviceLevelPercent: Percent,
  asaSeconds: Seconds,
  ahtSeconds: Seconds,
  averageTalkSeconds: Seconds,
  averageHoldSeconds: Seconds,
  averageAfterCallWorkSeconds: Seconds,
  averageAbandonWaitSeconds: Seconds,
  longestWaitSeconds: Seconds,
  handled: Count,
  transfers: Count,
  callbacksRequested: Count,
  callbacksKept: Count,
  callbacksFailed: Count,
  rona: Count,
  declined: Count,
  voicemails: Count,
  ivrContainmentPercent: Percent,
});

export const Interval = Type.Union(
  [
    Type.Literal('15min'),
    Type.Literal('hour'),
    Type.Literal('day'),
    Type.Literal('week'),
    Type.Literal('month'),
  ],
  { description: 'Local periods in `timeZone`' },
);
export const GroupBy = Type.Union([
  Type.Literal('queue'),
  Type.Literal('agent'),
  Type.Literal('tier'),
  Type.Literal('lifecycle'),
  Type.Literal('code'),
]);
export type GroupBy = Static<typeof GroupBy>;

const Range = {
  /** Start, inclusive, and end, exclusive: both on a quarter hour. */
  from: Timestamp,
  to: Timestamp,
  timeZone: Type.String({ default: 'UTC', maxLength: 64, description: 'IANA time zone of the periods' }),
};

const Filters = {
  queueId: Type.Optional(Id),
  agentId: Type.Optional(Id),
  tier: Type.Optional(Tier),
  /** The customer's LifecycleStage when the Interaction closed. */
  lifecycleStage: Type.Optional(LifecycleStage),
  wrapUpCodeId: Type.Optional(Id),
  provider: Type.Optional(InteractionProvider),
  direction: Type.Optional(CallDirection),
};

export const ReportQuery = Type.Object({
  ...Range,
  ...Filters,
  /**
   * Interactions of the customers in this saved segment now (server/segments). Read from the
   * interactions and their contributions, not the rollups; the summary (and its CSV) only.
   */
  segmentId: Type.Optional(Id),
  interval: Type.Optional(Interval),
  by: Type.Optional(GroupBy),
});
export type ReportQuery = Static<typeof ReportQuery>;

export const MyReportQuery = Type.Object({ ...Range, interval: Type.Optional(Interval) });
export type MyReportQuery = Static<typeof MyReportQuery>;

export const ReportRow = Type.Object({
  /** Start of the local period (UTC); null without `interval`. */
  periodStart: Nullable(Timestamp),
  /** The period's start on the local wall clock with its offset, e.g. 2026-03-08T03:00:00-07:00. */
  periodLabel: Nullable(Type.String()),
  /** The group (queue, agent, tier, lifecycle stage or wrap-up code) without `by` null; id null for "none" (no queue, unknown caller…). */
  group: Nullable(
    Type.Object({ id: Nullable(Type.Union([Type.Integer(), Type.String()])), name: Nullable(Type.String()) }),
  ),
  metrics: ReportMetrics,
  /**
   * The service-level target the row is held to, given when a queue is filtered and rows are by
   * tier: the tier's own where the queue sets one, else the queue's.
   */
  target: Type.Optional(SlTarget),
});
export type ReportRow = Static<typeof ReportRow>;

export const Report = Type.Object({
  from: Timestamp,
  to: Timestamp,
  timeZone: Type.String(),
  totals: ReportMetrics,
  /** The filtered queue's service-level target; absent without a queue filter. */
  target: Type.Optional(SlTarget),
  /** Periods oldest first, each period's groups by id; periods and groups without calls are left out. */
  rows: Type.Array(ReportRow),
});
export type Report = Static<typeof Report>;

/** Figures whose interactions can be listed. */
export const DRILL_METRICS = {
  contacts: 'contacts',
  offered: 'offered',
  answered: 'answered',
  answeredWithinTarget: 'answered_in_sl',
  abandoned: 'abandoned',
  shortAbandoned: 'short_abandoned',
  handled: 'handled',
  held: 'held',
  transfers: 'transfers',
  callbacksRequested: 'callbacks_requested',
  callbacksKept: 'callbacks_kept',
  callbacksFailed: 'callbacks_failed',
  rona: 'rona',
  declined: 'declined',
  voicemails: 'voicemails',
  ivrContained: 'ivr_contained',
} as const;
export type DrillMetric = keyof typeof DRILL_METRICS;

export const DrillQuery = Type.Object({
  ...Range,
  ...Filters,
  // An enum, not a union of mapped literals: the latter's static type is never.
  metric: Type.Enum(Object.keys(DRILL_METRICS) as DrillMetric[], {
    description: 'The figure whose interactions to list',
  }),
  after: Type.Optional(
    Type.String({ pattern: '^\\d+\\.\\d+$', description: 'nextAfter of the page before' }),
  ),
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
});
export type DrillQuery = Static<typeof DrillQuery>;

export const DrillItem = Type.Object({
  interactionId: Type.Integer(),
  arrivedAt: Timestamp,
  direction: Type.String(),
  provider: Type.String(),
  queueId: Nullable(Type.Integer()),
  queueName: Nullable(Type.String()),
  agentId: Nullable(Type.Integer()),
  agentName: Nullable(Type.String()),
  customerId: Nullable(Type.Integer()),
  customerName: Nullable(Type.String()),
  outcome: Nullable(Type.String()),
});
export type DrillItem = Static<typeof DrillItem>;

export const DrillPage = Type.Object({
  items: Type.Array(DrillItem),
  /** Pass as `after` for the next page; null on the last. */
  nextAfter: Nullable(Type.String()),
});
export type DrillPage = Static<typeof DrillPage>;

export const StaffingQuery = Type.Object({ ...Range, queueId: Id });
export type StaffingQuery = Static<typeof StaffingQuery>;

export const Staffing = Type.Object({
  queueId: Type.Integer(),
  slTargetSeconds: Type.Integer(),
  slTargetPercent: Type.Integer(),
  rows: Type.Array(
    Type.Object({
      intervalStart: Timestamp,
      /** The interval's start on the local wall clock of `timeZone`. */
      intervalLabel: Type.String(),
      offered: Count,
      ahtSeconds: Seconds,
      agentsNeeded: Count,
      agentsStaffed: Type.Number({ minimum: 0 }),
      modelServiceLevelPercent: Percent,
    }),
  ),
});
export type Staffing = Static<typeof Staffing>;

export const CustomerReportQuery = Type.Object({
  ...Range,
  queueId: Type.Optional(Id),
  tier: Type.Optional(Tier),
  repeatDays: Type.Integer({
    minimum: 1,
    maximum: 90,
    default: 7,
    description: 'Window of a repeat contact, days',
  }),
});
export type CustomerReportQuery = Static<typeof CustomerReportQuery>;

export const CustomerReport = Type.Object({
  repeatDays: Type.Integer(),
  /** New inbound Interactions of known customers (transfers and callbacks continue a contact). */
  contacts: Count,
  uniqueCustomers: Count,
  contactsPerCustomer: Nullable(Type.Number()),
  /** Contacts followed by another from the same customer within `repeatDays`, percent. */
  repeatContactPercent: Percent,
  /** Contacts with a wrap-up code not followed by another on the same code within `repeatDays`, percent of coded contacts. */
  firstContactResolutionPercent: Percent,
  topRepeatCallers: Type.Array(
    Type.Object({ customerId: Type.Integer(), name: Type.String(), tier: Type.String(), contacts: Count }),
  ),
  byLifecycleStage: Type.Array(
    Type.Object({
      stage: Type.String(),
      contacts: Count,
      customers: Count,
      answered: Count,
      abandoned: Count,
    }),
  ),
});
export type CustomerReport = Static<typeof CustomerReport>;

export const IvrReportQuery = Type.Object({
  ...Range,
  flowId: Type.Optional(Type.String({ pattern: FLOW_ID_PATTERN.source, description: 'One IVR flow' })),
});
export type IvrReportQuery = Static<typeof IvrReportQuery>;

/** Closed calls that went through an IVR, per flow and node (definitions in server/reports/README.md). */
export const IvrReport = Type.Object({
  /** Closed calls with a recorded IVR walk. */
  calls: Count,
  nodes: Type.Array(
    Type.Object({
      flowId: Type.String(),
      nodeId: Type.String(),
      /** Times calls entered the node (a call that comes back counts again). */
      entered: Count,
      /** Went on to another node. */
      continued: Count,
      /** The caller hung up here while the IVR still waited on them. */
      droppedOff: Count,
      /** The flow ended the call here without a queue, voicemail, callback or failure. */
      contained: Count,
      /** Left the IVR here for a queue, voicemail or callback, or failed. */
      routed: Count,
      dropOffPercent: Percent,
    }),
  ),
});
export type IvrReport = Static<typeof IvrReport>;

export const AgentTimesQuery = Type.Object({ ...Range, agentId: Type.Optional(Id) });
export type AgentTimesQuery = Static<typeof AgentTimesQuery>;

const StatusSeconds = Type.Object({
  offline: Count,
  available: Count,
  reserved: Count,
  on_call: Count,
  wrap_up: Count,
  break: Count,
});
export type StatusSeconds = Static<typeof StatusSeconds>;

export const AgentTimes = Type.Object({
  agents: Type.Array(
    Type.Object({
      agentId: Type.Integer(),
      agentName: Nullable(Type.String()),
      /** Seconds in each AgentStatus within the range (until now for a range not over yet). */
      seconds: StatusSeconds,
      signedInSeconds: Count,
      occupancyPercent: Percent,
      utilisationPercent: Percent,
    }),
  ),
});
export type AgentTimes = Static<typeof AgentTimes>;
