import { Type, type Static } from 'typebox';

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
