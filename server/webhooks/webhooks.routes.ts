import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errors, IdParams } from '../http/common.schemas.js';
import { ADMINS, actorOf } from '../plugins/auth.plugin.js';
import {
  CreatedWebhook,
  CreateWebhookBody,
  DeliveryLog,
  DeliveryLogQuery,
  UpdateWebhookBody,
  Webhook,
  WebhookDelivery,
  WebhookList,
} from './webhooks.schemas.js';
import type { WebhooksService } from './webhooks.service.js';

const route = <S extends object>(summary: string, schema: S) => ({
  schema: { tags: ['webhooks'], summary, ...schema },
  config: { roles: ADMINS },
});

/** Event webhook subscriptions and their delivery log, under /api/webhooks (admin). */
export const webhooksRoutes: FastifyPluginAsyncTypebox<{ webhooks: WebhooksService }> = async (
  app,
  { webhooks },
) => {
  app.get(
    '',
    route('All webhook subscriptions, secrets masked', {
      response: { 200: WebhookList, ...errors(401, 403) },
    }),
    async () => ({ items: webhooks.list() }),
  );
  app.post(
    '',
    route('Subscribe a URL to events; the answer is the only time its signing secret is shown', {
      body: CreateWebhookBody,
      response: { 201: CreatedWebhook, ...errors(400, 401, 403) },
    }),
    async (request, reply) =>
      reply.code(201).send(await webhooks.create(actorOf(request), request.body, request.ip)),
  );
  app.patch(
    '/:id',
    route('Rename, re-point, change the events of, disable or enable a subscription', {
      params: IdParams,
      body: UpdateWebhookBody,
      response: { 200: Webhook, ...errors(400, 401, 403, 404) },
    }),
    async (request) => webhooks.update(actorOf(request), request.params.id, request.body, request.ip),
  );
  app.delete(
    '/:id',
    route('Delete a subscription and its delivery log', {
      params: IdParams,
      response: { 204: {}, ...errors(400, 401, 403, 404) },
    }),
    async (request, reply) => {
      webhooks.remove(actorOf(request), request.params.id, request.ip);
      return reply.code(204).send();
    },
  );
  app.get(
    '/:id/deliveries',
    route('The delivery log of a subscription, newest first', {
      params: IdParams,
      querystring: DeliveryLogQuery,
      response: { 200: DeliveryLog, ...errors(400, 401, 403, 404) },
    }),
    async (request) => webhooks.deliveries(request.params.id, request.query),
  );
  app.post(
    '/deliveries/:id/replay',
    route("Send a delivery's event again, after the customer's open deliveries", {
      params: IdParams,
      response: { 202: WebhookDelivery, ...errors(400, 401, 403, 404) },
    }),
    async (request, reply) =>
      reply.code(202).send(await webhooks.replay(actorOf(request), request.params.id, request.ip)),
  );
};
