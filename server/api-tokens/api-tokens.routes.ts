import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errors, IdParams } from '../http/common.schemas.js';
import { ADMINS, actorOf } from '../plugins/auth.plugin.js';
import { ApiTokenList, CreateApiTokenBody, CreatedApiToken } from './api-tokens.schemas.js';
import type { ApiTokensService } from './api-tokens.service.js';

/**
 * Tokens are managed by a signed-in admin only (`sessionOnly`): a token cannot mint or revoke
 * tokens, so a leaked admin token, once revoked, leaves nothing behind.
 */
const route = <S extends object>(summary: string, schema: S) => ({
  schema: { tags: ['api tokens'], summary, ...schema },
  config: { roles: ADMINS, sessionOnly: true },
});

/** API tokens for server-to-server clients, under /api/api-tokens (admin). */
export const apiTokensRoutes: FastifyPluginAsyncTypebox<{ apiTokens: ApiTokensService }> = async (
  app,
  { apiTokens },
) => {
  app.get(
    '',
    route('All API tokens, revoked ones last; never their secrets', {
      response: { 200: ApiTokenList, ...errors(401, 403) },
    }),
    async () => ({ items: apiTokens.list() }),
  );
  app.post(
    '',
    route('Create an API token; the answer is the only time its secret is shown', {
      body: CreateApiTokenBody,
      response: { 201: CreatedApiToken, ...errors(400, 401, 403) },
    }),
    async (request, reply) =>
      reply.code(201).send(apiTokens.create(actorOf(request), request.body, request.ip)),
  );
  app.delete(
    '/:id',
    route('Revoke an API token: its next request is refused', {
      params: IdParams,
      response: { 204: {}, ...errors(400, 401, 403, 404) },
    }),
    async (request, reply) => {
      apiTokens.revoke(actorOf(request), request.params.id, request.ip);
      return reply.code(204).send();
    },
  );
};
