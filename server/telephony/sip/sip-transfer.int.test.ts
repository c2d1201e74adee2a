import { describe, expect, it } from 'vitest';
import { createDeskClient, type DeskClient } from '../../../console/data/desk.data.js';
import {
  createSoftphone,
  type Softphone,
  type SoftphoneCredentials,
} from '../../../console/softphone/softphone.js';
import { connectDesk } from '../../testing/desk-socket.js';

import { until, login } from '../../testing/harness.js';
import { SipCaller } from '../../testing/sip-caller.js';
import { signInWithSip, SIP_TEST_DOMAIN, useSipEdge } from '../../testing/sip-edge.js';
import { NoMediaDescriptionHandler, SessionState } from '../../testing/sip-phone.js';
import { requireSipPeers } from '../../testing/sipp.js';
import { createKamailioControl } from './kamailio-control.js';
import { createSipReconciler } from './sip-reconcile.js';
import { createSipWaiting } from './sip-waiting.js';

const SECRET = 'transfer-test-secret-0123456789abcdefgh';
const TRUNK = 'trunk.example.net:5080';
requireSipPeers();

/**
 * Blind transfer of a SIP call by REFER, end to end: the console's own softphone and desk client in
 * Node, a SIP.js caller that follows (or refuses) REFER, real Kamailio and our server.
 */
describe('SIP blind transfer by REFER (real Kamailio, SIP.js)', () => {
  const sip = useSipEdge({
    secret: SECRET,
    env: { SIP_TRANSFER_TRUNK: TRUNK },
    agents: ['ana', 'ben'],
    support: { acwPolicy: 'none' },
  });

  /** An Agent at the console: desk client and softphone, the console's own code, wired as cti-softphone does. */
  async function agent(username: string): Promise<{ id: number; desk: DeskClient; phone: Softphone }> {
    const { app } = sip.edge.ctx;
    const { cookie, credentials } = await signInWithSip<SoftphoneCredentials>(app, username);
    const phone = createSoftphone({
      sessionDescriptionHandlerFactory: () => new NoMediaDescriptionHandler(),
    });
    sip.defer(() => phone.stop());
    expect(await phone.start(async () => credentials)).toBe('registered');
    const origin = sip.edge.ctx.config.sip!.ctiUrl.origin;
    const desk = createDeskClient({
      url: origin,
      socketOptions: { transports: ['websocket'], extraHeaders: { cookie, origin }, reconnection: false },
      // A transfer the caller never takes up is answered after the softphone's and the INVITE's
      // waits (up to 8 s): on a loaded machine that nears the desk's default 10 s.
      ackTimeoutMs: 20_000,
    });
    sip.defer(() => desk.disconnect());
    desk.answerSoftphone({
      hold: (request) => phone.answerHoldRequest(request),
      mute: (request) => phone.answerMuteRequest(request),
      refer: ({ callId, referTo }) => phone.refer(callId, referTo),
    });
    desk.connect();
    await until(() => desk.snapshot.state !== null, `${username}'s desk`);
    await desk.setStatus('available');
    const id = Number(app.db.prepare('SELECT id FROM agents WHERE username = ?').pluck().get(username));
    return { id, desk, phone };
  }

  async function caller(onRefer: 'follow' | 'refuse' | 'accept'): Promise<SipCaller> {
    const one = new SipCaller({
      wsUrl: sip.edge.ctx.config.sip!.wsUrl,
      uri: `sip:alice@${SIP_TEST_DOMAIN}`,
      onRefer,
    });
    sip.defer(() => one.stop());
    await one.start();
    return one;
  }

  /** The caller reaches `who`, who accepts on the desk; their softphone answers. Returns the Interaction. */
  async function connected(who: { desk: DeskClient; phone: Softphone }): Promise<number> {
    await until(() => who.desk.snapshot.state?.offer != null, 'the offer');
    const offer = who.desk.snapshot.state!.offer!;
    await who.desk.acceptOffer(offer.reservationId);
    await until(() => who.phone.snapshot.call?.state === 'active', 'the softphone answering');
    await until(() => row(offer.interactionId).answered_at !== null, 'the answered event');
    return offer.interactionId;
  }

  /** SIP.js drops a REFER that overtakes its own ACK: wait until the caller's side is in the call. */
  const established = (one: SipCaller) =>
    until(
      () => one.calls.at(-1)?.session.state === SessionState.Established,
      "the caller's side in the call",
    );

  const row = (id: number) =>
    sip.edge.ctx.db.prepare('SELECT * FROM interactions WHERE id = ?').get(id) as Record<string, unknown>;
  const all = () =>
    sip.edge.ctx.db.prepare('SELECT * FROM interactions ORDER BY id').all() as Record<string, unknown>[];
  const control = () =>
    createKamailioControl({
      controlUrl: new URL(`http://127.0.0.1:${sip.edge.ctx.config.sip!.controlPort}`),
      sharedSecret: SECRET,
    });

  it('moves the caller to another agent: a linked Interaction each, the caller keeps their place, invariants hold', async () => {
    const ana = await agent('ana');
    // Another console of Ana's whose socket never answers the softphone's requests (a laptop gone
    // to sleep): the one with the call still transfers it.
    const asleep = await connectDesk(
      sip.edge.ctx.config.sip!.ctiUrl.origin,
      await login(sip.edge.ctx.app, 'ana', 'test-password'),
    );
    sip.defer(() => void asleep.socket.disconnect());
    const alice = await caller('follow');
    const first = await alice.call(`sip:100@${SIP_TEST_DOMAIN}`);
    const parentId = await connected(ana);
    await established(alice);
    const ben = await agent('ben');

    await ana.desk.transfer(parentId, { kind: 'agent', agentId: ben.id });

    // The caller's side followed the REFER to a URI naming the new Interaction, and left the old dialog.
    expect(alice.referrals).toHaveLength(1);
    expect(alice.referrals[0]).toMatch(/^sip:transfer-\d+-\d+-[0-9a-f]{20}@127\.0\.0\.1:\d+$/);
    const childId = Number(/transfer-(\d+)-/.exec(alice.referrals[0]!)![1]);
    expect(row(childId)).toMatchObject({ parent_interaction_id: parentId, origin: 'transfer' });
    await until(() => ana.phone.snapshot.call?.state === 'ended', "ana's softphone hung up");
    await until(() => ana.desk.snapshot.state?.call === null, "ana's desk free");

    // Ben is offered the caller's new Interaction; his softphone gets its id in X-CTI-Interaction.
    const benCall = await connected(ben);
    expect(benCall).toBe(childId);
    expect(ben.phone.snapshot.call).toMatchObject({ interactionId: childId, state: 'active' });
    const second = alice.calls.at(-1)!;
    expect(second.callId).not.toBe(first.callId);
    expect(row(childId).provider_call_id).toBe(second.callId);
    // The old dialog ending did not end the caller's new Interaction.
    expect(row(childId).ended_at).toBeNull();
    expect(await sip.edge.ctx.app.acd.getCall(childId)).toMatchObject({
      state: 'connected',
      agentId: ben.id,
    });

    await alice.hangUp();
    await until(() => row(childId).state === 'completed', 'the new Interaction completed');
    expect(row(parentId)).toMatchObject({
      state: 'completed',
      outcome: 'transferred',
      agent_id: ana.id,
      provider_call_id: first.callId,
    });
    expect(row(childId)).toMatchObject({
      state: 'completed',
      outcome: 'answered',
      agent_id: ben.id,
      parent_interaction_id: parentId,
    });
    // The named agent took the call in the CallQueue the caller waited in.
    expect(row(childId).queue_id).toBe(row(parentId).queue_id);
    expect(all()).toHaveLength(2);
    expect(await sip.edge.ctx.app.acd.checkInvariants()).toEqual([]);
    await until(async () => (await control().listDialogs()).length === 0, 'no dialog left in Kamailio');
  });

  it('fails cleanly when the caller refuses REFER: the call stays with the agent and the desk says why', async () => {
    const ana = await agent('ana');
    const alice = await caller('refuse');
    await alice.call(`sip:100@${SIP_TEST_DOMAIN}`);
    const parentId = await connected(ana);
    await established(alice);
    const ben = await agent('ben');

    await expect(ana.desk.transfer(parentId, { kind: 'agent', agentId: ben.id })).rejects.toMatchObject({
      reason: 'refused',
      message: expect.stringMatching(/transfer was refused: 603/),
    });

    expect(alice.referrals).toHaveLength(1);
    expect(await sip.edge.ctx.app.acd.getCall(parentId)).toMatchObject({
      state: 'connected',
      agentId: ana.id,
    });
    expect(ana.phone.snapshot.call?.state).toBe('active');
    expect(ana.desk.snapshot.state?.call?.interactionId).toBe(parentId);
    // The new Interaction the transfer began is closed, not left waiting; Ben was never offered it.
    const child = all().find((one) => one.parent_interaction_id === parentId)!;
    expect(child).toMatchObject({ state: 'completed', outcome: 'failed', agent_id: null });
    expect(ben.desk.snapshot.state?.offer).toBeNull();
    expect(await control().listDialogs()).toHaveLength(1);

    await alice.hangUp();
    await until(() => row(parentId).state === 'completed', 'the call completed');
    expect(row(parentId)).toMatchObject({ outcome: 'answered', agent_id: ana.id });
    expect(await sip.edge.ctx.app.acd.checkInvariants()).toEqual([]);
  });

  it('transfers to an outside number by referring the caller to it at the trunk', async () => {
    const ana = await agent('ana');
    const alice = await caller('accept');
    await alice.call(`sip:100@${SIP_TEST_DOMAIN}`);
    const parentId = await connected(ana);
    await established(alice);

    await ana.desk.transfer(parentId, { kind: 'number', number: '+1 (415) 555-0199' });

    expect(alice.referrals).toEqual([`sip:+14155550199@${TRUNK}`]);
    await until(() => ana.desk.snapshot.state?.call === null, "ana's desk free");
    expect(row(parentId)).toMatchObject({ state: 'completed', outcome: 'transferred', agent_id: ana.id });
    // Nothing of ours stays on the call: the old dialog's end changes nothing.
    await alice.hangUp();
    await until(() => ana.phone.snapshot.call?.state === 'ended', "ana's softphone hung up");
    await until(async () => (await control().listDialogs()).length === 0, 'no dialog left in Kamailio');
    expect(row(parentId)).toMatchObject({ state: 'completed', outcome: 'transferred' });
    expect(all()).toHaveLength(1);
    expect(await sip.edge.ctx.app.acd.checkInvariants()).toEqual([]);
  });

  it('fails cleanly when the caller accepts REFER but never calls in, and refuses their late INVITE', async () => {
    const ana = await agent('ana');
    const alice = await caller('accept');
    await alice.call(`sip:100@${SIP_TEST_DOMAIN}`);
    const parentId = await connected(ana);
    await established(alice);
    const queueId = Number(row(parentId).queue_id);

    await expect(ana.desk.transfer(parentId, { kind: 'queue', queueId })).rejects.toMatchObject({
      reason: 'refused',
      message: expect.stringMatching(/never called in/),
    });
    expect(await sip.edge.ctx.app.acd.getCall(parentId)).toMatchObject({
      state: 'connected',
      agentId: ana.id,
    });
    const child = all().find((one) => one.parent_interaction_id === parentId)!;
    expect(child).toMatchObject({ state: 'completed', outcome: 'failed', provider_call_id: null });

    // The Refer-To is still within its lifetime, but the transfer it named is over.
    const late = await alice.call(alice.referrals[0]!);
    await until(() => late.finalCode !== null, 'the late INVITE answered');
    expect(late.finalCode).toBe(404);
    expect(all()).toHaveLength(2);

    await ana.desk.hangUp(parentId);
    await until(() => row(parentId).state === 'completed', 'the call completed');
    expect(await sip.edge.ctx.app.acd.checkInvariants()).toEqual([]);
  });

  it('reconciliation leaves alone a call whose caller a transfer moved to a new dialog', async () => {
    const { app } = sip.edge.ctx;
    const routed = await app.inject({
      method: 'POST',
      url: '/sip/route',
      headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        callId: 'old@peer',
        from: 'alice',
        to: '100',
        tindex: '1',
        tlabel: '2',
      }).toString(),
    });
    const parentId = Number(routed.json().interactionId);
    const reconcile = createSipReconciler({
      control: control(),
      waiting: createSipWaiting({
        redis: app.redis,
        prefix: `${sip.edge.ctx.config.redisPrefix}reconcile:`,
        ttlSeconds: 60,
      }),
      calls: app.calls,
      acd: app.acd,
      log: app.log,
      graceSeconds: 0,
    });
    // Kamailio has no dialog "old@peer": as after the transfer ended it, before the handover is recorded.
    sip.edge.ctx.db
      .prepare(
        `INSERT INTO interactions (direction, provider, provider_call_id, arrived_at, parent_interaction_id, origin)
         VALUES ('inbound', 'sip', 'new@peer', ?, ?, 'transfer')`,
      )
      .run(new Date().toISOString(), parentId);
    expect(await reconcile()).toEqual([]);
    expect(row(parentId).ended_at).toBeNull();

    // Without the move, the same missing dialog means the caller left while we were not listening.
    sip.edge.ctx.db
      .prepare("UPDATE interactions SET provider_call_id = NULL WHERE provider_call_id = 'new@peer'")
      .run();
    expect(await reconcile()).toEqual([parentId]);
    expect(row(parentId)).toMatchObject({ outcome: 'abandoned' });
  });
});
