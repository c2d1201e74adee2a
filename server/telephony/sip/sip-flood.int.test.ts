import { describe, expect, it } from 'vitest';
import { until } from '../../testing/harness.js';
import { useSipEdge } from '../../testing/sip-edge.js';
import { requireSipPeers, sippCall } from '../../testing/sipp.js';

requireSipPeers();

/** A flood of INVITEs from one address is turned away by Kamailio before it reaches our server. */
describe('a SIP source past SIP_FLOOD_LIMIT', () => {
  const sip = useSipEdge({
    secret: 'flood-secret-0123456789abcdefghijklmnop',
    env: { SIP_FLOOD_LIMIT: '2' },
    once: true,
  });

  it('is answered 503, and only the calls let through become interactions', async () => {
    const callers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        sippCall({
          scenario: 'callerCancels',
          proxy: `127.0.0.1:${sip.edge.sipPort}`,
          to: '100',
          from: `+1415555${String(1000 + i)}`,
        }),
      ),
    );
    const turnedAway = callers.filter(
      (c) => c.responses[0] === 'SIP/2.0 503 Too Many Requests From This Address',
    );
    const queued = callers.filter((c) => c.responses[0] === 'SIP/2.0 182 Queued');
    expect(turnedAway.length).toBeGreaterThan(0);
    expect(queued.length).toBeGreaterThan(0);
    expect(turnedAway.length + queued.length).toBe(12);
    const interactions = () =>
      Number(sip.edge.ctx.db.prepare('SELECT count(*) FROM interactions').pluck().get());
    expect(interactions()).toBe(queued.length);
    // Every call let through ends (its caller gave up), none is left waiting.
    await until(
      async () => (await sip.edge.ctx.app.acd.snapshot()).waiting.length === 0,
      'no call left waiting',
    );
    expect(await sip.edge.ctx.app.acd.checkInvariants()).toEqual([]);
  }, 60_000);
});
