import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeAgent, makeQueue, setEveryQueue } from '../../testing/factories.js';
import { until, as, freePort, login } from '../../testing/harness.js';
import { startSipEdge } from '../../testing/sip-edge.js';
import { SessionState, SipPhone } from '../../testing/sip-phone.js';
import { requireSipPeers, sippCall, type SippResult } from '../../testing/sipp.js';
import type { KamailioControl } from './kamailio-control.js';
import { releaseRtpengineCall, rtpengineCommand } from './rtpengine-ng.js';
import { createSipReconciler } from './sip-reconcile.js';
import type { SipWaiting } from './sip-waiting.js';
import { startRtpengine, type RunningRtpengine } from './rtpengine-process.js';
import { connectDesk, type DeskSocket } from '../../testing/desk-socket.js';

requireSipPeers('rtpengine');

/**
 * The SDP half of the media bridge, with signalling-only peers (no root, no browser): a SIPp trunk
 * offers plain RTP/AVP, and the Agent's softphone is offered WebRTC by rtpengine; rtpengine lets go of
 * every call that ends, answered or refused. The media itself is proven in
 * console/softphone/softphone-media.e2e.test.ts.
 */
describe('SIP edge with rtpengine (Kamailio, rtpengine, SIPp, SIP.js)', () => {
  let rtpengine: RunningRtpengine;
  let edge: Awaited<ReturnType<typeof startSipEdge>>;
  let ng: { host: string; port: number };
  const phones: SipPhone[] = [];
  const desks: DeskSocket[] = [];
  /** Each test's Agent goes offline after it, or the next test's call would be offered to them. */
  const signOffs: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    ng = { host: '127.0.0.1', port: await freePort() };
    const rtpBase = 40_000 + 2 * Math.floor(Math.random() * 5000);
    // Kamailio's rtpengine module finds rtpengine at its start: rtpengine goes first.
    rtpengine = await startRtpengine({
      ngHost: ng.host,
      ngPort: ng.port,
      portMin: rtpBase,
      portMax: rtpBase + 99,
      mediaInterface: '127.0.0.1',
      deleteDelaySeconds: 0,
    });
    edge = await startSipEdge({
      secret: 'rtpengine-secret-0123456789abcdefghijkl',
      env: {
        SIP_DOMAIN: 'cti.test',
        SIP_RTPENGINE: `udp:${ng.host}:${ng.port}`,
        SIP_RTP_PORTS: `${rtpBase}-${rtpBase + 99}`,
      },
      arrange: async (db) => {
        for (const name of ['ana', 'ben']) {
          await makeAgent(db, { username: name, sipAddress: `sip:${name}@cti.test` });
        }
        makeQueue(db, 'Support', { acwPolicy: 'none' });
      },
    });
  }, 60_000);

  afterEach(async (test) => {
    if (test.task.result?.state === 'fail') {
      console.error(`Kamailio:\n${edge.kamailio.output().slice(-3000)}`);
      console.error(`rtpengine:\n${rtpengine.output().slice(-3000)}`);
    }
    for (const signOff of signOffs.splice(0)) await signOff();
    for (const desk of desks.splice(0)) desk.disconnect();
    await Promise.all(phones.splice(0).map((phone) => phone.stop()));
  });

  afterAll(async () => {
    await edge?.close();
    await rtpengine?.stop();
  });

  const rtpengineCalls = async () => (await rtpengineCommand(ng, 'list')).calls as string[];

  /** An Agent with a registered softphone who goes Available and accepts the next offer on the desk. */
  async function agentTakesNextCall(username: string, onInvite: 'answer' | 'reject'): Promise<SipPhone> {
    const { app } = edge.ctx;
    const cookie = await login(app, username, 'test-password');
    const credentials = await as(app, cookie)('GET', '/api/sip/credentials');
    const phone = new SipPhone({ ...credentials.json(), onInvite });
    phones.push(phone);
    expect(await phone.register()).toBe(200);
    const origin = edge.ctx.config.sip!.ctiUrl.origin;
    const { socket, states, command } = await connectDesk(origin, cookie);
    desks.push(socket);
    expect((await command('agent:set-status', { status: 'available' })).ok).toBe(true);
    signOffs.push(() => command('agent:set-status', { status: 'offline' }));
    void (async () => {
      await until(() => states.at(-1)?.offer != null, 'the offer');
      await command('offer:accept', { reservationId: states.at(-1)!.offer!.reservationId });
    })();
    return phone;
  }

  const trunkCall = (
    scenario: 'callerHangsUp' | 'callerRefused' | 'callerAnswersReinvite',
    pauseMs?: number,
  ): Promise<SippResult> => sippCall({ scenario, proxy: `127.0.0.1:${edge.sipPort}`, to: '100', pauseMs });

  it('offers the softphone WebRTC and the trunk plain RTP, and rtpengine lets go when the caller hangs up', async () => {
    const phone = await agentTakesNextCall('ana', 'answer');
    const call = trunkCall('callerHangsUp', 1500);
    await until(() => phone.calls.length > 0, 'the INVITE at the softphone');
    const offer = phone.calls[0]!.offer;
    expect(offer).toMatch(/^m=audio \d+ UDP\/TLS\/RTP\/SAVPF 0/m);
    expect(offer).toMatch(/^a=candidate:/m);
    expect(offer).toMatch(/^a=ice-ufrag:/m);
    expect(offer).toMatch(/^a=fingerprint:sha-256 /m);
    expect(offer).toMatch(/^a=rtcp-mux$/m);
    await until(async () => (await rtpengineCalls()).length === 1, 'the call at rtpengine');
    expect(await rtpengineCalls()).toEqual([phone.calls[0]!.callId]);

    const sipp = await call;
    expect(sipp.code, sipp.output).toBe(0);
    const answer = sipp.received.find(
      (message) => /^SIP\/2\.0 200/m.test(message) && /^m=audio/m.test(message),
    )!;
    expect(answer).toMatch(/^m=audio \d+ RTP\/AVP 0/m);
    expect(answer).not.toMatch(/^a=(ice-ufrag|candidate|fingerprint|rtcp-mux)/m);
    await until(async () => (await rtpengineCalls()).length === 0, 'rtpengine to let go');
  });

  it('lets go of a call that reconciliation ends, when no dialog:end told rtpengine', async () => {
    const phone = await agentTakesNextCall('ana', 'answer');
    const call = trunkCall('callerHangsUp', 4000);
    await until(() => phone.calls.length > 0, 'the INVITE at the softphone');
    const { callId } = phone.calls[0]!;
    await until(async () => (await rtpengineCalls()).includes(callId), 'the call at rtpengine');
    const interaction = () =>
      edge.ctx.db.prepare('SELECT id, state FROM interactions ORDER BY id DESC LIMIT 1').get() as {
        id: number;
        state: string;
      };
    await until(() => interaction().state === 'connected', 'the connected call');
    // Kamailio lists no dialog, as when a dialog ended without its dialog:end route (which deletes the
    // call from rtpengine) ever running.
    const control = { listDialogs: async () => [], dialogEnds: async () => new Map<string, Date>() };
    const reconcile = createSipReconciler({
      control: control as unknown as KamailioControl,
      waiting: { take: async () => null } as unknown as SipWaiting,
      calls: edge.ctx.app.calls,
      acd: edge.ctx.app.acd,
      log: edge.ctx.app.log,
      releaseMedia: releaseRtpengineCall({ ngHost: ng.host, ngPort: ng.port }),
    });
    expect(await reconcile()).toEqual([interaction().id]);
    expect(interaction().state).toBe('completed');
    expect(await rtpengineCalls()).not.toContain(callId);
    // The caller's own BYE later deletes a call rtpengine no longer has, which harms nothing.
    expect((await call).code).toBe(0);
    await expect(releaseRtpengineCall({ ngHost: ng.host, ngPort: ng.port })(callId)).resolves.toBeUndefined();
  });

  it("carries the softphone's re-INVITE (hold) to the trunk as plain RTP, and the trunk's answer back as WebRTC", async () => {
    const phone = await agentTakesNextCall('ana', 'answer');
    const call = trunkCall('callerAnswersReinvite');
    await until(() => phone.calls[0]?.acked === true, 'the caller’s ACK');
    expect(phone.calls[0]!.states).toContain(SessionState.Established);
    const answer = await new Promise<string>((resolve, reject) => {
      void phone.calls[0]!.invitation.invite({
        requestDelegate: {
          onAccept: (response) => resolve(response.message.body),
          onReject: (response) => reject(new Error(`re-INVITE refused: ${response.message.statusCode}`)),
        },
      });
    });
    // The trunk's plain answer, rewritten by rtpengine for the WebSocket side. (DTLS and rtcp-mux in an
    // answer follow the offer: a browser offers them, this signalling-only phone does not.)
    expect(answer).toMatch(/^m=audio \d+ UDP\/TLS\/RTP\/SAVPF 0/m);
    expect(answer).toMatch(/^a=ice-ufrag:/m);
    expect(answer).toMatch(/^a=candidate:/m);
    expect(answer).toMatch(/^a=recvonly$/m);
    await phone.hangUp();
    const sipp = await call;
    expect(sipp.code, sipp.output).toBe(0);
    // The softphone's offer (RTP/AVP at 127.0.0.1:40000, see NoMediaDescriptionHandler) reached the trunk
    // through rtpengine: its media port is one of rtpengine's.
    const reinvite = sipp.received.find((message) => /^INVITE /m.test(message))!;
    const port = Number(/^m=audio (\d+) RTP\/AVP 0/m.exec(reinvite)?.[1]);
    const { portMin, portMax } = edge.ctx.config.sip!.rtpengine!;
    expect(port).toBeGreaterThanOrEqual(portMin);
    expect(port).toBeLessThanOrEqual(portMax);
    expect(reinvite).not.toMatch(/^a=(ice-ufrag|candidate|fingerprint)/m);
    await until(async () => (await rtpengineCalls()).length === 0, 'rtpengine to let go');
  });

  it('lets go of the branch the softphone refuses, and of the call when the wait ends', async () => {
    setEveryQueue(edge.ctx.db, { maxWaitSeconds: 1, maxWaitAction: 'hangup' });
    const phone = await agentTakesNextCall('ben', 'reject');
    const call = trunkCall('callerRefused');
    await until(() => phone.calls.length > 0, 'the INVITE at the softphone');
    expect(phone.calls[0]!.offer).toMatch(/^m=audio \d+ UDP\/TLS\/RTP\/SAVPF 0/m);
    await until(async () => (await rtpengineCalls()).length === 0, 'rtpengine to let go');
    // The caller is not dropped with the softphone's 486: they wait on, until the queue's own rule.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    await edge.ctx.app.calls.tick();
    const sipp = await call;
    expect(sipp.code, sipp.output).toBe(0);
    expect(sipp.responses.at(-1)).toBe('SIP/2.0 480 Call Ended');
    expect(await rtpengineCalls()).toEqual([]);
  });
});
