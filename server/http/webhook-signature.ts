import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header of the Unix time (seconds) a webhook was signed at. */
export const WEBHOOK_TIMESTAMP_HEADER = 'x-cti-timestamp';
/** Header of the signature: `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`. */
export const WEBHOOK_SIGNATURE_HEADER = 'x-cti-signature';

const hmac = (secret: string, body: string, timestampSeconds: number) =>
  createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');

/**
 * The headers of a signed webhook (supervision alerts, event webhooks): the receiver recomputes
 * HMAC-SHA256 over `<timestamp>.<body>` with the shared secret and compares; the timestamp lets it
 * refuse replays of old deliveries.
 */
export function signWebhook(secret: string, body: string, timestampSeconds: number): Record<string, string> {
  return {
    'content-type': 'application/json',
    [WEBHOOK_TIMESTAMP_HEADER]: String(timestampSeconds),
    [WEBHOOK_SIGNATURE_HEADER]: `sha256=${hmac(secret, body, timestampSeconds)}`,
  };
}

/**
 * What a receiver does with a signed webhook: true when the signature is the secret's over this
 * timestamp and body, and the timestamp is within `toleranceSeconds` of `nowSeconds`.
 */
export function verifyWebhook(
  secret: string,
  body: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const timestamp = Number(headers.timestamp);
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(`sha256=${hmac(secret, body, timestamp)}`);
  const presented = Buffer.from(headers.signature ?? '');
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}
