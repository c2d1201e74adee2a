import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errors, IdParams } from '../http/common.schemas.js';
import { routeSpec } from '../http/route-spec.js';
import { Customer360 } from '../customers/customers.schemas.js';
import { actorOf, SUPERVISORS } from '../plugins/auth.plugin.js';
import { DismissBody, DuplicateList, DuplicateListQuery, MergeBody } from './customer-merge.schemas.js';
import type { CustomerMergeService } from './customer-merge.service.js';

// Merging rewrites two customers' history at once: supervisors and admins decide it, agents do not.
const route = routeSpec(['customers'], SUPERVISORS);

export const customerMergeRoutes: FastifyPluginAsyncTypebox<{
  merges: CustomerMergeService;
  /** The survivor's 360 view after the merge. */
  view: (customerId: number) => Customer360;
}> = async (app, { merges, view }) => {
  app.get(
    '/duplicates',
    route('Likely duplicate customers: pairs with a phone, an email, or a name and company in common', {
      querystring: DuplicateListQuery,
      response: { 200: DuplicateList, ...errors(400, 401, 403) },
    }),
    async (request) => merges.list(request.query),
  );

  app.post(
    '/duplicates/dismiss',
    route('Mark a pair as not duplicates: it leaves the list', {
      body: DismissBody,
      response: { 204: {}, ...errors(400, 401, 403, 404, 409) },
    }),
    async (request, reply) => {
      merges.dismiss(actorOf(request), request.body, request.ip);
      return reply.code(204).send();
    },
  );

  app.post(
    '/:id/merge',
    route(
      'Merge another customer into this one (the survivor): everything of theirs moves here, their id redirects here',
      {
        params: IdParams,
        body: MergeBody,
        response: { 200: Customer360, ...errors(400, 401, 403, 404, 409) },
      },
    ),
    async (request) => view(merges.merge(actorOf(request), request.params.id, request.body, request.ip)),
  );
};
