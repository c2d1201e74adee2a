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
/** Deliveries of one chain a job sends in a row before queuing the rest behind other chains. */
const CHAIN_RUN = 20;
/** How long past the receiver timeout a claim may stand before the sweep gives it back. */
const STALE_CLAIM_MARGIN_MS = 60_000;

/**
 * Sends deliveries through BullMQ, in order per customer. Only the open delivery at the front of a
 * chain (a subscription's deliveries of one customer) is ever queued; a retry re-queues that same
 * delivery with a delay, and only when it ends (delivered, or failed for good) is the next one of
 * its chain sent (in the same job) or queued. So a customer's later event never overtakes an earlier
 * one still retrying, while other customers' chains go on in parallel. Each step is safe to repeat:
 * job ids are per delivery and attempt, and an attempt is claimed in SQLite before it is sent.
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
    if (head && !head.sending) await queue(head);
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

  /**
   * One attempt of one delivery, claimed first so that no duplicate job sends it too. Returns the
   * chain's next delivery when this one ended (delivered or failed for good); null when there is
   * nothing for this job to send next (a retry is queued, the chain is done, or another owns it).
   */
  async function attemptOnce(deliveryId: number, attempt: number): Promise<ChainHead | null> {
    const delivery = deliveries.toSend(deliveryId);
    if (!delivery || delivery.attempts !== attempt) return null;
    // A disabled subscription keeps its deliveries open; enabling it queues them again.
    if (!delivery.active) return null;
    // Not the front of its chain: whoever ends the earlier one sends or queues this one.
    if (deliveries.waitsForEarlier(delivery)) return null;
    if (!deliveries.claim(delivery.id, attempt, clock.now().toISOString())) return null;
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
    if (!recorded) return null;
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
    if (retry) {
      await queue({ id: delivery.id, attempts, nextAttemptAt, sending: false });
      return null;
    }
    return deliveries.head(delivery.subscriptionId, delivery.chain);
  }

  /**
   * Runs a delivery job: the delivery, then, while its chain goes well, the chain's next ones in the
   * same job (a busy customer's events cost one job, not one each), up to CHAIN_RUN before the rest
   * goes back to the queue behind other chains.
   */
  async function deliver({ deliveryId, attempt }: WebhookJobPayloads[typeof WEBHOOK_JOBS.deliver]) {
    let head: ChainHead | null = { id: deliveryId, attempts: attempt, nextAttemptAt: null, sending: false };
    for (let run = 0; run < CHAIN_RUN; run += 1) {
      head = await attemptOnce(head.id, head.attempts);
      if (!head || head.sending) return;
      if (head.nextAttemptAt && Date.parse(head.nextAttemptAt) > clock.now().getTime()) break;
    }
    await queue(head);
  }

  return {
    wake,
    kick,
    deliver,
    /** Dispatches what is left and queues every chain's front again: after a crash, nothing waits forever. */
    sweep: async (): Promise<void> => {
      await dispatch();
      // A claim older than any attempt can last belongs to a worker that died mid-attempt.
      deliveries.releaseStale(
        new Date(clock.now().getTime() - policy.timeoutMs - STALE_CLAIM_MARGIN_MS).toISOString(),
      );
      await Promise.all(
        deliveries
          .heads()
          .filter((head) => !head.sending)
          .map(queue),
      );
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
