/** Background jobs of event webhooks, run by BullMQ (server/jobs). Names live here and only here. */
export const WEBHOOK_JOBS = {
  /** One attempt of one delivery. */
  deliver: 'webhooks.deliver',
  /** Dispatches events left undispatched and re-queues chains whose job was lost (every minute). */
  sweep: 'webhooks.sweep',
} as const;

/** The id of the sweep's schedule: one per installation, however many processes upsert it. */
export const SWEEP_SCHEDULER_ID = 'webhooks.sweep';
export const SWEEP_CRON = '* * * * *';

export interface WebhookJobPayloads {
  /** `attempt`: attempts made before this one; a job whose number is stale does nothing. */
  [WEBHOOK_JOBS.deliver]: { deliveryId: number; attempt: number };
  [WEBHOOK_JOBS.sweep]: Record<string, never>;
}

/** One job id per delivery and attempt: queuing the same attempt twice queues it once. */
export const deliveryJobId = (deliveryId: number, attempt: number) => `delivery-${deliveryId}-${attempt}`;
