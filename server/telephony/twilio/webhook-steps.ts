import type { Redis } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';

export interface WebhookStepsOptions {
  redis: Redis;
  /** Key prefix, e.g. `${REDIS_PREFIX}twilio:step:`. */
  prefix: string;
  /** How long an answered step's TwiML is kept for repeats, in seconds. Default 86400. */
  ttlSeconds?: number;
  /**
   * How long a claim lives while its step runs, in seconds: a process that dies mid-step frees the
   * step for Twilio's next attempt after this. Default 30, twice Twilio's read timeout.
   */
  claimSeconds?: number;
  /** How long a repeat waits for the first attempt's answer, in ms. Default 10000. */
  waitMs?: number;
  /** How often a waiting repeat looks for that answer, in ms. Default 50. */
  pollMs?: number;
}

const RUNNING = '\u0000running';

/**
 * Runs each step of a call's TwiML conversation once, whatever Twilio sends. Twilio retries a
 * webhook whose answer it did not get in time, possibly while the first attempt still runs, and
 * may repeat a request after it was answered; a step that advanced the call twice would feed the
 * caller's next keys to the wrong question. So a step is claimed atomically in Redis before it
 * runs, its TwiML is kept under the same key, and every repeat gets that TwiML back.
 */
export function createWebhookSteps({
  redis,
  prefix,
  ttlSeconds = 86_400,
  claimSeconds = 30,
  waitMs = 10_000,
  pollMs = 50,
}: WebhookStepsOptions) {
  return {
    /**
     * The TwiML of step `key`: `answer()`'s, run by whichever attempt claims the step first, or
     * null when the first attempt is still running after `waitMs` (ask Twilio to come back). A
     * failed `answer()` releases the claim, so Twilio's retry runs the step afresh.
     */
    async once(key: string, answer: () => Promise<string>): Promise<string | null> {
      const fullKey = prefix + key;
      const deadline = Date.now() + waitMs;
      for (;;) {
        if ((await redis.set(fullKey, RUNNING, 'EX', claimSeconds, 'NX')) === 'OK') {
          let twiml: string;
          try {
            twiml = await answer();
          } catch (error) {
            await redis.del(fullKey);
            throw error;
          }
          await redis.set(fullKey, twiml, 'EX', ttlSeconds);
          return twiml;
        }
        const kept = await redis.get(fullKey);
        if (kept !== null && kept !== RUNNING) return kept;
        // Still running elsewhere, or just released by a failure: look again, or claim it.
        if (Date.now() >= deadline) return null;
        if (kept === RUNNING) await sleep(pollMs);
      }
    },
  };
}

export type WebhookSteps = ReturnType<typeof createWebhookSteps>;
