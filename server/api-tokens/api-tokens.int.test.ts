import { beforeEach, describe, expect, it } from 'vitest';
import { createAgentsRepository } from '../agents/index.js';
import { agentIdOf, makeAgent, setAgent } from '../testing/factories.js';
import { io as connect } from 'socket.io-client';
import { as, login, ORIGIN, useTestContext } from '../testing/harness.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

describe('API tokens', () => {
  const ctx = useTestContext({
    env: { LOGIN_RATE_LIMIT_PER_MINUTE: '5' },
    arrange: async (db) => {
      await makeAgent(db, { username: 'boss', role: 'admin' });
      await makeAgent(db, { username: 'sue', role: 'supervisor' });
      await makeAgent(db, { username: 'ana', role: 'agent' });
    },
  });

  // One sign-in per test: the sign-in throttle allows 5 a minute here.
  let bossCookie: string | null = null;
  beforeEach(() => {
    bossCookie = null;
  });
  const admin = async () => as(ctx.app, (bossCookie ??= await login(ctx.app, 'boss', 'test-password')));

  async function createToken(body: Record<string, unknown>) {
    const response = await (await admin())('POST', '/api/api-tokens', body);
    expect(response.statusCode).toBe(201);
    return response.json<{ id: number; token: string; prefix: string; role: string }>();
  }

  /** A server-to-server request: the Bearer token, no cookie, no Origin. */
  const bearer = (token: string) => (method: Method, url: string, payload?: object) =>
    ctx.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload !== undefined && { payload }),
    });

  const auditRows = (action: string) =>
    ctx.db
      .prepare(
        'SELECT actor_agent_id, entity_id, api_token_id, details FROM audit_log WHERE action = ? ORDER BY id',
      )
      .all(action) as {
      actor_agent_id: number | null;
      entity_id: string | null;
      api_token_id: number | null;
      details: string;
    }[];

  const countOf = (table: string) =>
    (ctx.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

  it('creates a token shown once, stores only its hash, and lists it without the secret', async () => {
    const created = await createToken({ name: 'CRM sync', role: 'supervisor' });
    expect(created.token).toMatch(/^cti_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(created.token.startsWith(`${created.prefix}_`)).toBe(true);
    expect(created).toMatchObject({
      name: 'CRM sync',
      role: 'supervisor',
      createdByName: 'boss',
      lastUsedAt: null,
    });

    const stored = ctx.db.prepare('SELECT * FROM api_tokens').get() as Record<string, unknown>;
    // The secret is what follows `cti_` and the 12-digit public id (it may itself hold `_`).
    expect(JSON.stringify(stored)).not.toContain(created.token.slice(`${created.prefix}_`.length));
    expect(stored.secret_hash).toMatch(/^[0-9a-f]{64}$/);

    const list = await (await admin())('GET', '/api/api-tokens');
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(created.token);
    expect(list.json().items).toEqual([expect.objectContaining({ id: created.id, prefix: created.prefix })]);
    expect(list.json().items[0]).not.toHaveProperty('token');

    const [row] = auditRows('api_token.create');
    expect(row).toMatchObject({ actor_agent_id: agentIdOf(ctx.db, 'boss'), entity_id: String(created.id) });
    expect(row!.details).not.toContain(created.token);
  });

  it('acts with its role on every route, exactly as a user of that role, without an Origin', async () => {
    const agentToken = bearer((await createToken({ name: 'agent bot', role: 'agent' })).token);
    const supervisorToken = bearer((await createToken({ name: 'wallboard', role: 'supervisor' })).token);

    expect((await agentToken('GET', '/api/customers?q=jane')).statusCode).toBe(200);
    expect((await agentToken('GET', '/api/supervision/queues')).statusCode).toBe(403);
    expect((await agentToken('GET', '/api/agents/1')).statusCode).toBe(200);
    expect((await agentToken('POST', '/api/queues', { name: 'x' })).statusCode).toBe(403);
    expect((await supervisorToken('GET', '/api/supervision/queues')).statusCode).toBe(200);
    expect((await supervisorToken('GET', '/api/customers?q=jane')).statusCode).toBe(200);

    const me = await agentToken('GET', '/api/auth/me');
    expect(me.json()).toMatchObject({ username: 'boss', role: 'agent' });

    // A state change with no Origin at all: tokens are not browser credentials.
    const created = await agentToken('POST', '/api/customers', { name: 'Jane Token' });
    expect(created.statusCode).toBe(201);
  });

  it('names the token on the audit rows of what it did', async () => {
    const { id, token } = await createToken({ name: 'importer', role: 'agent' });
    const created = await bearer(token)('POST', '/api/customers', { name: 'Jane Token' });
    expect(created.statusCode).toBe(201);
    const [row] = ctx.db
      .prepare("SELECT actor_agent_id, api_token_id FROM audit_log WHERE entity_type = 'customer'")
      .all() as { actor_agent_id: number; api_token_id: number | null }[];
    expect(row).toEqual({ actor_agent_id: agentIdOf(ctx.db, 'boss'), api_token_id: id });

    // The same change by a session names no token.
    const ana = as(ctx.app, await login(ctx.app, 'ana', 'test-password'));
    expect((await ana('POST', '/api/customers', { name: 'Jane Session' })).statusCode).toBe(201);
    const rows = ctx.db
      .prepare("SELECT api_token_id FROM audit_log WHERE entity_type = 'customer' ORDER BY id")
      .all() as { api_token_id: number | null }[];
    expect(rows.map((r) => r.api_token_id)).toEqual([id, null]);
  });

  it('still refuses a cookie request without our Origin on a state change', async () => {
    const { token } = await createToken({ name: 'bot', role: 'agent' });
    const cookie = await login(ctx.app, 'ana', 'test-password');
    const withCookie = await ctx.app.inject({
      method: 'POST',
      url: '/api/customers',
      headers: { cookie, authorization: `Bearer ${token}` },
      payload: { name: 'Forged' },
    });
    expect(withCookie.statusCode).toBe(403);
    const crossSite = await ctx.app.inject({
      method: 'POST',
      url: '/api/customers',
      headers: { cookie, authorization: `Bearer ${token}`, origin: 'https://evil.example' },
      payload: { name: 'Forged' },
    });
    expect(crossSite.statusCode).toBe(403);
    expect(countOf('customers')).toBe(0);
  });

  it('refuses a revoked token at once, and an expired one, with 401', async () => {
    const { id, token } = await createToken({
      name: 'short',
      role: 'agent',
      expiresAt: new Date(ctx.clock.now().getTime() + 3_600_000).toISOString(),
    });
    const call = bearer(token);
    expect((await call('GET', '/api/customers?q=x')).statusCode).toBe(200);
    ctx.clock.advance(3_600_000);
    expect((await call('GET', '/api/customers?q=x')).statusCode).toBe(401);

    const other = await createToken({ name: 'long', role: 'agent' });
    expect((await bearer(other.token)('GET', '/api/customers?q=x')).statusCode).toBe(200);
    const revoke = await (await admin())('DELETE', `/api/api-tokens/${other.id}`);
    expect(revoke.statusCode).toBe(204);
    expect((await bearer(other.token)('GET', '/api/customers?q=x')).statusCode).toBe(401);
    expect((await bearer(other.token)('POST', '/api/customers', { name: 'Late' })).statusCode).toBe(401);
    expect(countOf('customers')).toBe(0);

    expect(auditRows('api_token.revoke')).toEqual([
      expect.objectContaining({ actor_agent_id: agentIdOf(ctx.db, 'boss'), entity_id: String(other.id) }),
    ]);
    expect(auditRows('api_token.rejected').map((row) => [row.entity_id, JSON.parse(row.details)])).toEqual([
      [String(id), { reason: 'expired' }],
      [String(other.id), { reason: 'revoked' }],
      [String(other.id), { reason: 'revoked' }],
    ]);
    const listed = (await (await admin())('GET', '/api/api-tokens')).json().items as {
      id: number;
      revokedAt: string | null;
    }[];
    expect(listed.find((t) => t.id === other.id)?.revokedAt).toBe(ctx.clock.now().toISOString());
    // Revoking twice changes nothing; an unknown id is 404.
    expect((await (await admin())('DELETE', `/api/api-tokens/${other.id}`)).statusCode).toBe(204);
    expect(auditRows('api_token.revoke')).toHaveLength(1);
    expect((await (await admin())('DELETE', '/api/api-tokens/999')).statusCode).toBe(404);
  });

  it('refuses unknown, tampered and malformed tokens with 401 and changes nothing', async () => {
    const { token } = await createToken({ name: 'bot', role: 'admin' });
    const tampered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    for (const authorization of [
      `Bearer ${tampered}`,
      'Bearer cti_0123456789ab_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      'Bearer nonsense',
      `Basic ${Buffer.from('boss:test-password').toString('base64')}`,
    ]) {
      const response = await ctx.app.inject({
        method: 'POST',
        url: '/api/queues',
        headers: { authorization },
        payload: { name: 'Sneaky' },
      });
      expect(response.statusCode, authorization).toBe(401);
    }
    expect(countOf('call_queues')).toBe(0);
    expect(auditRows('api_token.rejected').map((row) => JSON.parse(row.details).reason)).toEqual([
      'unknown',
      'unknown',
      'malformed',
      'malformed',
    ]);
  });

  it('throttles failed attempts per client like sign-in, without slowing valid tokens first', async () => {
    const { token } = await createToken({ name: 'bot', role: 'agent' });
    expect((await bearer(token)('GET', '/api/customers?q=x')).statusCode).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1)
      statuses.push((await bearer('wrong')('GET', '/api/customers?q=x')).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    const limited = await bearer('wrong')('GET', '/api/customers?q=x');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Over the limit, refusals are no longer audited: a flood cannot fill the audit log.
    expect(auditRows('api_token.rejected')).toHaveLength(5);
  });

  it('updates the last-used time at most once a minute', async () => {
    const { id, token } = await createToken({ name: 'bot', role: 'agent' });
    const lastUsed = () =>
      (
        ctx.db.prepare('SELECT last_used_at FROM api_tokens WHERE id = ?').get(id) as {
          last_used_at: string | null;
        }
      ).last_used_at;
    const start = ctx.clock.now().toISOString();
    await bearer(token)('GET', '/api/customers?q=x');
    expect(lastUsed()).toBe(start);
    ctx.clock.advance(30_000);
    await bearer(token)('GET', '/api/customers?q=x');
    expect(lastUsed()).toBe(start);
    ctx.clock.advance(31_000);
    await bearer(token)('GET', '/api/customers?q=x');
    expect(lastUsed()).toBe(ctx.clock.now().toISOString());
  });

  it('acts as its creator: stops working when the creator loses its role or is disabled', async () => {
    const supervisorToken = await createToken({ name: 'feed', role: 'supervisor' });
    const { token } = await createToken({ name: 'bot', role: 'admin' });
    createAgentsRepository(ctx.db).update(
      agentIdOf(ctx.db, 'boss'),
      { role: 'supervisor' },
      {},
      '2026-11-22T10:00:00.000Z',
    );
    expect((await bearer(token)('GET', '/api/agents')).statusCode).toBe(401);
    expect((await bearer(supervisorToken.token)('GET', '/api/agents')).statusCode).toBe(200);
    expect(auditRows('api_token.rejected').map((row) => JSON.parse(row.details).reason)).toEqual([
      'owner_inactive',
    ]);
    createAgentsRepository(ctx.db).update(
      agentIdOf(ctx.db, 'boss'),
      { role: 'admin' },
      {},
      '2026-11-22T10:00:00.000Z',
    );
    expect((await bearer(token)('GET', '/api/api-tokens')).statusCode).toBe(403);
    expect((await bearer(token)('GET', '/api/agents')).statusCode).toBe(200);
    setAgent(ctx.db, agentIdOf(ctx.db, 'boss'), { active: false });
    expect((await bearer(token)('GET', '/api/agents')).statusCode).toBe(401);
  });

  it('cannot sign out, manage tokens, or be managed by agents and supervisors', async () => {
    const { id, token } = await createToken({ name: 'bot', role: 'admin' });
    for (const [method, url] of [
      ['POST', '/api/auth/logout'],
      ['GET', '/api/api-tokens'],
      ['POST', '/api/api-tokens'],
      ['DELETE', `/api/api-tokens/${id}`],
    ] as const) {
      const response = await bearer(token)(
        method,
        url,
        method === 'POST' ? { name: 'more', role: 'admin' } : undefined,
      );
      expect(response.statusCode, `${method} ${url}`).toBe(403);
    }
    // A token is no credential on a public route: sign-in still needs our Origin.
    const loginWithToken = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { authorization: `Bearer ${token}` },
      payload: { username: 'ana', password: 'test-password' },
    });
    expect(loginWithToken.statusCode).toBe(403);

    for (const user of ['ana', 'sue']) {
      const session = as(ctx.app, await login(ctx.app, user, 'test-password'));
      expect((await session('GET', '/api/api-tokens')).statusCode).toBe(403);
      expect((await session('POST', '/api/api-tokens', { name: 'mine', role: 'agent' })).statusCode).toBe(
        403,
      );
      expect((await session('DELETE', `/api/api-tokens/${id}`)).statusCode).toBe(403);
    }
    expect(countOf('api_tokens')).toBe(1);
    expect((await bearer(token)('GET', '/api/agents')).statusCode).toBe(200);
  });

  it('refuses an expiry in the past and a blank name', async () => {
    const boss = await admin();
    const past = new Date(ctx.clock.now().getTime() - 1000).toISOString();
    expect(
      (await boss('POST', '/api/api-tokens', { name: 'old', role: 'agent', expiresAt: past })).statusCode,
    ).toBe(400);
    expect((await boss('POST', '/api/api-tokens', { name: '  ', role: 'agent' })).statusCode).toBe(400);
    expect((await boss('POST', '/api/api-tokens', { name: 'x', role: 'root' })).statusCode).toBe(400);
    expect(countOf('api_tokens')).toBe(0);
  });

  it('opens no socket: live updates take a session', async () => {
    const { token } = await createToken({ name: 'bot', role: 'admin' });
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    const socket = connect(`http://127.0.0.1:${(ctx.app.server.address() as { port: number }).port}`, {
      transports: ['websocket'],
      extraHeaders: { authorization: `Bearer ${token}`, origin: ORIGIN },
      reconnection: false,
    });
    const outcome = await new Promise<string>((resolve) => {
      socket.on('connect', () => resolve('connected'));
      socket.on('connect_error', (error) => resolve(error.message));
    });
    socket.close();
    expect(outcome).toMatch(/^Sign in first/);
  });

  it('is in the OpenAPI document, with the Bearer scheme', async () => {
    const spec = (await ctx.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/api/api-tokens', '/api/api-tokens/{id}']),
    );
    expect(spec.components.securitySchemes.apiToken).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('never writes a token or its hash to the logs', async () => {
    const { token } = await createToken({ name: 'bot', role: 'agent' });
    await bearer(token)('GET', '/api/customers?q=x');
    await bearer(`${token}x`)('GET', '/api/customers?q=x');
    ctx.app.log.error({ header: `Bearer ${token}` }, `client sent ${token}`);
    const hash = (ctx.db.prepare('SELECT secret_hash FROM api_tokens').get() as { secret_hash: string })
      .secret_hash;
    const logs = ctx.logs();
    const secret = token.slice('cti_0123456789ab_'.length);
    expect(logs).not.toContain(secret.slice(0, 20));
    expect(logs).not.toContain(hash);
    expect(logs).toContain('[redacted]');
  });
});
