/** Event webhooks (admin): subscriptions (the secret comes back once), their delivery log, replays. */
import type {
  CreatedWebhook,
  CreateWebhookBody,
  DeliveryLog,
  UpdateWebhookBody,
  Webhook,
  WebhookDelivery,
} from '../../server/webhooks/webhooks.schemas.js';
import { request } from './api.js';

export type { CreatedWebhook, DeliveryLog, Webhook, WebhookDelivery };
export { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../../contracts/webhook-events.js';

export async function listWebhooks(signal?: AbortSignal): Promise<Webhook[]> {
  return (await request<{ items: Webhook[] }>('GET', '/api/webhooks', { signal })).items;
}

export function createWebhook(body: CreateWebhookBody): Promise<CreatedWebhook> {
  return request<CreatedWebhook>('POST', '/api/webhooks', { body });
}

export function updateWebhook(id: number, body: UpdateWebhookBody): Promise<Webhook> {
  return request<Webhook>('PATCH', `/api/webhooks/${id}`, { body });
}

export function deleteWebhook(id: number): Promise<void> {
  return request<void>('DELETE', `/api/webhooks/${id}`);
}

export function listDeliveries(id: number, offset = 0, signal?: AbortSignal): Promise<DeliveryLog> {
  return request<DeliveryLog>('GET', `/api/webhooks/${id}/deliveries`, {
    query: { limit: 20, offset },
    ...(signal && { signal }),
  });
}

export function replayDelivery(id: number): Promise<WebhookDelivery> {
  return request<WebhookDelivery>('POST', `/api/webhooks/deliveries/${id}/replay`);
}
