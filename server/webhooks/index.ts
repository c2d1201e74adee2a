/**
 * Event webhooks. Domains publish through `app.webhookEvents.publish(event)` (the `DomainEvents`
 * port), inside the transaction of the change the event reports; the rest is this folder's.
 */
export { webhookOutboxPlugin } from './webhook-outbox.plugin.js';
export { webhooksPlugin } from './webhooks.plugin.js';
export type { DomainEvents } from './outbox.js';
export type { WebhookEnvelope, WebhookEvent } from './webhook-events.schemas.js';
