import { Type, type Static } from 'typebox';
import { Nullable, Id } from '../http/common.schemas.js';
import { LifecycleStage } from '../customers/customers.schemas.js';
import { CallQueue, queueFields, WrapUpCode } from '../../contracts/call-queue.js';

export { CallQueue, QueueSkill, WrapUpCode } from '../../contracts/call-queue.js';
export const CallQueueList = Type.Object({ items: Type.Array(CallQueue) });

/** Every field of a call queue, each optional: an update names only what it changes. */
const optionalQueueFields = Type.Partial(Type.Object(queueFields)).properties;
const { name: _name, ...optionalSettings } = optionalQueueFields;

export const CreateCallQueueBody = Type.Object(
  { name: queueFields.name, ...optionalSettings },
  { additionalProperties: false },
);
export type CreateCallQueueBody = Static<typeof CreateCallQueueBody>;

export const UpdateCallQueueBody = Type.Object(optionalQueueFields, {
  additionalProperties: false,
  minProperties: 1,
});
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
    followUp: Type.Optional(WrapUpCode.properties.followUp),
  },
  { additionalProperties: false },
);
export type CreateWrapUpCodeBody = Static<typeof CreateWrapUpCodeBody>;

export const UpdateWrapUpCodeBody = Type.Object(
  {
    label: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    action: Type.Optional(WrapUpCode.properties.action),
    actionLifecycleStage: Type.Optional(Nullable(LifecycleStage)),
    followUp: Type.Optional(WrapUpCode.properties.followUp),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateWrapUpCodeBody = Static<typeof UpdateWrapUpCodeBody>;
