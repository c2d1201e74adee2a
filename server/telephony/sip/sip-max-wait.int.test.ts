import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeQueue } from '../../testing/factories.js';
import type { TestContext } from '../../testing/harness.js';
import { startSipEdge } from '../../testing/sip-edge.js';
import { requireSipPeers, sippCall } from '../../testing/sipp.js';

requireSipPeers();

/** Kamailio's own limit on a queued caller's wait: the safety net when our server never decides. */
describe('a SIP caller nobody takes within SIP_MAX_WAIT_SECONDS', () => {
  let edge: Awaited<ReturnType<typeof startSipEdge>>;
  let ctx: TestContext;
  let sipPort: number;

  beforeAll(async () => {
    edge = await startSipEdge({
      secret: 'max-wait-secret-0123456789abcdefghijkl',
      env: { SIP_MAX_WAIT_SECONDS: '10' },
      arrange: (db) => makeQueue(db, 'Support'),
    });
    ({ ctx, sipPort } = edge);
  }, 30_000);

  afterAll(() => edge?.close());

  it('is answered 408 by Kamailio, and the Interaction ends as abandoned', async () => {
    const sipp = await sippCall({ scenario: 'callerRefused', proxy: `127.0.0.1:${sipPort}`, to: '100' });
    expect(sipp.code).toBe(0);
    expect(sipp.responses).toEqual(['SIP/2.0 182 Queued', 'SIP/2.0 408 Request Timeout']);
    const row = () => ctx.db.prepare('SELECT state, outcome FROM interactions').get();
    for (let i = 0; i < 100 && (row() as { state: string }).state !== 'completed'; i += 1)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(row()).toEqual({ state: 'completed', outcome: 'abandoned' });
    expect((await ctx.app.acd.snapshot()).waiting).toEqual([]);
  }, 30_000);
});
