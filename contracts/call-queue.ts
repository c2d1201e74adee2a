import { Type, type Static } from 'typebox';
import {
  LifecycleStage,
  RoutingStrategy,
  WorkFollowUpKind,
  WrapUpAction,
  WrapUpPolicy,
} from './glossary.schemas.js';
import { Id, Nullable } from './schema-kit.js';

/** A Skill a CallQueue requires, at a minimum proficiency (1–5). */
export const QueueSkill = Type.Object(
  {
    skill: Type.String({ minLength: 1, maxLength: 50 }),
    minProficiency: Type.Integer({ minimum: 1, maximum: 5 }),
  },
  { additionalProperties: false },
);

const RecordingPolicy = Type.Union([Type.Literal('none'), Type.Literal('all'), Type.Literal('on_demand')]);
const MaxWaitAction = Type.Union([
  Type.Literal('voicemail'),
  Type.Literal('callback'),
  Type.Literal('hangup'),
]);
const PriorityRules = Type.Object(
  {
    tierBoost: Type.Optional(
      Type.Object(
        {
          platinum: Type.Optional(Type.Integer({ minimum: 0, maximum: 3600 })),
          gold: Type.Optional(Type.Integer({ minimum: 0, maximum: 3600 })),
          silver: Type.Optional(Type.Integer({ minimum: 0, maximum: 3600 })),
          bronze: Type.Optional(Type.Integer({ minimum: 0, maximum: 3600 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false, description: 'Seconds of virtual waiting added per customer tier' },
);

/** A service-level target: this percent of calls answered within this many seconds of queueing. */
export const SlTarget = Type.Object(
  {
    slTargetSeconds: Type.Integer({ minimum: 1, maximum: 3600 }),
    slTargetPercent: Type.Integer({ minimum: 1, maximum: 100 }),
  },
  { additionalProperties: false },
);
export type SlTarget = Static<typeof SlTarget>;

/** Targets of the tiers that have their own; a tier left out is held to the queue's target. */
export const TierTargets = Type.Object(
  {
    platinum: Type.Optional(SlTarget),
    gold: Type.Optional(SlTarget),
    silver: Type.Optional(SlTarget),
    bronze: Type.Optional(SlTarget),
  },
  {
    additionalProperties: false,
    description:
      "Service-level targets per customer Tier; a tier left out uses the queue's slTargetSeconds and slTargetPercent",
  },
);
export type TierTargets = Static<typeof TierTargets>;

export const queueFields = {
  name: Type.String({ minLength: 1, maxLength: 100 }),
  timeZone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone, e.g. Asia/Shanghai' }),
  priority: Type.Integer({ minimum: -1000, maximum: 1000 }),
  priorityRules: PriorityRules,
  strategy: RoutingStrategy,
  slTargetSeconds: Type.Integer({ minimum: 1, maximum: 3600 }),
  slTargetPercent: Type.Integer({ minimum: 1, maximum: 100 }),
  tierTargets: TierTargets,
  maxWaitSeconds: Nullable(Type.Integer({ minimum: 1, maximum: 86_400 })),
  maxWaitAction: MaxWaitAction,
  overflowAfterSeconds: Nullable(Type.Integer({ minimum: 1, maximum: 86_400 })),
  overflowQueueId: Nullable(Id),
  joinEmpty: Type.Boolean({
    description:
      'Callers may join while no qualified agent is signed in; if false they get the max-wait action at once',
  }),
  leaveWhenEmpty: Type.Boolean({
    description: 'Waiting callers get the max-wait action when the last qualified agent signs out',
  }),
  /** The wrap-up policy; the field keeps its historical name. */
  acwPolicy: WrapUpPolicy,
  acwSeconds: Nullable(Type.Integer({ minimum: 1, maximum: 3600 })),
  wrapUpCodeSetId: Nullable(Id),
  recordingPolicy: RecordingPolicy,
  surveyEnabled: Type.Boolean({
    description:
      'After the Agent hangs up, the caller is asked the post-call satisfaction survey of their IVR flow (Twilio calls only)',
  }),
  skills: Type.Array(QueueSkill, { maxItems: 20 }),
};

export const CallQueue = Type.Object({ id: Type.Integer(), ...queueFields });
export type CallQueue = Static<typeof CallQueue>;

/**
 * The Follow-up a WrapUpCode creates when chosen: of this kind, due this many hours after the wrap-up
 * (0: at once), owned by the agent who chose it or by the team of the call's queue.
 */
export const WrapUpCodeFollowUp = Type.Object(
  {
    kind: WorkFollowUpKind,
    dueInHours: Type.Integer({ minimum: 0, maximum: 8760 }),
    owner: Type.Union([Type.Literal('agent'), Type.Literal('queue')]),
  },
  { additionalProperties: false },
);
export type WrapUpCodeFollowUp = Static<typeof WrapUpCodeFollowUp>;

/** How the agent classifies a finished call; its action runs when the wrap-up is submitted. */
export const WrapUpCode = Type.Object({
  id: Type.Integer(),
  setId: Type.Integer(),
  setName: Type.String(),
  code: Type.String(),
  label: Type.String(),
  action: WrapUpAction,
  actionLifecycleStage: Nullable(LifecycleStage),
  /** Null: choosing the code creates no follow-up. */
  followUp: Nullable(WrapUpCodeFollowUp),
  active: Type.Boolean(),
});
export type WrapUpCode = Static<typeof WrapUpCode>;
