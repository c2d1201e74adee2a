import type { Redis } from 'ioredis';
import type { IncomingHttpHeaders } from 'node:http';

export interface WebhookDedupeOptions {
  redis: Redis;
  /** Key prefix, e.g. `${REDIS_PREFIX}twilio:webhook:`. */
  prefix: string;
  /** How long a delivery is remembered, in seconds. Default 86400 (a day, far beyond Twilio's retries). */
  ttlSeconds?: number;
}

export interface WebhookDedupe {
  /**
   * Claims `key`: true the first time, false for every repeat within the TTL. Atomic, so two server
   * processes receiving the same retry agree on which one handles it.
   */
  firstTime(key: string): Promise<boolean>;
  /** Releases a claim whose handling failed, so Twilio's retry is handled instead of dropped. */
  forget(key: string): Promise<void>;
}

/**
 * Twilio retries webhooks (a retry carries the same `I-Twilio-Idempotency-Token`), and status
 * callbacks may arrive twice. A handler claims the delivery first; a duplicate answers 200, so
 * Twilio stops retrying, and changes nothing:
 *
 * ```ts
 * const key = dedupeKeyOf('call-status', request.headers, request.body);
 * if (key !== null && !(await dedupe.firstTime(key))) return reply.code(200).send();
 * try { await handle(request.body); } catch (error) { if (key !== null) await dedupe.forget(key); throw error; }
 * ```
 */
export function createWebhookDedupe({
  redis,
  prefix,
  ttlSeconds = 86_400,
}: WebhookDedupeOptions): WebhookDedupe {
  return {
    async firstTime(key) {
      return (await redis.set(prefix + key, '1', 'EX', ttlSeconds, 'NX')) === 'OK';
    },
    async forget(key) {
      await redis.del(prefix + key);
    },
  };
}

/** The kinds of Twilio webhook that have a natural key besides the idempotency token. */
export type TwilioWebhookKind = 'call-status' | 'conference-status' | 'recording-status' | 'voice';

/**
 * The dedupe key of one delivery: Twilio's idempotency token when present, otherwise the natural
 * key of the callback (a call's or conference's `SequenceNumber` counts its events; a recording
 * reports each status once). `null` when neither exists (a voice webhook without a token): such a
 * request cannot be told apart from a new one and must be handled as new.
 */
export function dedupeKeyOf(
  kind: TwilioWebhookKind,
  headers: IncomingHttpHeaders,
  params: unknown,
): string | null {
  const token = headers['i-twilio-idempotency-token'];
  if (typeof token === 'string' && token !== '') return `token:${token}`;

  const p = (name: string): string | undefined => {
    const value =
      params !== null && typeof params === 'object' ? (params as Record<string, unknown>)[name] : undefined;
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  switch (kind) {
    case 'call-status': {
      const callSid = p('CallSid');
      const sequence = p('SequenceNumber');
      return callSid && sequence ? `call:${callSid}:${sequence}` : null;
    }
    case 'conference-status': {
      const conferenceSid = p('ConferenceSid');
      const sequence = p('SequenceNumber');
      const event = p('StatusCallbackEvent');
      return conferenceSid && sequence && event ? `conf:${conferenceSid}:${sequence}:${event}` : null;
    }
    case 'recording-status': {
      const recordingSid = p('RecordingSid');
      const status = p('RecordingStatus');
      return recordingSid && status ? `rec:${recordingSid}:${status}` : null;
    }
    case 'voice':
      return null;
  }
}
