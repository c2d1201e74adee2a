import { describe, expect, it } from 'vitest';
import { useSipEdge } from '../../testing/sip-edge.js';
import { requireSipPeers, sippCall } from '../../testing/sipp.js';

requireSipPeers();

/** Kamailio's own limit on a queued caller's wait: the safety net when our server never decides. */
describe('a SIP caller nobody takes within SIP_MAX_WAIT_SECONDS', () => {
  const sip = useSipEdge({
    secret: 'max-wait-secret-0123456789abcdefghijkl',
    env: { SIP_MAX_WAIT_SECONDS: '10' },
    once: true,
  });

  it('is answered 408 by Kamailio, and the Interaction ends as abandoned', async () => {
    const sipp = await sippCall({
      scenario: 'callerRefused',
      proxy: `127.0.0.1:${sip.edge.sipPort}`,
      to: '100',
    });
    expect(sipp.code).toBe(0);
    expect(sipp.responses).toEqual(['SIP/2.0 182 Queued', 'SIP/2.0 408 Request Timeout']);
    const row = () => sip.edge.ctx.db.prepare('SELECT state, outcome FROM interactions').get();
    for (let i = 0; i < 100 && (row() as { state: string }).state !== 'completed'; i += 1)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(row()).toEqual({ state: 'completed', outcome: 'abandoned' });
    expect((await sip.edge.ctx.app.acd.snapshot()).waiting).toEqual([]);
  }, 30_000);
});
