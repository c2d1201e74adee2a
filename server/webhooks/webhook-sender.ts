import { signWebhook } from '../http/webhook-signature.js';
import type { DeliveryToSend } from './deliveries.repository.js';
import { assertPublicAddress, parseWebhookUrl, WebhookUrlRefused } from './url-policy.js';

/** Headers besides the signature's, so a receiver can route and deduplicate without parsing. */
export const WEBHOOK_EVENT_HEADER = 'x-cti-event';
export const WEBHOOK_DELIVERY_HEADER = 'x-cti-delivery';

export interface SendOptions {
  /** How long the receiver has to answer, in ms. */
  timeoutMs: number;
  allowPrivateUrls: boolean;
  /** Unix seconds of the signature. */
  nowSeconds: number;
}

/** An attempt's result: delivered, worth another try, or refused for good. */
export interface SendResult {
  verdict: 'delivered' | 'retry' | 'stop';
  responseCode: number | null;
  durationMs: number;
  error: string | null;
}

/** The body every attempt of the event sends, byte for byte (`data` is stored as JSON text). */
export const envelopeBody = (delivery: Pick<DeliveryToSend, 'eventId' | 'type' | 'occurredAt' | 'data'>) =>
  `{"id":${delivery.eventId},"type":${JSON.stringify(delivery.type)},"occurredAt":${JSON.stringify(delivery.occurredAt)},"data":${delivery.data}}`;

/**
 * A receiver that timed out, failed or answered 5xx, 408 or 429 may take it later: retry. Any other
 * 4xx says the request itself is wrong (gone, unauthorised): retrying would get the same answer.
 * Redirects are not followed (the target was not checked), so a 3xx stops too.
 */
const verdictOf = (status: number): SendResult['verdict'] =>
  status >= 200 && status < 300
    ? 'delivered'
    : status >= 500 || status === 408 || status === 429
      ? 'retry'
      : 'stop';

/** One signed POST of the delivery's event; never throws. */
export async function sendWebhook(delivery: DeliveryToSend, options: SendOptions): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const body = envelopeBody(delivery);
  try {
    const url = parseWebhookUrl(delivery.url);
    await assertPublicAddress(url, options.allowPrivateUrls);
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        ...signWebhook(delivery.secret, body, options.nowSeconds),
        [WEBHOOK_EVENT_HEADER]: delivery.type,
        [WEBHOOK_DELIVERY_HEADER]: String(delivery.id),
        'user-agent': 'cti-console-webhooks',
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    // The answer's body is not kept (it could hold anything); reading it frees the connection.
    await response.arrayBuffer();
    const verdict = verdictOf(response.status);
    return {
      verdict,
      responseCode: response.status,
      durationMs: elapsed(),
      error: verdict === 'delivered' ? null : `HTTP ${response.status}`,
    };
  } catch (error) {
    if (error instanceof WebhookUrlRefused) {
      return { verdict: 'stop', responseCode: null, durationMs: elapsed(), error: error.message };
    }
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : null;
    return {
      verdict: 'retry',
      responseCode: null,
      durationMs: elapsed(),
      error: timedOut
        ? `No answer within ${options.timeoutMs} ms`
        : (cause ?? (error instanceof Error ? error.message : String(error))),
    };
  }
}
