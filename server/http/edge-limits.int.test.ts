import { connect as connectTcp } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectDesk } from '../testing/desk-socket.js';
import { makeAgent } from '../testing/factories.js';
import { createTestContext, login, type TestContext } from '../testing/harness.js';

describe('the HTTP edge', () => {
  let ctx: TestContext;
  let port: number;

  beforeEach(async () => {
    ctx = await createTestContext({
      env: { REQUEST_TIMEOUT_SECONDS: '1' },
      clock: 'system',
      arrange: async (db) => {
        await makeAgent(db, { username: 'ana' });
      },
    });
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    port = (ctx.app.server.address() as { port: number }).port;
  });
  afterEach(() => ctx.close());

  it('sends security headers that keep the console out of frames and content types unsniffed', async () => {
    for (const url of ['/api/auth/me', '/', '/health']) {
      const response = await ctx.app.inject({ method: 'GET', url });
      const policy = String(response.headers['content-security-policy']);
      expect(policy).toContain("frame-ancestors 'none'");
      expect(policy).toContain("script-src 'self'");
      expect(policy).not.toContain('unsafe-inline');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-frame-options']).toBe('DENY');
    }
  });

  it('cuts off a request whose body never finishes arriving', async () => {
    const socket = connectTcp(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write(
      `POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: http://127.0.0.1:${port}\r\n` +
        'Content-Type: application/json\r\n' +
        'Content-Length: 1000\r\n\r\n{"username":',
    );
    await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('leaves an open socket.io connection alone past the request timeout', async () => {
    const cookie = await login(ctx.app, 'ana', 'test-password');
    const desk = await connectDesk(`http://127.0.0.1:${port}`, cookie);
    try {
      await sleep(2500);
      expect(desk.socket.connected).toBe(true);
      expect(await desk.command('agent:set-status', { status: 'break', reason: 'lunch' })).toEqual({
        ok: true,
      });
    } finally {
      desk.socket.disconnect();
    }
  });
});
