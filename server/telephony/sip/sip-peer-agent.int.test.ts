import { describe, expect, it } from 'vitest';

import { signInWithSip, useSipEdge } from '../../testing/sip-edge.js';
import { SipPhone } from '../../testing/sip-phone.js';
import { requireSipPeers, sippCall } from '../../testing/sipp.js';

const SECRET = 'peer-agent-test-secret-0123456789abcdef';
// Any 127.x address is loopback on Linux: SIPp sending from this one plays the trusted peer.
const TRUSTED = '127.0.0.2';
requireSipPeers();

/**
 * Twilio ringing an Agent's SIP address through our edge (real Kamailio, SIPp as Twilio, SIP.js as
 * the Agent's softphone): straight to the softphone from a trusted peer, refused from anyone else,
 * and our routing hook never asked either way.
 */
describe('INVITEs to Agents from a trusted peer such as Twilio', () => {
  const sip = useSipEdge({
    secret: SECRET,
    env: { SIP_TRUSTED_PEERS: `${TRUSTED}, 192.0.2.0/24` },
    agents: ['ben'],
  });

  async function benRegistered(): Promise<SipPhone> {
    const phone = new SipPhone((await signInWithSip(sip.edge.ctx.app, 'ben')).credentials);
    sip.defer(() => phone.stop());
    expect(await phone.register()).toBe(200);
    return phone;
  }

  const twilio = (options: { to: string; from?: string; interaction?: string }) =>
    sippCall({
      scenario: 'peerDialsAgent',
      proxy: `127.0.0.1:${sip.edge.sipPort}`,
      to: options.to,
      from: '+14155550123',
      localAddress: options.from ?? TRUSTED,
      interaction: options.interaction ?? '4242',
    });
  const interactionCount = () => sip.edge.ctx.db.prepare('SELECT COUNT(*) FROM interactions').pluck().get();

  it("rings the registered Agent's softphone with the Interaction id, without asking our server", async () => {
    const ben = await benRegistered();

    const result = await twilio({ to: 'ben' });

    expect(result.code).toBe(0);
    expect(result.responses).toContain('SIP/2.0 200 OK');
    expect(ben.calls).toHaveLength(1);
    expect(ben.calls[0]!.interactionId).toBe('4242');
    expect(ben.calls[0]!.invitation.request.getHeaders('X-CTI-Interaction')).toHaveLength(1);
    expect(ben.calls[0]!.invitation.request.from.uri.toString()).toMatch(
      /^sip:\+14155550123@cti-test\.pstn\.twilio\.com/,
    );
    // The leg belongs to an Interaction our server already has: none is created for it.
    expect(interactionCount()).toBe(0);
  });

  it('refuses the same INVITE from an untrusted source (403), an unregistered Agent (480) and a bad id (400)', async () => {
    const ben = await benRegistered();

    const untrusted = await twilio({ to: 'ben', from: '127.0.0.1' });
    expect(untrusted.responses.at(-1)).toBe('SIP/2.0 403 Forbidden');
    const unregistered = await twilio({ to: 'carl' });
    expect(unregistered.responses.at(-1)).toBe('SIP/2.0 480 Agent Not Registered');
    const bad = await twilio({ to: 'ben', interaction: '42;drop' });
    expect(bad.responses.at(-1)).toBe('SIP/2.0 400 Bad X-CTI-Interaction');

    expect(ben.calls).toHaveLength(0);
    expect(interactionCount()).toBe(0);
  });
});
