import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../app.js';
import { connectDesk, type DeskSocket } from '../testing/desk-socket.js';
import { makeAgent } from '../testing/factories.js';
import { as, createTestContext, login, type TestContext } from '../testing/harness.js';
import { agentRoom, roleRoom, supervisionRoom } from './realtime.events.js';
import { SESSION_SWEEP_MS } from './realtime.plugin.js';
import { SESSION_ENDED } from './socket-sessions.js';

const urlOf = (app: FastifyInstance) => `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

/**
 * Revocation reaches open sockets: the admin acts on one server process, the user's console is
 * connected to another one sharing the same Redis and database.
 */
describe('revoking access closes or narrows open sockets on every server process', () => {
  let ctx: TestContext;
  let other: FastifyInstance;
  let ids: Record<'ana' | 'sue' | 'boss', number>;
  let admin: ReturnType<typeof as>;
  const sockets: DeskSocket[] = [];

  beforeEach(async () => {
    ctx = await createTestContext({
      env: { SESSION_TTL_HOURS: '2' },
      app: { callTimers: false },
      arrange: async (db) => {
        ids = {
          ana: await makeAgent(db, { username: 'ana' }),
          sue: await makeAgent(db, { username: 'sue', role: 'supervisor' }),
          boss: await makeAgent(db, { username: 'boss', role: 'admin' }),
        };
      },
    });
    other = await buildApp(ctx.config, { clock: ctx.clock, callTimers: false });
    await other.listen({ port: 0, host: '127.0.0.1' });
    admin = as(ctx.app, await login(ctx.app, 'boss', 'test-password'));
  });
  afterEach(async () => {
    sockets.splice(0).forEach((socket) => socket.disconnect());
    await other.close();
    await ctx.close();
  });

  async function desk(username: string, server = other) {
    const opened = await connectDesk(urlOf(server), await login(ctx.app, username, 'test-password'));
    sockets.push(opened.socket);
    const ended = new Promise<void>((resolve) => opened.socket.on('session:ended', resolve));
    const disconnected = new Promise<string>((resolve) => opened.socket.on('disconnect', resolve));
    return { ...opened, ended, disconnected };
  }

  it('ends a disabled agent’s sockets and takes them out of routing', async () => {
    const ana = await desk('ana');
    expect((await ana.command('agent:set-status', { status: 'available' })).ok).toBe(true);
    expect((await admin('PATCH', `/api/agents/${ids.ana}`, { active: false })).statusCode).toBe(200);
    await ana.ended;
    expect(await ana.disconnected).toBe('io server disconnect');
    expect(await other.io.in(agentRoom(ids.ana)).fetchSockets()).toHaveLength(0);
    expect((await ctx.app.acd.getAgent(ids.ana))?.status).toBe('offline');
  });

  it('ends every session and socket of an agent whose password is changed', async () => {
    const ana = await desk('ana');
    const cookie = await login(ctx.app, 'ana', 'test-password');
    expect((await admin('PATCH', `/api/agents/${ids.ana}`, { password: 'a new secret' })).statusCode).toBe(
      200,
    );
    await ana.ended;
    expect(await ana.disconnected).toBe('io server disconnect');
    expect((await as(ctx.app, cookie)('GET', '/api/auth/me')).statusCode).toBe(401);
  });

  it('takes a demoted supervisor out of the live views and alerts at once', async () => {
    const sue = await desk('sue');
    expect((await sue.command('supervision:join', { view: 'agents' })).ok).toBe(true);
    expect(await other.io.in(supervisionRoom('agents')).fetchSockets()).toHaveLength(1);
    expect((await admin('PATCH', `/api/agents/${ids.sue}`, { role: 'agent' })).statusCode).toBe(200);
    expect(await ctx.app.io.in(supervisionRoom('agents')).fetchSockets()).toHaveLength(0);
    expect(await ctx.app.io.in(roleRoom('supervisor')).fetchSockets()).toHaveLength(0);
    expect(await ctx.app.io.in(roleRoom('agent')).fetchSockets()).toHaveLength(1);
    const again = await sue.command('supervision:join', { view: 'agents' });
    expect(again).toEqual({
      ok: false,
      error: 'This needs the role supervisor or admin; you are agent',
      code: 'role_required',
      params: { roles: 'supervisor, admin', role: 'agent' },
    });
    expect(sue.socket.connected).toBe(true);
  });

  it('refuses every command once the session has expired, and closes the socket', async () => {
    const ana = await desk('ana');
    ctx.clock.advance(2 * 3_600_000 + 1);
    expect(await ana.command('agent:set-status', { status: 'available' })).toEqual({
      ok: false,
      error: SESSION_ENDED,
      code: 'session_ended',
    });
    await ana.ended;
    expect(await ana.disconnected).toBe('io server disconnect');
    expect((await ctx.app.acd.getAgent(ids.ana))?.status ?? 'offline').toBe('offline');
  });

  it('closes a quiet socket whose session expired at the next sweep', async () => {
    // The sweep runs on an interval: this process starts it under a fake setInterval, run by hand.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const swept = await buildApp(ctx.config, { clock: ctx.clock, callTimers: false });
    try {
      await swept.listen({ port: 0, host: '127.0.0.1' });
      const ana = await desk('ana', swept);
      ctx.clock.advance(2 * 3_600_000 + 1);
      vi.advanceTimersByTime(SESSION_SWEEP_MS);
      await ana.ended;
      expect(await ana.disconnected).toBe('io server disconnect');
    } finally {
      vi.useRealTimers();
      await swept.close();
    }
  });

  it('re-checks the session on each command, even when no revocation message arrived', async () => {
    const ana = await desk('ana');
    ctx.db.prepare('DELETE FROM sessions WHERE agent_id = ?').run(ids.ana);
    expect((await ana.command('agent:set-status', { status: 'available' })).ok).toBe(false);
    await ana.disconnected;
  });
});
