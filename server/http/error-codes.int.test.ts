import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, ServerToClientEvents } from '../realtime/realtime.events.js';
import { makeAgent, makeQueue } from '../testing/factories.js';
import { as, createTestContext, login, type TestContext } from '../testing/harness.js';

/**
 * Refusals carry a stable code and its params beside the English message, over HTTP and on socket
 * acknowledgements, so a console can say them in its own language.
 */
describe('error codes', () => {
  let ctx: TestContext;

  beforeEach(async () => {
    ctx = await createTestContext({
      app: { callTimers: false },
      arrange: async (db) => {
        await makeAgent(db, { username: 'ana' });
        await makeAgent(db, { username: 'sue', role: 'supervisor' });
        makeQueue(db, 'Support');
      },
    });
  });
  afterEach(() => ctx.close());

  it('names a missing record, a bad field, a role and a bad phone number, and changes nothing', async () => {
    const sue = as(ctx.app, await login(ctx.app, 'sue', 'test-password'));
    const ana = as(ctx.app, await login(ctx.app, 'ana', 'test-password'));
    const customers = () => ctx.db.prepare('SELECT count(*) FROM customers').pluck().get();
    const before = customers();

    const missing = await sue('GET', '/api/customers/987654');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({
      code: 'not_found',
      params: { what: 'Customer', id: 987654 },
      message: 'Customer 987654 does not exist',
    });

    const long = await sue('POST', '/api/customers', { name: 'x'.repeat(500) });
    expect(long.statusCode).toBe(400);
    expect(long.json()).toMatchObject({
      code: 'invalid_field',
      params: { field: 'name', rule: 'maxLength' },
    });

    const unknown = await sue('POST', '/api/customers', { name: 'Olivia', shoeSize: 42 });
    expect(unknown.json()).toMatchObject({
      code: 'invalid_field',
      params: { field: 'shoeSize', rule: 'additionalProperties' },
    });

    const phone = await sue('POST', '/api/customers', { name: 'Olivia', phones: [{ number: '12' }] });
    expect(phone.statusCode).toBe(400);
    expect(phone.json()).toMatchObject({ code: 'invalid_phone', params: { number: '12' } });

    const agentOnly = await ana('GET', '/api/supervision/queues');
    expect(agentOnly.statusCode).toBe(403);
    expect(agentOnly.json()).toMatchObject({
      code: 'role_required',
      params: { roles: 'supervisor, admin', role: 'agent' },
    });

    expect(customers()).toBe(before);
  });

  it('codes a refused desk command on its acknowledgement', async () => {
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    const origin = `http://127.0.0.1:${(ctx.app.server.address() as { port: number }).port}`;
    const cookie = await login(ctx.app, 'ana', 'test-password');
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = connect(origin, {
      transports: ['websocket'],
      extraHeaders: { cookie, origin },
      reconnection: false,
    });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.on('connect', resolve);
        socket.on('connect_error', reject);
      });
      const ack = await new Promise((resolve) =>
        socket.emit('agent:set-status', { status: 'break', reason: 'karaoke' }, resolve),
      );
      expect(ack).toEqual({
        ok: false,
        error: 'Unknown break reason "karaoke"',
        code: 'unknown_break_reason',
        params: { reason: 'karaoke' },
      });
      const joined = await new Promise((resolve) =>
        socket.emit('supervision:join', { view: 'queues' }, resolve),
      );
      expect(joined).toMatchObject({ ok: false, code: 'role_required', params: { role: 'agent' } });
    } finally {
      socket.disconnect();
    }
  });
});
