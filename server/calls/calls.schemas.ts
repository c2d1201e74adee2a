import { Type, type Static } from 'typebox';
import { Id } from '../http/common.schemas.js';

export const TransferTargets = Type.Object({
  queues: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() })),
  agents: Type.Array(
    Type.Object({
      id: Type.Integer(),
      displayName: Type.String(),
      /** Only available agents can take a transfer now. */
      available: Type.Boolean(),
    }),
  ),
});
export type TransferTargets = Static<typeof TransferTargets>;

export const DialBody = Type.Object(
  {
    /** Any common written form; normalized to E.164. */
    number: Type.String({ minLength: 3, maxLength: 40 }),
    /** The customer being called, when known; found by number otherwise. */
    customerId: Type.Optional(Id),
    /** The customer's open callback follow-up this call works on: done once the customer answers. */
    followUpId: Type.Optional(Id),
    /** Whose wrap-up codes and after-call work apply. Default: the first queue the agent has the skills for. */
    queueId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type DialBody = Static<typeof DialBody>;

export const DialResult = Type.Object({ interactionId: Type.Integer() });
