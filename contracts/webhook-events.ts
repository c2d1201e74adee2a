/**
 * The event types a webhook subscription may ask for; the console's checkboxes and the server's
 * schemas both read this list. It imports nothing, so the console bundle does not pull in typebox.
 */
export const WEBHOOK_EVENT_TYPES = [
  'interaction.closed',
  'customer.created',
  'customer.updated',
  'customer.erased',
  'followup.created',
  'followup.done',
  'survey.completed',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Where a delivery stands: waiting its turn, being sent, between attempts, or finished either way. */
export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'sending', 'retrying', 'delivered', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];
