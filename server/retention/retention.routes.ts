import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errors } from '../http/common.schemas.js';
import { routeSpec } from '../http/route-spec.js';
import { ADMINS, actorOf } from '../plugins/auth.plugin.js';
import type { RetentionPolicyService } from './retention-policy.service.js';
import {
  RetentionPolicy,
  RetentionPolicyView,
  RetentionPreview,
  RetentionRunResult,
} from './retention.schemas.js';
import type { RetentionService } from './retention.service.js';

// What is kept, and removing it, is the admins' call alone.
const route = routeSpec(['retention'], ADMINS);

export const retentionRoutes: FastifyPluginAsyncTypebox<{
  retention: RetentionService;
  policies: RetentionPolicyService;
}> = async (app, { retention, policies }) => {
  app.get(
    '/',
    route(
      'The retention policy in force: days kept per data type, and whether an admin changed the defaults',
      {
        response: { 200: RetentionPolicyView, ...errors(401, 403) },
      },
    ),
    async () => policies.view(),
  );

  app.put(
    '/',
    route('Replace the retention policy (in force for the next run, nightly or now); audited', {
      body: RetentionPolicy,
      response: { 200: RetentionPolicyView, ...errors(400, 401, 403) },
    }),
    async (request) => policies.update(actorOf(request), request.body, request.ip),
  );

  app.post(
    '/dry-run',
    route(
      'What a run now would remove, per data type (count, oldest date, a sample of ids); changes nothing',
      {
        response: { 200: RetentionPreview, ...errors(401, 403) },
      },
    ),
    async () => retention.preview(),
  );

  app.post(
    '/run',
    route(
      'Remove now what the policy no longer keeps, as the nightly run does; logged and audited (counts only)',
      {
        response: { 200: RetentionRunResult, ...errors(401, 403) },
      },
    ),
    async (request) => retention.run({ actor: actorOf(request), ip: request.ip }),
  );
};
