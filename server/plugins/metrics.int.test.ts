import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { makeAgent } from '../testing/factories.js';
import { connectDesk } from '../testing/desk-socket.js';
import { createTestContext, login, ORIGIN, type TestContext } from '../testing/harness.js';

/** The value of the sample of /metrics whose name and labels start with `series`, or null when absent. */
function sample(metrics: string, series: string): number | null {
  const line = metrics.split('\n').find((l) => l.startsWith(series));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : null;
}

describe('work counters (BENCH_COUNTERS)', () => {
  let ctx: TestContext | undefined;
  afterEach(async () => {
    await ctx?.close();
    ctx = undefined;
  });

  it('count the statements a request runs and the socket messages a desk command exchanges', async () => {
    ctx = await createTestContext({
      env: { BENCH_COUNTERS: '1' },
      arrange: (db) => makeAgent(db, { username: 'ana', password: 'test-password' }),
    });
    const { app } = ctx;
    const cookie = await login(app, 'ana', 'test-password');
    await app.listen({ port: 0, host: '127.0.0.1' });
    const desk = await connectDesk(
      `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
      cookie,
      ORIGIN,
    );
    expect((await desk.command('agent:set-status', { status: 'available' })).ok).toBe(true);
    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    desk.socket.disconnect();

    // Signing in reads the agent and writes a session. socket.io's connect is a message each way;
    // the command is one in, its answer and the new desk state (after the first) are out.
    expect(sample(metrics, 'cti_sqlite_statements_total')).toBeGreaterThanOrEqual(2);
    expect(sample(metrics, 'cti_socketio_messages_total{direction="in"}')).toBe(2);
    expect(sample(metrics, 'cti_socketio_messages_total{direction="out"}')).toBeGreaterThanOrEqual(4);
  });

  it('are absent by default, so that nothing wraps the statements', async () => {
    ctx = await createTestContext();
    const metrics = (await ctx.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(sample(metrics, 'cti_sqlite_statements_total')).toBeNull();
    expect(sample(metrics, 'cti_socketio_messages_total')).toBeNull();
  });
});
