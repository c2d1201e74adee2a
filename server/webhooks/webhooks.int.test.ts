import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeAgent, makeCustomer, makeInteraction } from '../testing/factories.js';
import { as, login, useTestContext, type TestContext } from '../testing/harness.js';
import { startWebhookReceiver, type WebhookReceiver } from '../testing/webhook-receiver.js';

const arrange = async (db: TestContext['db']) => {
  await makeAgent(db, { username: 'boss', role: 'admin' });
  await makeAgent(db, { username: 'sue', role: 'supervisor' });
  await makeAgent(db, { username: 'ana', role: 'agent' });
};

/** One sign-in per user and test: sign-ins are rate-limited. */
function sessions(ctx: TestContext) {
  let cookies = new Map<string, string>();
  beforeEach(() => {
    cookies = new Map();
  });
  return async (username: string) => {
    if (!cookies.has(username)) cookies.set(username, await login(ctx.app, username, 'test-password'));
    return as(ctx.app, cookies.get(username)!);
  };
}

describe('webhook subscriptions API', () => {
  const ctx = useTestContext({ env: { WEBHOOK_ALLOW_PRIVATE_URLS: '0' }, arrange });
  const session = sessions(ctx);
  const body = { name: 'CRM', url: 'https://93.184.216.34/hook?key=abc', events: ['customer.created'] };

  const auditRows = () =>
    ctx.db
      .prepare(
        "SELECT action, actor_agent_id, entity_id, details FROM audit_log WHERE entity_type = 'webhook'",
      )
      .all() as { action: string; entity_id: string; details: string }[];

  it('creates a subscription whose secret is shown once and masked afterwards, audited without it', async () => {
    const boss = await session('boss');
    const created = await boss('POST', '/api/webhooks', body);
    expect(created.statusCode).toBe(201);
    const { id, secret, secretHint } = created.json<{ id: number; secret: string; secretHint: string }>();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(secretHint).toBe(`whsec_…${secret.slice(-4)}`);

    const list = await boss('GET', '/api/webhooks');
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(secret);
    expect(list.json().items).toEqual([
      expect.objectContaining({
        id,
        name: 'CRM',
        events: ['customer.created'],
        active: true,
        openDeliveries: 0,
      }),
    ]);

    const updated = await boss('PATCH', `/api/webhooks/${id}`, {
      events: ['customer.updated'],
      active: false,
    });
    expect(updated.json()).toMatchObject({ events: ['customer.updated'], active: false });
    expect((await boss('DELETE', `/api/webhooks/${id}`)).statusCode).toBe(204);
    expect((await boss('DELETE', `/api/webhooks/${id}`)).statusCode).toBe(404);
    expect((await boss('GET', '/api/webhooks')).json().items).toEqual([]);

    const rows = auditRows();
    expect(rows.map((row) => [row.action, row.entity_id])).toEqual([
      ['webhook.create', String(id)],
      ['webhook.update', String(id)],
      ['webhook.delete', String(id)],
    ]);
    // Neither the secret nor the URL's query (which may hold a receiver's key) reaches the audit log.
    expect(JSON.parse(rows[0]!.details)).toEqual({
      name: 'CRM',
      url: 'https://93.184.216.34/hook',
      events: ['customer.created'],
    });
    expect(JSON.stringify(rows)).not.toContain(secret);
    expect(ctx.logs()).not.toContain(secret);
  });

  it('refuses agents and supervisors on every route', async () => {
    const { id } = (await (await session('boss'))('POST', '/api/webhooks', body)).json<{ id: number }>();
    for (const user of ['ana', 'sue']) {
      const call = await session(user);
      for (const [method, url, payload] of [
        ['GET', '/api/webhooks', undefined],
        ['POST', '/api/webhooks', body],
        ['PATCH', `/api/webhooks/${id}`, { active: false }],
        ['DELETE', `/api/webhooks/${id}`, undefined],
        ['GET', `/api/webhooks/${id}/deliveries`, undefined],
        ['POST', '/api/webhooks/deliveries/1/replay', undefined],
      ] as const) {
        expect((await call(method, url, payload)).statusCode, `${user} ${method} ${url}`).toBe(403);
      }
    }
    expect((await (await session('boss'))('GET', '/api/webhooks')).json().items).toHaveLength(1);
  });

  it('accepts http and https URLs only, and refuses private and local addresses', async () => {
    const boss = await session('boss');
    for (const url of [
      'ftp://93.184.216.34/hook',
      'javascript:alert(1)',
      'not a url',
      'https://user:pass@93.184.216.34/hook',
      'http://127.0.0.1:8080/hook',
      'http://localhost/hook',
      'http://10.1.2.3/hook',
      'http://192.168.0.10/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://[fd00::1]/hook',
    ]) {
      const response = await boss('POST', '/api/webhooks', { ...body, url });
      expect(response.statusCode, url).toBe(400);
    }
    expect((await boss('POST', '/api/webhooks', { ...body, events: [] })).statusCode).toBe(400);
    expect((await boss('POST', '/api/webhooks', { ...body, events: ['call.rang'] })).statusCode).toBe(400);
    expect((await boss('GET', '/api/webhooks')).json().items).toEqual([]);
    expect(
      (await boss('POST', '/api/webhooks', { ...body, url: 'http://93.184.216.34:8080/x' })).statusCode,
    ).toBe(201);
  });
});

describe('webhook events from the domains', () => {
  const ctx = useTestContext({
    clock: 'system',
    env: { WEBHOOK_ALLOW_PRIVATE_URLS: '1' },
    arrange,
  });
  const session = sessions(ctx);
  let receiver: WebhookReceiver;
  beforeEach(async () => {
    receiver = await startWebhookReceiver();
  });
  afterEach(async () => {
    await receiver.close();
  });

  const events = () =>
    ctx.db.prepare('SELECT type, customer_id AS customerId, data FROM webhook_events ORDER BY id').all() as {
      type: string;
      customerId: number | null;
      data: string;
    }[];

  async function subscribeToAll() {
    const response = await (
      await session('boss')
    )('POST', '/api/webhooks', {
      name: 'everything',
      url: receiver.url,
      events: [
        'interaction.closed',
        'customer.created',
        'customer.updated',
        'followup.created',
        'followup.done',
        'survey.completed',
      ],
    });
    expect(response.statusCode).toBe(201);
  }

  it('keeps no event nobody subscribed to', async () => {
    const created = await (await session('ana'))('POST', '/api/customers', { name: 'Jane Nobody' });
    expect(created.statusCode).toBe(201);
    expect(events()).toEqual([]);
  });

  it('writes an event with the change, or not at all when the change rolls back', async () => {
    await subscribeToAll();
    expect(() =>
      ctx.app.db.transaction(() => {
        ctx.app.webhookEvents.publish({ type: 'customer.erased', data: { customerId: 1 } });
        throw new Error('the change failed');
      })(),
    ).toThrow('the change failed');
    expect(events()).toEqual([]);
  });

  it('tells subscribers of an erasure with the customer id alone, once', async () => {
    const boss = await session('boss');
    const subscribed = await boss('POST', '/api/webhooks', {
      name: 'privacy',
      url: receiver.url,
      events: ['customer.erased'],
    });
    expect(subscribed.statusCode).toBe(201);
    const customerId = makeCustomer(ctx.db, { name: 'Zoe Gone', phones: ['+14155550177'] });
    const erase = () =>
      boss('POST', `/api/customers/${customerId}/erasure`, {
        reason: 'Erasure request, ticket 12',
        confirmation: 'Zoe Gone',
      });
    expect((await erase()).statusCode).toBe(200);
    expect((await erase()).statusCode).toBe(409);
    expect(events()).toEqual([{ type: 'customer.erased', customerId, data: JSON.stringify({ customerId }) }]);
  });

  it('publishes customer, follow-up and interaction events with thin payloads', async () => {
    await subscribeToAll();
    const ana = await session('ana');
    const created = await ana('POST', '/api/customers', {
      name: 'Jane Doe',
      phones: [{ number: '+14155550123' }],
    });
    const customerId = created.json<{ customer: { id: number } }>().customer.id;
    expect((await ana('PATCH', `/api/customers/${customerId}`, { company: 'Acme' })).statusCode).toBe(200);
    const followUp = await ana('POST', '/api/follow-ups', {
      customerId,
      kind: 'task',
      title: 'Send the quote',
      dueAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(followUp.statusCode).toBe(201);
    const followUpId = followUp.json<{ id: number }>().id;
    expect((await ana('PATCH', `/api/follow-ups/${followUpId}`, { action: 'complete' })).statusCode).toBe(
      200,
    );

    const interactionId = makeInteraction(ctx.db, { customerId: null, arrivedAt: new Date().toISOString() });
    ctx.db
      .prepare("UPDATE interactions SET state = 'queued', outcome = NULL, ended_at = NULL WHERE id = ?")
      .run(interactionId);
    ctx.app.interactions.apply(
      interactionId,
      { type: 'ended', outcome: 'abandoned' },
      new Date().toISOString(),
    );
    // Linked to a customer afterwards: the interactions domain announces it again, webhooks once.
    ctx.app.interactions.annotate(interactionId, { customerId: makeCustomer(ctx.db, { name: 'Late Link' }) });

    const written = events().map((event) => ({ ...event, data: JSON.parse(event.data) as object }));
    expect(written.map((event) => event.type)).toEqual([
      'customer.created',
      'customer.updated',
      'followup.created',
      'followup.done',
      'interaction.closed',
    ]);
    expect(written[1]!.data).toEqual({ customerId, fields: ['company'] });
    expect(written[2]!.data).toMatchObject({ followUpId, customerId, kind: 'task', source: 'manual' });
    expect(written[3]!.data).toMatchObject({ followUpId, customerId, kind: 'task' });
    expect(written[4]).toMatchObject({
      customerId: null,
      data: { interactionId, outcome: 'abandoned', customerId: null },
    });
    // No names, numbers or titles leave in an event.
    expect(JSON.stringify(written)).not.toMatch(/Jane|4155550123|quote|Acme/);
    await receiver.waitFor((received) => received.length === 5);
  });
});
