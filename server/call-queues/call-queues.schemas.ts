import { Type, type Static } from 'typebox';
import { Nullable, Id } from '../http/common.schemas.js';
import { LifecycleStage } from '../customers/customers.schemas.js';
import { CallQueue, queueFields, WrapUpCode } from '../../contracts/call-queue.js';

export { CallQueue, QueueSkill, WrapUpCode } from '../../contracts/call-queue.js';
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

export const WrapUpCodeList = Type.Object({ items: Type.Array(WrapUpCode) });
export const WrapUpCodeListQuery = Type.Object({ setId: Type.Optional(Id) });

export const CreateWrapUpCodeBody = Type.Object(
  {
    setName: Type.String({ minLength: 1, maxLength: 100, description: 'Created when it does not exist' }),
    code: Type.String({ pattern: '^[A-Z0-9_]{1,40}$' }),
    label: Type.String({ minLength: 1, maxLength: 100 }),
    action: Type.Optional(WrapUpCode.properties.action),
    actionLifecycleStage: Type.Optional(Nullable(LifecycleStage)),
  },
  { additionalProperties: false },
);
export type CreateWrapUpCodeBody = Static<typeof CreateWrapUpCodeBody>;

export const UpdateWrapUpCodeBody = Type.Object(
  {
    label: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    action: Type.Optional(WrapUpCode.properties.action),
    actionLifecycleStage: Type.Optional(Nullable(LifecycleStage)),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateWrapUpCodeBody = Static<typeof UpdateWrapUpCodeBody>;
