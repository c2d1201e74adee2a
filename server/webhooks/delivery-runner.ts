import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.js';
import type { Jobs } from '../jobs/jobs.js';
import type { ChainHead, DeliveriesRepository } from './deliveries.repository.js';
import { sendWebhook } from './webhook-sender.js';
import { deliveryJobId, WEBHOOK_JOBS, type WebhookJobPayloads } from './webhooks.jobs.js';

/** How deliveries are attempted (config.webhooks). */
export interface DeliveryPolicy {
  /** How long a receiver has to answer, in ms. */
  timeoutMs: number;
  /** Attempts before a delivery is given up as failed (an admin may still replay it). */
  maxAttempts: number;
  /** Wait before the 2nd attempt, in ms; doubled for each further one, up to an hour. */
  retryBaseMs: number;
  /** Whether URLs may reach loopback and private networks. */
  allowPrivateUrls: boolean;
}

export interface DeliveryRunnerDeps {
  deliveries: DeliveriesRepository;
  jobs: Jobs<WebhookJobPayloads>;
  clock: Clock;
  log: FastifyBaseLogger;
  policy: DeliveryPolicy;
}

const MAX_BACKOFF_MS = 3_600_000;
/** Events fanned out per write transaction. */
const DISPATCH_BATCH = 500;

/**
 * Sends deliveries through BullMQ, in order per customer. Only the open delivery at the front of a
 * chain (a subscription's deliveries of one customer) is ever queued; a retry re-queues that same
 * delivery with a delay, and only when it ends (delivered, or failed for good) is the next one of
 * its chain queued. So a customer's later event never overtakes an earlier one still retrying,
 * while other customers' chains go on in parallel. Each step is safe to repeat: a job's attempt
 * number must match the row's, and job ids are per delivery and attempt.
 */
export function createDeliveryRunner({ deliveries, jobs, clock, log, policy }: DeliveryRunnerDeps) {
  const backoffMs = (attemptsMade: number) =>
    Math.min(MAX_BACKOFF_MS, policy.retryBaseMs * 2 ** (attemptsMade - 1));

  const queue = (head: ChainHead) =>
    jobs.add(
      WEBHOOK_JOBS.deliver,
      { deliveryId: head.id, attempt: head.attempts },
      {
        jobId: deliveryJobId(head.id, head.attempts),
        delayMs: head.nextAttemptAt ? Date.parse(head.nextAttemptAt) - clock.now().getTime() : 0,
        forgetOnComplete: true,
      },
    );

  /** Queues the front of the chain, if it has one and its subscription is active. */
  async function kick(subscriptionId: number, chain: string): Promise<void> {
    const head = deliveries.head(subscriptionId, chain);
    if (head) await queue(head);
  }

  async function dispatch(): Promise<void> {
    for (;;) {
      const { heads, more } = deliveries.dispatch(clock.now().toISOString(), DISPATCH_BATCH);
      await Promise.all(heads.map(queue));
      if (!more) return;
    }
  }

  // Publishing happens inside the publisher's transaction: dispatching waits for the next turn of
  // the event loop, after the commit, and one dispatch serves every event published meanwhile.
  let dispatching: Promise<void> | null = null;
  let again = false;
  function wake(): void {
    if (dispatching) {
      again = true;
      return;
    }
    dispatching = new Promise<void>((resolve) => setImmediate(resolve))
      .then(dispatch)
      .catch((error: unknown) => log.error({ err: error }, 'webhook dispatch failed'))
      .finally(() => {
        dispatching = null;
        if (again) {
          again = false;
          wake();
        }
      });
  }

  async function deliver({ deliveryId, attempt }: WebhookJobPayloads[typeof WEBHOOK_JOBS.deliver]) {
    const delivery = deliveries.toSend(deliveryId);
    if (!delivery || delivery.attempts !== attempt) return;
    if (delivery.status !== 'pending' && delivery.status !== 'retrying') return;
    // A disabled subscription keeps its deliveries open; enabling it queues them again.
    if (!delivery.active) return;
    // Not the front of its chain (a replay queued behind others): the earlier one queues it when done.
    if (deliveries.waitsForEarlier(delivery)) return;
    const result = await sendWebhook(delivery, {
      timeoutMs: policy.timeoutMs,
      allowPrivateUrls: policy.allowPrivateUrls,
      nowSeconds: Math.floor(clock.now().getTime() / 1000),
    });
    const attempts = attempt + 1;
    const retry = result.verdict === 'retry' && attempts < policy.maxAttempts;
    const nextAttemptAt = retry ? new Date(clock.now().getTime() + backoffMs(attempts)).toISOString() : null;
    const status = result.verdict === 'delivered' ? 'delivered' : retry ? 'retrying' : 'failed';
    const recorded = deliveries.record(
      delivery.id,
      attempt,
      {
        status,
        responseCode: result.responseCode,
        durationMs: result.durationMs,
        lastError: result.error,
        nextAttemptAt,
      },
      clock.now().toISOString(),
    );
    if (!recorded) return;
    if (status === 'failed') {
      // The URL may carry a receiver's key in its query: it is not logged, nor is the secret.
      log.warn(
        {
          deliveryId,
          subscriptionId: delivery.subscriptionId,
          event: delivery.type,
          attempts,
          responseCode: result.responseCode,
          error: result.error,
        },
        'webhook delivery failed',
      );
    }
    if (retry) await queue({ id: delivery.id, attempts, nextAttemptAt });
    else await kick(delivery.subscriptionId, delivery.chain);
  }

  return {
    wake,
    kick,
    deliver,
    /** Dispatches what is left and queues every chain's front again: after a crash, nothing waits forever. */
    sweep: async (): Promise<void> => {
      await dispatch();
      await Promise.all(deliveries.heads().map(queue));
    },
    /** Queues every open chain of a subscription (it was enabled again). */
    resume: async (subscriptionId: number): Promise<void> => {
      await Promise.all(deliveries.openChainsOf(subscriptionId).map((chain) => kick(subscriptionId, chain)));
    },
    /** Resolves once the dispatch under way, if any, has finished (tests, shutdown). */
    settled: async (): Promise<void> => {
      while (dispatching) await dispatching;
    },
  };
}

export type DeliveryRunner = ReturnType<typeof createDeliveryRunner>;
