import { Type, type Static } from 'typebox';
import { Nullable, Id } from '../http/common.schemas.js';
import { LifecycleStage } from '../customers/customers.schemas.js';

export const QueueSkill = Type.Object(
  {
    skill: Type.String({ minLength: 1, maxLength: 50 }),
    minProficiency: Type.Integer({ minimum: 1, maximum: 5 }),
  },
  { additionalProperties: false },
);

const Strategy = Type.Union([
  Type.Literal('longest_idle'),
  Type.Literal('least_occupied'),
  Type.Literal('skills_best_match'),
  Type.Literal('round_robin'),
]);
const AcwPolicy = Type.Union([
  Type.Literal('none'),
  Type.Literal('optional'),
  Type.Literal('mandatory'),
  Type.Literal('timed'),
]);
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

const queueFields = {
  name: Type.String({ minLength: 1, maxLength: 100 }),
  timeZone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone, e.g. Asia/Shanghai' }),
  priority: Type.Integer({ minimum: -1000, maximum: 1000 }),
  priorityRules: PriorityRules,
  strategy: Strategy,
  slTargetSeconds: Type.Integer({ minimum: 1, maximum: 3600 }),
  slTargetPercent: Type.Integer({ minimum: 1, maximum: 100 }),
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
  acwPolicy: AcwPolicy,
  acwSeconds: Nullable(Type.Integer({ minimum: 1, maximum: 3600 })),
  wrapUpCodeSetId: Nullable(Id),
  recordingPolicy: RecordingPolicy,
  skills: Type.Array(QueueSkill, { maxItems: 20 }),
};

export const CallQueue = Type.Object({ id: Type.Integer(), ...queueFields });
export type CallQueue = Static<typeof CallQueue>;
export const CallQueueList = Type.Object({ items: Type.Array(CallQueue) });

export const CreateCallQueueBody = Type.Object(
  {
    name: queueFields.name,
    timeZone: Type.Optional(queueFields.timeZone),
    priority: Type.Optional(queueFields.priority),
    priorityRules: Type.Optional(queueFields.priorityRules),
    strategy: Type.Optional(queueFields.strategy),
    slTargetSeconds: Type.Optional(queueFields.slTargetSeconds),
    slTargetPercent: Type.Optional(queueFields.slTargetPercent),
    maxWaitSeconds: Type.Optional(queueFields.maxWaitSeconds),
    maxWaitAction: Type.Optional(queueFields.maxWaitAction),
    overflowAfterSeconds: Type.Optional(queueFields.overflowAfterSeconds),
    overflowQueueId: Type.Optional(queueFields.overflowQueueId),
    joinEmpty: Type.Optional(queueFields.joinEmpty),
    leaveWhenEmpty: Type.Optional(queueFields.leaveWhenEmpty),
    acwPolicy: Type.Optional(queueFields.acwPolicy),
    acwSeconds: Type.Optional(queueFields.acwSeconds),
    wrapUpCodeSetId: Type.Optional(queueFields.wrapUpCodeSetId),
    recordingPolicy: Type.Optional(queueFields.recordingPolicy),
    skills: Type.Optional(queueFields.skills),
  },
  { additionalProperties: false },
);
export type CreateCallQueueBody = Static<typeof CreateCallQueueBody>;

export const UpdateCallQueueBody = Type.Object(
  {
    name: Type.Optional(queueFields.name),
    timeZone: Type.Optional(queueFields.timeZone),
    priority: Type.Optional(queueFields.priority),
    priorityRules: Type.Optional(queueFields.priorityRules),
    strategy: Type.Optional(queueFields.strategy),
    slTargetSeconds: Type.Optional(queueFields.slTargetSeconds),
    slTargetPercent: Type.Optional(queueFields.slTargetPercent),
    maxWaitSeconds: Type.Optional(queueFields.maxWaitSeconds),
    maxWaitAction: Type.Optional(queueFields.maxWaitAction),
    overflowAfterSeconds: Type.Optional(queueFields.overflowAfterSeconds),
    overflowQueueId: Type.Optional(queueFields.overflowQueueId),
    joinEmpty: Type.Optional(queueFields.joinEmpty),
    leaveWhenEmpty: Type.Optional(queueFields.leaveWhenEmpty),
    acwPolicy: Type.Optional(queueFields.acwPolicy),
    acwSeconds: Type.Optional(queueFields.acwSeconds),
    wrapUpCodeSetId: Type.Optional(queueFields.wrapUpCodeSetId),
    recordingPolicy: Type.Optional(queueFields.recordingPolicy),
    skills: Type.Optional(queueFields.skills),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateCallQueueBody = Static<typeof UpdateCallQueueBody>;

const WrapUpAction = Type.Union([
  Type.Literal('none'),
  Type.Literal('schedule_callback'),
  Type.Literal('do_not_call'),
  Type.Literal('lifecycle_change'),
]);

export const WrapUpCode = Type.Object({
  id: Type.Integer(),
  setId: Type.Integer(),
  setName: Type.String(),
  code: Type.String(),
  label: Type.String(),
  action: WrapUpAction,
  actionLifecycleStage: Nullable(LifecycleStage),
  active: Type.Boolean(),
});
export type WrapUpCode = Static<typeof WrapUpCode>;
export const WrapUpCodeList = Type.Object({ items: Type.Array(WrapUpCode) });
export const WrapUpCodeListQuery = Type.Object({ setId: Type.Optional(Id) });

export const CreateWrapUpCodeBody = Type.Object(
  {
    setName: Type.String({ minLength: 1, maxLength: 100, description: 'Created when it does not exist' }),
    code: Type.String({ pattern: '^[A-Z0-9_]{1,40}$' }),
    label: Type.String({ minLength: 1, maxLength: 100 }),
    action: Type.Optional(WrapUpAction),
    actionLifecycleStage: Type.Optional(Nullable(LifecycleStage)),
  },
  { additionalProperties: false },
);
export type CreateWrapUpCodeBody = Static<typeof CreateWrapUpCodeBody>;

export const UpdateWrapUpCodeBody = Type.Object(
  {
    label: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    action: Type.Optional(WrapUpAction),
    actionLifecycleStage: Type.Optional(Nullable(LifecycleStage)),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateWrapUpCodeBody = Static<typeof UpdateWrapUpCodeBody>;
