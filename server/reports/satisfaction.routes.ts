import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { badRequest } from '../http/errors.js';
import { errors } from '../http/common.schemas.js';
import { routeSpec } from '../http/route-spec.js';
import { SUPERVISORS } from '../plugins/auth.plugin.js';
import type { SatisfactionRepository } from './satisfaction.repository.js';
import { SatisfactionQuery, SatisfactionReport } from './satisfaction.schemas.js';

const route = routeSpec(['reports'], SUPERVISORS);

/**
 * Satisfaction from the post-call surveys, for supervisors and admins. One indexed aggregate over
 * `interaction_surveys`, so it reads in process rather than on the report workers.
 */
export const satisfactionRoutes: FastifyPluginAsyncTypebox<{ satisfaction: SatisfactionRepository }> = async (
  app,
  { satisfaction },
) => {
  app.get(
    '/satisfaction',
    route('CSAT (share of scores 4-5, average) and % resolved, in total and by queue, agent or tier', {
      querystring: SatisfactionQuery,
      response: { 200: SatisfactionReport, ...errors(400, 401, 403) },
    }),
    async (request) => {
      if (Date.parse(request.query.from) >= Date.parse(request.query.to))
        throw badRequest('from must be before to');
      return satisfaction.report(request.query);
    },
  );
};
