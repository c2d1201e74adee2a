import Fastify from 'fastify';
import twilio from 'twilio';
import { beforeEach, describe, expect, it } from 'vitest';
import { useTestRedis } from '../../testing/redis.js';
import { twilioSignaturePlugin } from './twilio-signature.plugin.js';
import { createWebhookDedupe, dedupeKeyOf, type WebhookDedupe } from './webhook-dedupe.js';

const CALL = `CA${'a'.repeat(32)}`;
const CONFERENCE = `CF${'b'.repeat(32)}`;
const RECORDING = `RE${'c'.repeat(32)}`;

describe('webhook dedupe', () => {
  const store = useTestRedis('twilio:webhook:');
  let dedupe: WebhookDedupe;

  beforeEach(() => {
    dedupe = createWebhookDedupe({ redis: store.redis, prefix: store.prefix });
  });

  it('keys a delivery on its signed parameters, never on the unsigned idempotency token', async () => {
    const callKey = (sequence: string) =>
      dedupeKeyOf('call-status', { CallSid: CALL, CallStatus: 'completed', SequenceNumber: sequence });
    expect(callKey('3')).toBe(`call:${CALL}:completed:3`);
    expect(await dedupe.firstTime(callKey('3'))).toBe(true);
    expect(await dedupe.firstTime(callKey('3'))).toBe(false);
    expect(await dedupe.firstTime(callKey('4'))).toBe(true);

    const conferenceKey = (event: string) =>
      dedupeKeyOf('conference-status', {
        ConferenceSid: CONFERENCE,
        SequenceNumber: '2',
        StatusCallbackEvent: event,
        CallSid: CALL,
      });
    expect(conferenceKey('participant-join')).toBe(`conf:${CONFERENCE}:participant-join:2:${CALL}`);
    expect(await dedupe.firstTime(conferenceKey('participant-join'))).toBe(true);
    expect(await dedupe.firstTime(conferenceKey('participant-join'))).toBe(false);
    expect(await dedupe.firstTime(conferenceKey('participant-hold'))).toBe(true);

    const recordingKey = (status: string) =>
      dedupeKeyOf('recording-status', { RecordingSid: RECORDING, RecordingStatus: status });
    expect(recordingKey('completed')).toBe(`rec:${RECORDING}:completed`);
    expect(await dedupe.firstTime(recordingKey('in-progress'))).toBe(true);
    expect(await dedupe.firstTime(recordingKey('completed'))).toBe(true);
    expect(await dedupe.firstTime(recordingKey('completed'))).toBe(false);
  });

  it('remembers a delivery for a day by default, or for the TTL given', async () => {
    await dedupe.firstTime('key:ttl-default');
    const ttl = await store.redis.ttl(`${store.prefix}key:ttl-default`);
    expect(ttl).toBeGreaterThan(86_400 - 5);
    expect(ttl).toBeLessThanOrEqual(86_400);

    await createWebhookDedupe({ redis: store.redis, prefix: store.prefix, ttlSeconds: 60 }).firstTime(
      'key:ttl-short',
    );
    const short = await store.redis.ttl(`${store.prefix}key:ttl-short`);
    expect(short).toBeGreaterThan(55);
    expect(short).toBeLessThanOrEqual(60);
  });

  it('gives exactly one of several simultaneous deliveries the claim', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => dedupe.firstTime('key:race')));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('lets a retry through after a failed handling released the claim', async () => {
    expect(await dedupe.firstTime('key:failed')).toBe(true);
    await dedupe.forget('key:failed');
    expect(await dedupe.firstTime('key:failed')).toBe(true);
  });

  it('answers a duplicate or replayed delivery 200 and changes nothing', async () => {
    const authToken = 'dedupe-test-token';
    const applied: string[] = [];
    const app = Fastify({ logger: false });
    await app.register(
      async (scope) => {
        await scope.register(twilioSignaturePlugin, {
          authToken,
          publicBaseUrl: new URL('https://cti.example.com'),
        });
        scope.post('/call-status', async (request, reply) => {
          const key = dedupeKeyOf('call-status', request.body as Record<string, string>);
          if (!(await dedupe.firstTime(key))) return reply.code(200).send();
          applied.push((request.body as Record<string, string>).CallStatus!);
          return reply.code(204).send();
        });
      },
      { prefix: '/twilio' },
    );
    const params = { CallSid: CALL, CallStatus: 'completed', SequenceNumber: '3' };
    const deliver = (token: string) =>
      app.inject({
        method: 'POST',
        url: '/twilio/call-status',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': twilio.getExpectedTwilioSignature(
            authToken,
            'https://cti.example.com/twilio/call-status',
            params,
          ),
          'i-twilio-idempotency-token': token,
        },
        payload: new URLSearchParams(params).toString(),
      });
    try {
      expect((await deliver('retry-me')).statusCode).toBe(204);
      expect((await deliver('retry-me')).statusCode).toBe(200);
      // A captured callback replayed with a fresh token is the same delivery.
      expect((await deliver('forged-fresh-token')).statusCode).toBe(200);
      expect(applied).toEqual(['completed']);
    } finally {
      await app.close();
    }
  });
});
