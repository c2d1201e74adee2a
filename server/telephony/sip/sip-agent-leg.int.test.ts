import { describe, expect, it } from 'vitest';
import { connectDesk } from '../../testing/desk-socket.js';

import { until } from '../../testing/harness.js';
import { signInWithSip, useSipEdge } from '../../testing/sip-edge.js';
import { SessionState, SipPhone } from '../../testing/sip-phone.js';
import { requireSipPeers, sippCall } from '../../testing/sipp.js';

const SECRET = 'agent-leg-test-secret-0123456789abcdef';
requireSipPeers();

/**
 * An Agent's softphone that refuses or never answers the call they accepted on the desk (real
 * Kamailio, SIPp as the caller, SIP.js as the softphones): the caller is not dropped but goes back to
 * their place in the queue, still ringing, and the Agent goes on a missed-call break.
 */
describe("SIP: the agent's softphone fails after the desk accepted", () => {
  const sip = useSipEdge({ secret: SECRET, agents: ['ana', 'ben'], support: { acwPolicy: 'none' } });

  async function agent(username: string, onInvite: 'answer' | 'ring') {
    const { app } = sip.edge.ctx;
    const { cookie, credentials } = await signInWithSip(app, username);
    const phone = new SipPhone({ ...credentials, onInvite });
    sip.defer(() => phone.stop());
    expect(await phone.register()).toBe(200);
    const address = app.server.address() as { port: number };
    const desk = await connectDesk(`http://127.0.0.1:${address.port}`, cookie);
    sip.defer(() => desk.socket.disconnect());
    return {
      phone,
      ...desk,
      goAvailable: async () =>
        expect((await desk.command('agent:set-status', { status: 'available' })).ok).toBe(true),
      acceptOffer: async () => {
        await until(() => desk.last().offer !== null, 'the offer');
        const offer = desk.last().offer!;
        expect((await desk.command('offer:accept', { reservationId: offer.reservationId })).ok).toBe(true);
        return offer.interactionId;
      },
    };
  }

  const interaction = (id: number) =>
    sip.edge.ctx.db
      .prepare('SELECT state, outcome, agent_id, answered_at FROM interactions WHERE id = ?')
      .get(id) as {
      state: string;
      outcome: string | null;
      agent_id: number | null;
      answered_at: string | null;
    };
  const events = (id: number) =>
    sip.edge.ctx.db
      .prepare('SELECT type, data FROM interaction_events WHERE interaction_id = ? ORDER BY id')
      .all(id) as { type: string; data: string }[];

  it.each([486, 408])(
    'a softphone that answers %i puts the caller back at their place, still ringing, for the next agent',
    async (code) => {
      const ana = await agent('ana', 'ring');
      const ben = await agent('ben', 'answer');
      await ana.goAvailable();
      const call = sippCall({
        scenario: 'callerWaitsForBye',
        proxy: `127.0.0.1:${sip.edge.sipPort}`,
        to: '100',
      });
      const id = await ana.acceptOffer();
      await until(() => ana.phone.calls.length === 1, "ana's softphone rings");
      const enqueuedAtMs = (await sip.edge.ctx.app.acd.getCall(id))!.enqueuedAtMs;

      await ana.phone.calls[0]!.invitation.reject({ statusCode: code });

      await until(() => ana.last().status === 'break', 'the missed-call break');
      expect(ana.last().reason).toBe('rona');
      await until(
        async () => (await sip.edge.ctx.app.acd.getCall(id))?.state === 'queued',
        'back in the queue',
      );
      expect(await sip.edge.ctx.app.acd.getCall(id)).toMatchObject({ enqueuedAtMs, agentId: null });
      expect(interaction(id)).toMatchObject({ state: 'queued', outcome: null, agent_id: null });
      const failed = events(id).find((event) => event.type === 'agent_leg_failed');
      expect(JSON.parse(failed!.data)).toMatchObject({ status: String(code) });

      // The same INVITE, held again, rings the next agent, who talks to the caller.
      await ben.goAvailable();
      expect(await ben.acceptOffer()).toBe(id);
      await until(() => interaction(id)?.answered_at != null, 'answered by ben');
      expect(ben.phone.calls[0]!.invitation.request.getHeaders('X-CTI-Interaction')).toEqual([String(id)]);
      await ben.command('call:hangup', { interactionId: id });
      const sipp = await call;
      expect(sipp.code).toBe(0);
      expect(sipp.responses).not.toContain(`SIP/2.0 ${code}`);
      expect(sipp.requests).toEqual(['BYE']);
      await until(() => ben.phone.calls[0]!.states.includes(SessionState.Terminated), 'ben hung up');
      // Kamailio reports the dialog's end; on two busy shared cores that can take longer than 10 s.
      await until(() => interaction(id)?.state === 'completed', 'the completed interaction', 20_000);
      expect(interaction(id)).toMatchObject({ outcome: 'answered', agent_id: 2 });
      expect(await sip.edge.ctx.app.acd.checkInvariants()).toEqual([]);
    },
  );

  it("tells a caller's CANCEL while the agent's softphone rings from the softphone's refusal: an abandon, the agent free", async () => {
    const ana = await agent('ana', 'ring');
    await ana.goAvailable();
    const call = sippCall({
      scenario: 'callerCancelsRinging',
      proxy: `127.0.0.1:${sip.edge.sipPort}`,
      to: '100',
      pauseMs: 300,
    });
    const id = await ana.acceptOffer();
    await until(() => ana.phone.calls.length === 1, "ana's softphone rings");
    const sipp = await call;
    expect(sipp.code).toBe(0);
    await until(() => interaction(id)?.state === 'completed', 'the ended interaction');
    expect(interaction(id)).toMatchObject({ outcome: 'abandoned', answered_at: null });
    expect(events(id).map((event) => event.type)).not.toContain('agent_leg_failed');
    await until(() => ana.last().status === 'available', 'ana free again');
    // Kamailio's failure event says why: the caller's CANCEL (487), not a code 0.
    expect(sip.edge.ctx.logs()).toMatch(/"code":"487"[^\n]*SIP call failed before it was answered/);
  });

  it('takes a call whose From user and Call-ID are long but legal, instead of a 503 that sends the trunk elsewhere', async () => {
    const ana = await agent('ana', 'answer');
    await ana.goAvailable();
    const call = sippCall({
      scenario: 'callerWaitsForBye',
      proxy: `127.0.0.1:${sip.edge.sipPort}`,
      to: '100',
      from: `+1415555${'0'.repeat(300)}`,
      callIdPrefix: 'c'.repeat(400),
    });
    const id = await ana.acceptOffer();
    await until(() => interaction(id)?.answered_at != null, 'answered');
    await ana.command('call:hangup', { interactionId: id });
    const sipp = await call;
    expect(sipp.code).toBe(0);
    expect(sipp.responses).not.toContain('SIP/2.0 503 CTI Unavailable');
    // Kamailio reports the dialog's end; on two busy shared cores that can take longer than 10 s.
    await until(() => interaction(id)?.state === 'completed', 'the completed interaction', 20_000);
    expect(interaction(id)).toMatchObject({ outcome: 'answered' });
  });
});
