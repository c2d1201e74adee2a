import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Acd } from '../../queues/index.js';
import { errors } from '../http/common.schemas.js';
import { ADMINS } from '../plugins/auth.plugin.js';

const Invariants = Type.Object({
  ok: Type.Boolean(),
  violations: Type.Array(Type.String(), { description: 'Empty when the ACD state is consistent' }),
});

/** Operational views of the call path. */
export const callsRoutes: FastifyPluginAsyncTypebox<{ acd: Acd }> = async (app, { acd }) => {
  app.get(
    '/acd/invariants',
    {
      schema: {
        tags: ['operations'],
        summary: 'Check the ACD state in Redis: no lost calls, no double reservations, counts that add up',
        response: { 200: Invariants, ...errors(401, 403) },
      },
      config: { roles: ADMINS },
    },
    async () => {
      const violations = await acd.checkInvariants();
      return { ok: violations.length === 0, violations };
    },
  );
};
