import { describe, expect, it } from 'vitest';
import { useTestContext } from './testing/harness.js';

describe('health, metrics, docs', () => {
  const ctx = useTestContext();

  it('reports the database and Redis as reachable', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ok', database: { ok: true }, redis: { ok: true } });
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reports 503 when Redis is gone', async () => {
    ctx.app.redis.disconnect();
    const response = await ctx.app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({
      status: 'degraded',
      database: { ok: true },
      redis: { ok: false },
    });
  });

  it('exposes Prometheus metrics with request durations by route pattern', async () => {
    await ctx.app.inject({ method: 'GET', url: '/api/customers/123' });
    const response = await ctx.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('cti_process_cpu_user_seconds_total');
    expect(response.body).toMatch(
      /cti_http_request_duration_seconds_count\{method="GET",route="\/api\/customers\/:id",status_code="401"\} 1/,
    );
  });

  it('serves the OpenAPI document with every API route and the UI', async () => {
    const spec = (await ctx.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(spec.openapi).toMatch(/^3\./);
    for (const path of [
      '/api/auth/login',
      '/api/customers',
      '/api/customers/{id}',
      '/api/interactions',
      '/api/interactions/{id}',
      '/api/agents',
      '/api/queues',
      '/api/wrap-up-codes',
      '/health',
    ]) {
      expect(spec.paths, path).toHaveProperty([path]);
    }
    expect((await ctx.app.inject({ method: 'GET', url: '/docs' })).statusCode).toBeLessThan(400);
  });

  it('answers unknown API paths with a JSON 404 and passes the caller request id through', async () => {
    const response = await ctx.app.inject({
      method: 'GET',
      url: '/api/nope',
      headers: { 'x-request-id': 'abc-123' },
    });
    expect(response.statusCode).toBe(404);
    expect(response.json().message).toBe('No route GET /api/nope');
    expect(response.headers['x-request-id']).toBe('abc-123');
  });
});

describe('console hosting', () => {
  const ctx = useTestContext();

  it("serves the console's index for its own routes and 404 for missing files", async () => {
    const page = await ctx.app.inject({ method: 'GET', url: '/customers/42' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('<cti-app>');
    expect((await ctx.app.inject({ method: 'GET', url: '/assets/missing-1234.js' })).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'POST', url: '/customers' })).statusCode).toBe(404);
  });
});
