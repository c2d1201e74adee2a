import { beforeEach, describe, expect, it } from 'vitest';
import { deferred, useTestRedis } from '../../testing/redis.js';
import { createWebhookSteps, type WebhookSteps } from './webhook-steps.js';

describe('webhook steps', () => {
  const store = useTestRedis('twilio:step:');
  let steps: WebhookSteps;

  beforeEach(() => {
    steps = createWebhookSteps({ redis: store.redis, prefix: store.prefix, pollMs: 5 });
  });

  it('runs a step once when a retry arrives while the first attempt still runs, and answers both alike', async () => {
    const first = deferred<string>();
    let runs = 0;
    const answer = () => {
      runs += 1;
      return first.promise;
    };
    const attempt = steps.once('7:ivr:2', answer);
    // The retry finds the step claimed and waits for the first attempt's TwiML.
    const retry = steps.once('7:ivr:2', answer);
    await new Promise((resolve) => setImmediate(resolve));
    first.resolve('<Response><Say>Next question</Say></Response>');
    expect(await Promise.all([attempt, retry])).toEqual([
      '<Response><Say>Next question</Say></Response>',
      '<Response><Say>Next question</Say></Response>',
    ]);
    expect(await steps.once('7:ivr:2', answer)).toBe('<Response><Say>Next question</Say></Response>');
    expect(runs).toBe(1);
  });

  it('keeps other steps and other calls apart', async () => {
    expect(await steps.once('7:ivr:2', async () => 'a')).toBe('a');
    expect(await steps.once('7:ivr:3', async () => 'b')).toBe('b');
    expect(await steps.once('8:ivr:2', async () => 'c')).toBe('c');
  });

  it('lets a retry run a step whose first attempt failed', async () => {
    await expect(
      steps.once('7:max-wait:callback-answer', async () => {
        throw new Error('database is locked');
      }),
    ).rejects.toThrow('database is locked');
    expect(await steps.once('7:max-wait:callback-answer', async () => 'booked')).toBe('booked');
  });

  it('tells a repeat that outwaits a still-running first attempt to come back, without running the step', async () => {
    const impatient = createWebhookSteps({ redis: store.redis, prefix: store.prefix, pollMs: 5, waitMs: 0 });
    const first = deferred<string>();
    const attempt = impatient.once('9:ivr:1', () => first.promise);
    let ran = false;
    expect(
      await impatient.once('9:ivr:1', async () => {
        ran = true;
        return 'twice';
      }),
    ).toBeNull();
    expect(ran).toBe(false);
    first.resolve('once');
    expect(await attempt).toBe('once');
  });
});
