import { describe, expect, it } from 'vitest';
import type { HandoffContext } from '../../../contracts/handoff.js';
import { encodeHandoffContext } from '../../handoff/index.js';
import { useSipEdge } from '../../testing/sip-edge.js';
import { requireSipPeers, sippCall } from '../../testing/sipp.js';
import { until } from '../../testing/harness.js';

const SECRET = 'handoff-sip-test-secret-0123456789abcdef';
// Any 127.x address is loopback on Linux: SIPp sending from this one plays the bot's trusted peer.
const TRUSTED = '127.0.0.2';
const CONTEXT: HandoffContext = { bot: 'Ava', intent: 'billing_dispute', summary: '重复扣款，要求退款。' };
requireSipPeers();

/** A bot's SIP peer hands its caller over through our real Kamailio (SIPp as the peer). */
describe('X-CTI-Context from SIP peers', () => {
  const sip = useSipEdge({ secret: SECRET, env: { SIP_TRUSTED_PEERS: TRUSTED } });

  const handOff = (from: string) =>
    sippCall({
      scenario: 'peerHandsOff',
      proxy: `127.0.0.1:${sip.edge.sipPort}`,
      to: '100',
      localAddress: from,
      context: encodeHandoffContext(CONTEXT),
    });
  const rows = () =>
    sip.edge.ctx.db
      .prepare(
        `SELECT i.handoff_context AS handoff, (SELECT group_concat(type) FROM interaction_events e
           WHERE e.interaction_id = i.id AND e.type LIKE 'bot_handoff%') AS events
         FROM interactions i ORDER BY i.id`,
      )
      .all() as { handoff: string | null; events: string | null }[];

  it('keeps the context of a trusted peer on the Interaction, and notes an untrusted one as ignored', async () => {
    const trusted = await handOff(TRUSTED);
    expect(trusted.code).toBe(0);
    expect(trusted.responses).toContain('SIP/2.0 182 Queued');
    await until(() => rows().length === 1, 'the Interaction');
    expect(JSON.parse(rows()[0]!.handoff!)).toEqual({ source: 'sip', context: CONTEXT });
    expect(rows()[0]!.events).toBe('bot_handoff');

    const stranger = await handOff('127.0.0.1');
    expect(stranger.code).toBe(0);
    await until(() => rows().length === 2, 'the second Interaction');
    expect(rows()[1]).toEqual({ handoff: null, events: 'bot_handoff_ignored' });
  });
});
