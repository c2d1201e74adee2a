import { randomBytes } from 'node:crypto';
import { auditTrail, type AuditLog } from '../audit/index.js';
import type { Me } from '../auth/auth.schemas.js';
import type { Clock } from '../clock.js';
import { badRequest, notFound } from '../http/errors.js';
import type { DeliveriesRepository } from './deliveries.repository.js';
import type { DeliveryRunner } from './delivery-runner.js';
import { assertPublicAddress, parseWebhookUrl, WebhookUrlRefused } from './url-policy.js';
import type { WebhooksRepository } from './webhooks.repository.js';
import {
  WEBHOOK_SECRET_PREFIX,
  type CreatedWebhook,
  type CreateWebhookBody,
  type DeliveryLog,
  type DeliveryLogQuery,
  type UpdateWebhookBody,
  type Webhook,
  type WebhookDelivery,
} from './webhooks.schemas.js';

export interface WebhooksServiceDeps {
  webhooks: WebhooksRepository;
  deliveries: DeliveriesRepository;
  runner: Pick<DeliveryRunner, 'kick' | 'resume'>;
  audit: AuditLog;
  clock: Clock;
  allowPrivateUrls: boolean;
}

/** Admins' management of event webhooks: subscriptions, their delivery log, replays. All audited. */
export function createWebhooksService({
  webhooks,
  deliveries,
  runner,
  audit,
  clock,
  allowPrivateUrls,
}: WebhooksServiceDeps) {
  const audited = auditTrail(audit, 'webhook');
  // The URL's host and path only: its query may hold the receiver's key. Never the secret.
  const described = (webhook: Pick<Webhook, 'name' | 'url' | 'events'>) => {
    const url = new URL(webhook.url);
    return { name: webhook.name, url: `${url.origin}${url.pathname}`, events: webhook.events };
  };

  async function checkedUrl(raw: string): Promise<string> {
    try {
      const url = parseWebhookUrl(raw);
      await assertPublicAddress(url, allowPrivateUrls);
      return url.href;
    } catch (error) {
      if (error instanceof WebhookUrlRefused) throw badRequest(error.message);
      throw error;
    }
  }

  function existing(id: number): Webhook {
    const webhook = webhooks.get(id);
    if (!webhook) throw notFound('Webhook', id);
    return webhook;
  }

  function trimmedName(name: string): string {
    const trimmed = name.trim();
    if (!trimmed) throw badRequest('Give the webhook a name');
    return trimmed;
  }

  return {
    list: (): Webhook[] => webhooks.list(),

    /** Creates a subscription; the answer carries its signing secret, never shown again. */
    async create(actor: Me, body: CreateWebhookBody, ip: string): Promise<CreatedWebhook> {
      const name = trimmedName(body.name);
      const url = await checkedUrl(body.url);
      const secret = `${WEBHOOK_SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
      const webhook = webhooks.create({
        name,
        url,
        events: body.events,
        secret,
        createdBy: actor.id,
        now: clock.now().toISOString(),
      });
      audited(actor, 'webhook.create', webhook.id, ip, described(webhook));
      return { ...webhook, secret };
    },

    async update(actor: Me, id: number, body: UpdateWebhookBody, ip: string): Promise<Webhook> {
      const before = existing(id);
      const patch = {
        ...body,
        ...(body.name !== undefined && { name: trimmedName(body.name) }),
        ...(body.url !== undefined && { url: await checkedUrl(body.url) }),
      };
      webhooks.update(id, patch, clock.now().toISOString());
      const after = existing(id);
      audited(actor, 'webhook.update', id, ip, { fields: Object.keys(body), ...described(after) });
      if (body.active === true && !before.active) await runner.resume(id);
      return after;
    },

    /** Deletes the subscription and its delivery log; deliveries still queued are dropped. */
    remove(actor: Me, id: number, ip: string): void {
      const webhook = existing(id);
      webhooks.remove(id);
      audited(actor, 'webhook.delete', id, ip, described(webhook));
    },

    deliveries(id: number, query: DeliveryLogQuery): DeliveryLog {
      existing(id);
      const limit = query.limit ?? 20;
      const offset = query.offset ?? 0;
      return {
        ...webhooks.deliveries(id, query.status ? { status: query.status } : {}, { limit, offset }),
        limit,
        offset,
      };
    },

    /**
     * Sends the delivery's event to its subscription again, as a new delivery at the end of the
     * customer's chain: it waits for anything of theirs still open, so order holds for replays too.
     */
    async replay(actor: Me, deliveryId: number, ip: string): Promise<WebhookDelivery> {
      const delivery = webhooks.delivery(deliveryId);
      if (!delivery) throw notFound('Webhook delivery', deliveryId);
      const replayId = deliveries.replay(deliveryId, clock.now().toISOString())!;
      audited(actor, 'webhook.replay', delivery.subscriptionId, ip, { deliveryId, replayId });
      await runner.kick(delivery.subscriptionId, delivery.chain);
      return webhooks.deliveryView(replayId)!;
    },
  };
}

export type WebhooksService = ReturnType<typeof createWebhooksService>;
