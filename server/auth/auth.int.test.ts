import { describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { makeAgent } from '../testing/factories.js';
import { as, useTestContext, login, ORIGIN } from '../testing/harness.js';

describe('auth', () => {
  const ctx = useTestContext({
    env: { LOGIN_RATE_LIMIT_PER_MINUTE: '5', SESSION_TTL_HOURS: '2' },
    arrange: async (db) => {
      await makeAgent(db, { username: 'ana', role: 'agent', password: 'correct horse' });
      await makeAgent(db, { username: 'boss', role: 'admin', password: 'admin secret' });
    },
  });

  const loginRequest = (
    username: string,
    password: string,
    headers: Record<string, string> = { origin: ORIGIN },
  ) => ctx.app.inject({ method: 'POST', url: '/api/auth/login', headers, payload: { username, password } });

  it('signs in with an httpOnly SameSite=Strict cookie and tells who is signed in', async () => {
    const response = await loginRequest('ana', 'correct horse');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ username: 'ana', role: 'agent', uiLanguage: 'en' });
    const setCookie = String(response.headers['set-cookie']);
    expect(setCookie).toMatch(/^cti_session=[\w-]{40,};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');

    const cookie = setCookie.split(';')[0]!;
    const me = await as(ctx.app, cookie)('GET', '/api/auth/me');
    expect(me.statusCode).toBe(200);
    // This server has no SIP edge: the console must not start a softphone (it would be refused).
    expect(me.json()).toMatchObject({ username: 'ana', softphone: false });
  });

  it('refuses a wrong password and an unknown user with the same 401, and audits both', async () => {
    const wrong = await loginRequest('ana', 'wrong');
    const unknown = await loginRequest('nobody', 'wrong');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().message).toBe(unknown.json().message);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    const failures = ctx.db
      .prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'session.login_failed'")
      .get() as {
      n: number;
    };
    expect(failures.n).toBe(2);
    expect(ctx.db.prepare('SELECT count(*) AS n FROM sessions').get()).toEqual({ n: 0 });
  });

  it('answers 401 without a session, with a made-up session, and after logout', async () => {
    expect((await ctx.app.inject({ method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
    expect((await as(ctx.app, 'cti_session=forged')('GET', '/api/auth/me')).statusCode).toBe(401);

    const cookie = await login(ctx.app, 'ana', 'correct horse');
    const logout = await as(ctx.app, cookie)('POST', '/api/auth/logout');
    expect(logout.statusCode).toBe(204);
    expect((await as(ctx.app, cookie)('GET', '/api/auth/me')).statusCode).toBe(401);
  });

  it('expires sessions after SESSION_TTL_HOURS', async () => {
    const cookie = await login(ctx.app, 'ana', 'correct horse');
    ctx.clock.advance(2 * 3_600_000 - 1000);
    expect((await as(ctx.app, cookie)('GET', '/api/auth/me')).statusCode).toBe(200);
    ctx.clock.advance(2000);
    const expired = await as(ctx.app, cookie)('GET', '/api/auth/me');
    expect(expired.statusCode).toBe(401);
    expect(expired.json().message).toMatch(/expired/);
  });

  it('rate-limits login attempts per client in Redis', async () => {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await loginRequest('ana', 'wrong')).statusCode).toBe(401);
    }
    const limited = await loginRequest('ana', 'correct horse');
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['set-cookie']).toBeUndefined();
    const keys = await ctx.app.redis.keys(`${ctx.config.redisPrefix}login-throttle:*`);
    expect(keys.length).toBeGreaterThan(0);
  });

  it('refuses state-changing requests without our Origin, before doing anything', async () => {
    const missing = await loginRequest('ana', 'correct horse', {});
    expect(missing.statusCode).toBe(403);
    const foreign = await loginRequest('ana', 'correct horse', { origin: 'https://evil.example' });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().message).toMatch(/Origin/);
    expect(ctx.db.prepare('SELECT count(*) AS n FROM sessions').get()).toEqual({ n: 0 });

    const sameHost = await loginRequest('ana', 'correct horse', {
      origin: 'http://localhost:80',
      host: 'localhost:80',
    });
    expect(sameHost.statusCode).toBe(200);
  });

  it('refuses a DNS-rebinding page, whose Host header names its own origin', async () => {
    const rebound = await loginRequest('ana', 'correct horse', {
      origin: 'http://rebind.attacker.example:3000',
      host: 'rebind.attacker.example:3000',
    });
    expect(rebound.statusCode).toBe(403);
    expect(ctx.db.prepare('SELECT count(*) AS n FROM sessions').get()).toEqual({ n: 0 });
  });

  it('keeps an agent out of admin routes', async () => {
    const agent = as(ctx.app, await login(ctx.app, 'ana', 'correct horse'));
    const response = await agent('POST', '/api/agents', {
      username: 'mallory',
      displayName: 'Mallory',
      role: 'admin',
      password: 'long enough',
    });
    expect(response.statusCode).toBe(403);
    expect(ctx.db.prepare("SELECT count(*) AS n FROM agents WHERE username = 'mallory'").get()).toEqual({
      n: 0,
    });
  });

  it('never writes passwords or session tokens to the log', async () => {
    const response = await loginRequest('ana', 'correct horse');
    const token = response.cookies.find((c) => c.name === 'cti_session')!.value;
    await as(ctx.app, `cti_session=${token}`)('GET', '/api/auth/me');
    await loginRequest('ana', 'a-wrong-password-123');
    const logs = ctx.logs();
    expect(logs).toContain('/api/auth/login');
    expect(logs).not.toContain('correct horse');
    expect(logs).not.toContain('a-wrong-password-123');
    expect(logs).not.toContain(token);
  });

  it('refuses to register an /api route that does not declare its roles', async () => {
    const other = await buildApp(ctx.config);
    try {
      expect(() => other.get('/api/undeclared', async () => 'x')).toThrow(/must declare config.roles/);
    } finally {
      await other.close();
    }
  });
});
