import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { makeAgent } from '../testing/factories.js';
import { as, createTestContext, login, type TestContext } from '../testing/harness.js';
import { agentRoom, type ClientToServerEvents, type ServerToClientEvents } from './realtime.events.js';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

describe('realtime (socket.io)', () => {
  let ctx: TestContext;
  let url: string;
  const sockets: ClientSocket[] = [];

  beforeEach(async () => {
    ctx = await createTestContext({
      clock: 'system',
      arrange: async (db) => {
        await makeAgent(db, { username: 'ana' });
      },
    });
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(ctx.app.server.address() as { port: number }).port}`;
  });
  afterEach(async () => {
    sockets.splice(0).forEach((socket) => socket.disconnect());
    await ctx.close();
  });

  function open(headers: Record<string, string>, target = url): ClientSocket {
    const socket: ClientSocket = connect(target, {
      transports: ['websocket'],
      extraHeaders: headers,
      reconnection: false,
    });
    sockets.push(socket);
    return socket;
  }

  const outcome = (socket: ClientSocket) =>
    new Promise<string>((resolve) => {
      socket.on('connect', () => resolve('connected'));
      socket.on('connect_error', (error) => resolve(error.message));
    });

  it('accepts a signed-in console from our origin', async () => {
    const cookie = await login(ctx.app, 'ana', 'test-password');
    expect(await outcome(open({ cookie, origin: url }))).toBe('connected');
  });

  it('refuses a handshake without a session, with a forged one, or from another origin', async () => {
    const cookie = await login(ctx.app, 'ana', 'test-password');
    expect(await outcome(open({ origin: url }))).toMatch(/Sign in first/);
    expect(await outcome(open({ cookie: 'cti_session=forged', origin: url }))).toMatch(/Sign in first/);
    expect(await outcome(open({ cookie, origin: 'https://evil.example' }))).toMatch(/Cross-origin/);
    expect(await outcome(open({ cookie }))).toMatch(/Cross-origin/);
  });

  it('refuses a DNS-rebinding page, whose Host header names its own origin', async () => {
    const cookie = await login(ctx.app, 'ana', 'test-password');
    const port = new URL(url).port;
    const rebound = open({
      cookie,
      origin: `http://rebind.attacker.example:${port}`,
      host: `rebind.attacker.example:${port}`,
    });
    expect(await outcome(rebound)).toMatch(/Cross-origin/);
  });

  it('refuses a handshake whose session cookie is not valid percent-encoding, and keeps serving', async () => {
    expect(await outcome(open({ cookie: 'cti_session=%E0%A4%A', origin: url }))).toMatch(/Sign in first/);
    const cookie = await login(ctx.app, 'ana', 'test-password');
    expect(await outcome(open({ cookie, origin: url }))).toBe('connected');
    expect((await fetch(`${url}/api/health`)).status).toBeLessThan(500);
  });

  it('drops a socket that sends a message larger than BODY_LIMIT_BYTES, and keeps serving', async () => {
    const cookie = await login(ctx.app, 'ana', 'test-password');
    const socket = open({ cookie, origin: url });
    expect(await outcome(socket)).toBe('connected');
    const disconnected = new Promise<string>((resolve) => socket.on('disconnect', resolve));
    socket.emit(
      'wrapup:submit',
      {
        interactionId: 1,
        wrapUpCodeId: null,
        notes: 'x'.repeat(ctx.config.bodyLimitBytes + 1),
      },
      () => undefined,
    );
    expect(await disconnected).toBe('transport close');
    expect(await outcome(open({ cookie, origin: url }))).toBe('connected');
  });

  it('tells every open console of an agent, on any server process, when they sign out', async () => {
    // A second server process on the same Redis: the socket lives on it, the sign-out happens on the first.
    const other = await buildApp(ctx.config);
    try {
      await other.listen({ port: 0, host: '127.0.0.1' });
      const otherUrl = `http://127.0.0.1:${(other.server.address() as { port: number }).port}`;
      const cookie = await login(ctx.app, 'ana', 'test-password');
      const socket = open({ cookie, origin: otherUrl }, otherUrl);
      expect(await outcome(socket)).toBe('connected');
      const ended = new Promise<void>((resolve) => socket.on('session:ended', resolve));
      const disconnected = new Promise<string>((resolve) => socket.on('disconnect', resolve));
      expect((await as(ctx.app, cookie)('POST', '/api/auth/logout')).statusCode).toBe(204);
      await ended;
      expect(await disconnected).toBe('io server disconnect');
      expect(await other.io.in(agentRoom(1)).fetchSockets()).toHaveLength(0);
    } finally {
      await other.close();
    }
  });
});
