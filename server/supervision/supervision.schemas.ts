import { Type, type Static } from 'typebox';
import { Nullable, Id } from '../http/common.schemas.js';

export {
  AgentLive,
  AgentsLive,
  Alert,
  AlertKind,
  QueueLive,
  QueuesLive,
  QueueToday,
  TierToday,
  WaitingCallLive,
} from '../../contracts/supervision.js';

// ── Interventions ──

export const AgentStatusBody = Type.Object(
  {
    status: Type.Union([Type.Literal('available'), Type.Literal('break'), Type.Literal('offline')]),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  },
  { additionalProperties: false },
);
export type AgentStatusBody = Static<typeof AgentStatusBody>;

export const AgentNextStatusBody = Type.Object(
  {
    reason: Type.Union([Type.String({ minLength: 1, maxLength: 40 }), Type.Null()], {
      description:
        'Break reason to take when the current call or wrap-up ends; null: available, as unplanned',
    }),
  },
  { additionalProperties: false },
);
export type AgentNextStatusBody = Static<typeof AgentNextStatusBody>;

export const MoveCallBody = Type.Object({ queueId: Id }, { additionalProperties: false });
export type MoveCallBody = Static<typeof MoveCallBody>;

export const RaisePriorityBody = Type.Object(
  { seconds: Type.Integer({ minimum: 1, maximum: 3600, description: 'Seconds of head start to add' }) },
  { additionalProperties: false },
);
export type RaisePriorityBody = Static<typeof RaisePriorityBody>;

export const SuperviseBody = Type.Object(
  {
    mode: Type.Union([Type.Literal('monitor'), Type.Literal('whisper'), Type.Literal('barge')], {
      description:
        'monitor: listen silently; whisper: the agent hears you, the customer does not; barge: both hear you',
    }),
  },
  { additionalProperties: false },
);
export type SuperviseBody = Static<typeof SuperviseBody>;

// ── Alerts ──

/** A queue's alert thresholds; null turns that alert off. */
export const AlertThresholds = Type.Object(
  {
    /** Alert when the service level of calls that arrived in the last 15 minutes is below this percent. */
    serviceLevelPercent: Nullable(Type.Integer({ minimum: 1, maximum: 100 })),
    /** Alert when a caller has waited longer than this many seconds. */
    longestWaitSeconds: Nullable(Type.Integer({ minimum: 1, maximum: 86_400 })),
    /** Alert when calls wait and no agent qualified for the queue is available. */
    noAgent: Type.Boolean(),
    /** Alert when an agent qualified for the queue has been in one status (other than offline) this long. */
    agentStatusSeconds: Nullable(Type.Integer({ minimum: 1, maximum: 86_400 })),
  },
  { additionalProperties: false },
);
export type AlertThresholds = Static<typeof AlertThresholds>;

export const QueueAlertThresholds = Type.Object({ queueId: Type.Integer(), ...AlertThresholds.properties });
export const AlertThresholdList = Type.Object({ items: Type.Array(QueueAlertThresholds) });

export const AlertThresholdsPatch = Type.Partial(AlertThresholds, { additionalProperties: false });
export type AlertThresholdsPatch = Static<typeof AlertThresholdsPatch>;
