import type { Redis } from 'ioredis';

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
 * Twilio retries webhooks, and status callbacks may arrive twice. A handler claims the delivery
 * first; a duplicate answers 2xx, so Twilio stops retrying, and changes nothing:
 *
 * ```ts
 * const key = dedupeKeyOf('call-status', request.body);
 * if (!(await dedupe.firstTime(key))) return reply.code(204).send();
 * try { await handle(request.body); } catch (error) { await dedupe.forget(key); throw error; }
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

/** The Twilio status callbacks, each deduplicated on its own signed parameters. */
export type TwilioWebhookKind = 'call-status' | 'conference-status' | 'recording-status';

/**
 * The dedupe key of one delivery, built only from parameters the signature covers. Twilio's
 * `I-Twilio-Idempotency-Token` header is not signed: a captured callback replayed with a fresh
 * token would pass as new, so the token is never part of the key.
 *
 * A call's `SequenceNumber` counts its status events (and a call reaches each status once); a
 * conference's counts its events; a recording reports each status once.
 */
export function dedupeKeyOf(
  kind: TwilioWebhookKind,
  params: { CallSid?: string; CallStatus?: string; SequenceNumber?: string } & Record<string, unknown>,
): string {
  const p = (name: string): string => {
    const value = params[name];
    return typeof value === 'string' ? value : '';
  };
  switch (kind) {
    case 'call-status':
      return `call:${p('CallSid')}:${p('CallStatus')}:${p('SequenceNumber')}`;
    case 'conference-status':
      return `conf:${p('ConferenceSid')}:${p('StatusCallbackEvent')}:${p('SequenceNumber')}:${p('CallSid')}`;
    case 'recording-status':
      return `rec:${p('RecordingSid')}:${p('RecordingStatus')}`;
  }
}
