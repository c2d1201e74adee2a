import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../http/webhook-signature.js';
import { makeAgent } from '../testing/factories.js';
import { as, login, until, useTestContext } from '../testing/harness.js';
import {
  startWebhookReceiver,
  type ReceivedWebhook,
  type WebhookReceiver,
} from '../testing/webhook-receiver.js';

interface Delivery {
  id: number;
  eventId: number;
  eventType: string;
  customerId: number | null;
  status: string;
  attempts: number;
  responseCode: number | null;
  durationMs: number | null;
  lastError: string | null;
  replayOf: number | null;
}

describe('event webhook delivery to a real receiver', () => {
  const ctx = useTestContext({
    clock: 'system',
    env: {
      WEBHOOK_ALLOW_PRIVATE_URLS: '1',
      WEBHOOK_RETRY_BASE_MS: '50',
      // Long enough for a loaded machine's receiver; the stalling answer below waits longer.
      WEBHOOK_TIMEOUT_MS: '2000',
      WEBHOOK_MAX_ATTEMPTS: '5',
    },
    arrange: async (db) => {
      await makeAgent(db, { username: 'boss', role: 'admin' });
    },
  });

  let receiver: WebhookReceiver;
  beforeEach(async () => {
    receiver = await startWebhookReceiver();
  });
  afterEach(async () => {
    await receiver.close();
  });

  // One sign-in per test: sign-ins are rate-limited.
  let cookie: string | null = null;
  beforeEach(() => {
    cookie = null;
  });
  const admin = async () => as(ctx.app, (cookie ??= await login(ctx.app, 'boss', 'test-password')));

  async function subscribe(events: string[]) {
    const response = await (
      await admin()
    )('POST', '/api/webhooks', { name: 'CRM', url: receiver.url, events });
    expect(response.statusCode).toBe(201);
    return response.json<{ id: number; secret: string }>();
  }

  async function createCustomer(name: string): Promise<number> {
    const response = await (await admin())('POST', '/api/customers', { name });
    expect(response.statusCode).toBe(201);
    return response.json<{ customer: { id: number } }>().customer.id;
  }

  async function log(subscriptionId: number): Promise<Delivery[]> {
    const response = await (await admin())('GET', `/api/webhooks/${subscriptionId}/deliveries?limit=100`);
    expect(response.statusCode).toBe(200);
    return response.json<{ items: Delivery[] }>().items;
  }

  const customerOf = (request: ReceivedWebhook) => request.json.data.customerId as number;

  it('signs each delivery so the receiver can verify it with the secret', async () => {
    const { secret } = await subscribe(['customer.created']);
    const customerId = await createCustomer('Jane Signed');
    await receiver.waitFor((received) => received.length === 1);
    const [request] = receiver.received;
    const headers = {
      timestamp: request!.headers['x-cti-timestamp'] as string,
      signature: request!.headers['x-cti-signature'] as string,
    };
    const now = Math.floor(Date.now() / 1000);
    expect(verifyWebhook(secret, request!.body, headers, now)).toBe(true);
    expect(verifyWebhook(`${secret}x`, request!.body, headers, now)).toBe(false);
    expect(verifyWebhook(secret, request!.body.replace('Jane', 'John'), headers, now)).toBe(true);
    expect(verifyWebhook(secret, `${request!.body} `, headers, now)).toBe(false);
    expect(verifyWebhook(secret, request!.body, headers, now + 3600)).toBe(false);
    expect(request!.headers['x-cti-event']).toBe('customer.created');
    expect(request!.json).toMatchObject({
      type: 'customer.created',
      data: { customerId, tier: 'bronze', lifecycleStage: 'new' },
    });
    // Thin events: the customer's name is not in the body.
    expect(request!.body).not.toContain('Jane');
    expect(ctx.logs()).not.toContain(secret);
  });

  it('retries after a 500 and after a timeout, then records the delivery', async () => {
    const { id } = await subscribe(['customer.created']);
    receiver.answerWith((_request, index) =>
      index === 0 ? { status: 500 } : index === 1 ? { status: 200, delayMs: 4000 } : { status: 204 },
    );
    await createCustomer('Jane Retry');
    await receiver.waitFor((received) => received.length === 3 && received[2]!.status === 204);
    expect(new Set(receiver.received.map((r) => r.json.id)).size).toBe(1);
    await until(async () => (await log(id))[0]?.status === 'delivered', 'delivered');
    const [delivery] = await log(id);
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 3, responseCode: 204, lastError: null });
    expect(delivery!.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('stops at a 4xx other than 408 and 429, and retries those two', async () => {
    const { id } = await subscribe(['customer.created']);
    receiver.answerWith((request) =>
      request.json.data.customerId === 1 ? { status: 410 } : { status: 200 },
    );
    await createCustomer('Gone');
    await until(async () => (await log(id))[0]?.status === 'failed', 'failed');
    expect((await log(id))[0]).toMatchObject({ attempts: 1, responseCode: 410, lastError: 'HTTP 410' });

    receiver.answerWith((_request, index) =>
      index < 3 ? { status: index === 1 ? 429 : 408 } : { status: 200 },
    );
    await createCustomer('Busy');
    await until(async () => (await log(id))[0]?.status === 'delivered', 'delivered after 408, 429');
    expect((await log(id))[0]).toMatchObject({ attempts: 3, responseCode: 200 });
    // The refused one was sent once.
    expect(receiver.received.filter((r) => customerOf(r) === 1)).toHaveLength(1);
  });

  it("keeps a customer's events in order while an earlier one retries, without holding up others", async () => {
    const { id } = await subscribe(['customer.created', 'customer.updated']);
    let failuresLeft = 3;
    receiver.answerWith((request) =>
      request.json.type === 'customer.created' && request.json.data.customerId === 1 && failuresLeft-- > 0
        ? { status: 503 }
        : { status: 200 },
    );
    const jane = await createCustomer('Jane Ordered');
    const boss = await admin();
    expect((await boss('PATCH', `/api/customers/${jane}`, { company: 'Acme' })).statusCode).toBe(200);
    const john = await createCustomer('John Elsewhere');
    expect((await boss('PATCH', `/api/customers/${jane}`, { tags: ['vip'] })).statusCode).toBe(200);

    const delivered = (received: ReceivedWebhook[], customerId: number) =>
      received.filter((r) => customerOf(r) === customerId && r.status === 200);
    await receiver.waitFor((received) => delivered(received, jane).length === 3);

    const janes = receiver.received.filter((r) => customerOf(r) === jane);
    // Four tries of the first event, then the two updates, each once, in the order they happened.
    expect(janes.map((r) => [r.json.type, r.status])).toEqual([
      ['customer.created', 503],
      ['customer.created', 503],
      ['customer.created', 503],
      ['customer.created', 200],
      ['customer.updated', 200],
      ['customer.updated', 200],
    ]);
    expect(janes.map((r) => r.json.data.fields ?? null)).toEqual([
      null,
      null,
      null,
      null,
      ['company'],
      ['tags'],
    ]);
    const ids = janes.slice(3).map((r) => r.json.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    // Another customer's event went through while Jane's first was still retrying.
    const johnAt = receiver.received.findIndex((r) => customerOf(r) === john);
    const janeDeliveredAt = receiver.received.findIndex((r) => customerOf(r) === jane && r.status === 200);
    expect(johnAt).toBeGreaterThanOrEqual(0);
    expect(johnAt).toBeLessThan(janeDeliveredAt);
    await until(async () => (await log(id)).every((d) => d.status === 'delivered'), 'all delivered');
  });

  it('replays a delivery: the same event is sent again and logged as a new delivery', async () => {
    const { id } = await subscribe(['customer.created']);
    await createCustomer('Jane Replay');
    await until(async () => (await log(id))[0]?.status === 'delivered', 'delivered');
    const [first] = await log(id);
    const replay = await (await admin())('POST', `/api/webhooks/deliveries/${first!.id}/replay`);
    expect(replay.statusCode).toBe(202);
    expect(replay.json()).toMatchObject({ replayOf: first!.id, eventId: first!.eventId, status: 'pending' });
    await receiver.waitFor((received) => received.length === 2);
    expect(receiver.received[1]!.body).toBe(receiver.received[0]!.body);
    await until(async () => (await log(id))[0]?.status === 'delivered', 'replay delivered');
    expect((await log(id)).map((d) => [d.replayOf, d.status])).toEqual([
      [first!.id, 'delivered'],
      [null, 'delivered'],
    ]);
    expect((await (await admin())('POST', '/api/webhooks/deliveries/999/replay')).statusCode).toBe(404);
  });

  it('holds deliveries while a subscription is disabled and sends them once it is enabled', async () => {
    const { id } = await subscribe(['customer.created']);
    const boss = await admin();
    expect((await boss('PATCH', `/api/webhooks/${id}`, { active: false })).json()).toMatchObject({
      active: false,
    });
    // Events happening while disabled are not kept for it.
    await createCustomer('Unheard');
    expect((await boss('PATCH', `/api/webhooks/${id}`, { active: true })).statusCode).toBe(200);
    receiver.answerWith(() => ({ status: 500 }));
    await createCustomer('Heard');
    await receiver.waitFor((received) => received.length >= 1);
    expect((await boss('PATCH', `/api/webhooks/${id}`, { active: false })).statusCode).toBe(200);
    receiver.answerWith(() => ({ status: 200 }));
    const before = receiver.received.length;
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(receiver.received.length).toBe(before);
    expect((await boss('PATCH', `/api/webhooks/${id}`, { active: true })).json()).toMatchObject({
      openDeliveries: 1,
    });
    await until(async () => (await log(id))[0]?.status === 'delivered', 'delivered after enabling');
    expect(receiver.received.every((r) => r.json.type === 'customer.created' && customerOf(r) === 2)).toBe(
      true,
    );
  });
});
