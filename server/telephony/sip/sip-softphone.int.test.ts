import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  createSoftphone,
  newSoftphoneIdentity,
  type SoftphoneCredentials,
} from '../../../console/softphone/softphone.js';

import { until, as, login } from '../../testing/harness.js';
import { useSipEdge } from '../../testing/sip-edge.js';
import { NoMediaDescriptionHandler } from '../../testing/sip-phone.js';
import { latestInteractionRow } from '../../testing/rows.js';
import { invitesAcked, requireSipPeers, sippCall } from '../../testing/sipp.js';
import {
  SIP_HOOK_PATHS,
  SIP_HOOK_PREFIX,
  renderKamailioConfig,
  sipAuthorization,
} from './kamailio-config.js';
import { KamailioControlError, createKamailioControl } from './kamailio-control.js';
import { startKamailio } from './kamailio-process.js';
import { connectDesk } from '../../testing/desk-socket.js';

const SECRET = 'softphone-secret-0123456789abcdefghijkl';
requireSipPeers();

/** The console's own softphone (console/softphone/softphone.ts) in Node, through real Kamailio. */
describe('the console softphone: hold, DTMF, credentials, reconnection', () => {
  const sip = useSipEdge({ secret: SECRET, agents: ['ana'], support: { acwPolicy: 'none' } });

  const db = { prepare: (sql: string) => sip.edge.ctx.db.prepare(sql) };
  const control = () =>
    createKamailioControl({
      controlUrl: new URL(`http://127.0.0.1:${sip.edge.ctx.config.sip!.controlPort}`),
      sharedSecret: SECRET,
    });
  /** The contacts Kamailio's registrar holds for Ana. */
  const bindings = async () => {
    try {
      const found = await control().rpc<{ AoR: string; Contacts: unknown[] }>('ul.lookup', [
        'location',
        'ana',
      ]);
      return found.Contacts.length;
    } catch (error) {
      if (error instanceof KamailioControlError && error.kind === 'not_found') return 0;
      throw error;
    }
  };
  const interaction = () => latestInteractionRow(sip.edge.ctx.db)!;
  const timeline = (id: unknown) =>
    db.prepare('SELECT type, at FROM interaction_events WHERE interaction_id = ? ORDER BY id').all(id) as {
      type: string;
      at: string;
    }[];

  /** Ana signed in: her desk (socket.io, answering the server's hold requests as the console does) and her softphone. */
  async function ana(options: { identity?: ReturnType<typeof newSoftphoneIdentity> } = {}) {
    const cookie = await login(sip.edge.ctx.app, 'ana', 'test-password');
    const issue = async (): Promise<SoftphoneCredentials> => {
      const response = await as(sip.edge.ctx.app, cookie)('GET', '/api/sip/credentials');
      expect(response.statusCode).toBe(200);
      return response.json();
    };
    const softphone = createSoftphone({
      sessionDescriptionHandlerFactory: () => new NoMediaDescriptionHandler(),
      reconnectDelaysMs: [200],
      ...(options.identity && { identity: options.identity }),
    });
    sip.defer(() => softphone.stop());
    const origin = `http://127.0.0.1:${(sip.edge.ctx.app.server.address() as AddressInfo).port}`;
    const { socket, last, command } = await connectDesk(origin, cookie);
    sip.defer(() => socket.disconnect());
    socket.on('softphone:hold', (request, ack) => void softphone.answerHoldRequest(request).then(ack));
    socket.on('softphone:mute', (request, ack) => void softphone.answerMuteRequest(request).then(ack));
    return {
      softphone,
      issue,
      socket,
      last,
      command,
      /** Goes available, lets a SIPp caller in and accepts the offer; resolves when the softphone is in the call. */
      async takeCall(scenario: 'callerHeld' | 'callerHeldAgentHangsUp' | 'callerWaitsForBye') {
        expect((await command('agent:set-status', { status: 'available' })).ok).toBe(true);
        const call = sippCall({ scenario, proxy: `127.0.0.1:${sip.edge.sipPort}`, to: '100' });
        await until(() => last().offer !== null, 'the offer');
        const offer = last().offer!;
        expect((await command('offer:accept', { reservationId: offer.reservationId })).ok).toBe(true);
        await until(() => softphone.snapshot.call?.state === 'active', 'the softphone in the call');
        await until(() => last().call?.answeredAt != null, 'answered on the desk');
        return { call, interactionId: offer.interactionId };
      },
    };
  }

  it('holds from the desk and from its own button: re-INVITEs, recorded as hold segments; DTMF reaches the caller', async () => {
    const agent = await ana();
    expect(await agent.softphone.start(agent.issue)).toBe('registered');
    const { call, interactionId } = await agent.takeCall('callerHeld');

    // The desk's Hold button: the server asks the softphone, which re-INVITEs with a=sendonly.
    expect(await agent.command('call:hold', { interactionId })).toEqual({ ok: true });
    expect(agent.softphone.snapshot.call?.onHold).toBe(true);
    await until(() => agent.last().call?.onHold === true, 'the desk showing the hold');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await agent.command('call:resume', { interactionId })).toEqual({ ok: true });
    await until(() => agent.last().call?.onHold === false, 'the desk showing the resume');

    // The softphone's own button: only Kamailio's event tells our server.
    await agent.softphone.setHold(true);
    await until(() => agent.last().call?.onHold === true, 'the hold made on the softphone');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await agent.softphone.setHold(false);
    await until(() => agent.last().call?.onHold === false, 'the resume made on the softphone');

    // The desk's Mute button: the softphone turns its microphone off, nothing is signalled.
    expect(await agent.command('call:mute', { interactionId, muted: true })).toEqual({ ok: true });
    expect(agent.softphone.snapshot.call?.muted).toBe(true);
    expect(agent.last().call?.muted).toBe(true);
    expect(await agent.command('call:mute', { interactionId, muted: false })).toEqual({ ok: true });
    expect(agent.softphone.snapshot.call?.muted).toBe(false);

    // No media here, so the digit goes as SIP INFO; the caller's scenario fails unless it reads Signal=5.
    expect(await agent.softphone.sendDtmf('5')).toBe('sip-info');
    await expect(agent.softphone.sendDtmf('x')).rejects.toThrow(/not a DTMF digit/);

    const sipp = await call;
    expect(sipp.code, sipp.output).toBe(0);
    // The call's INVITE, then a re-INVITE for each hold and resume.
    expect(sipp.requests).toEqual([...invitesAcked(4), 'INFO']);
    await until(() => interaction().state === 'completed', 'the completed interaction');

    const row = interaction();
    expect(row.outcome).toBe('answered');
    const events = timeline(interactionId);
    const holds = events.filter((event) => event.type === 'held' || event.type === 'resumed');
    expect(holds.map((event) => event.type)).toEqual(['held', 'resumed', 'held', 'resumed']);
    expect(events.map((event) => event.type)).toEqual(
      expect.arrayContaining(['agent_muted', 'agent_unmuted']),
    );
    const at = holds.map((event) => Date.parse(event.at));
    expect(at).toEqual([...at].sort((a, b) => a - b));
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(300);
    expect(at[3]! - at[2]!).toBeGreaterThanOrEqual(300);
    // Both segments, in whole seconds as the record keeps them.
    const heldMs = at[1]! - at[0]! + (at[3]! - at[2]!);
    expect(Math.abs((row.held_seconds as number) - heldMs / 1000)).toBeLessThan(1);
    expect(Date.parse(row.answered_at as string)).toBeLessThanOrEqual(at[0]!);
  }, 60_000);

  it('refuses to hold a call the softphone does not have, and the record stays as it was', async () => {
    const agent = await ana();
    expect(await agent.softphone.start(agent.issue)).toBe('registered');
    const { call, interactionId } = await agent.takeCall('callerWaitsForBye');
    expect(
      await agent.softphone.answerHoldRequest({ interactionId: interactionId + 1, onHold: true }),
    ).toMatchObject({
      ok: false,
      error: 'This softphone does not have the call',
    });
    // A console that says no: the desk's hold fails and nothing is recorded.
    agent.socket.off('softphone:hold');
    agent.socket.on('softphone:hold', (_request, ack) => ack({ ok: false, error: 'not here' }));
    const refused = await agent.command('call:hold', { interactionId });
    expect(refused.ok).toBe(false);
    expect(refused.error).toMatch(/not here/);
    expect(timeline(interactionId).map((event) => event.type)).not.toContain('held');
    expect(agent.last().call?.onHold).toBe(false);
    await agent.softphone.hangUp();
    await call;
    await until(() => interaction().state === 'completed', 'the completed interaction');
  }, 60_000);

  it("Kamailio's hold event for an unknown dialog is a 404 and one without the secret a 401", async () => {
    const url = `${SIP_HOOK_PREFIX}${SIP_HOOK_PATHS.events}`;
    const unknown = await sip.edge.ctx.app.inject({
      method: 'POST',
      url,
      headers: {
        authorization: sipAuthorization(SECRET),
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: 'event=held&callId=nobody%40nowhere',
    });
    expect(unknown.statusCode).toBe(404);
    const unsigned = await sip.edge.ctx.app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'event=held&callId=nobody%40nowhere',
    });
    expect(unsigned.statusCode).toBe(401);
    const bad = await sip.edge.ctx.app.inject({
      method: 'POST',
      url,
      headers: {
        authorization: sipAuthorization(SECRET),
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: 'event=parked&callId=x',
    });
    expect(bad.statusCode).toBe(400);
    expect(db.prepare('SELECT COUNT(*) AS n FROM interaction_events').get()).toEqual({ n: 0 });
  });

  it('re-registers with new credentials during a call without dropping it; wrong ones are refused', async () => {
    const agent = await ana();
    let password: string | null = null;
    const issue = async () => {
      const credentials = await agent.issue();
      return password === null ? credentials : { ...credentials, password };
    };
    expect(await agent.softphone.start(issue)).toBe('registered');
    const first = agent.softphone.snapshot.credentialsExpireAt;
    const { call } = await agent.takeCall('callerWaitsForBye');
    // Issued a second later, so the username (it carries its expiry) differs.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await agent.softphone.refreshCredentials()).toBe('registered');
    expect(agent.softphone.snapshot.credentialsExpireAt).not.toBe(first);
    password = 'wrong';
    expect(await agent.softphone.refreshCredentials()).toBe('refused');
    expect(agent.softphone.snapshot.call?.state).toBe('active');
    password = null;
    expect(await agent.softphone.refreshCredentials()).toBe('registered');
    expect(agent.softphone.snapshot.call?.state).toBe('active');
    await agent.softphone.hangUp();
    expect((await call).requests).toEqual(['BYE']);
    await until(() => interaction().state === 'completed', 'the completed interaction');
  }, 60_000);

  it('registers again when the WebSocket comes back after Kamailio restarts', async () => {
    const agent = await ana();
    const seen: string[] = [];
    agent.softphone.subscribe((snapshot) => {
      if (seen.at(-1) !== snapshot.registration) seen.push(snapshot.registration);
    });
    expect(await agent.softphone.start(agent.issue)).toBe('registered');
    await sip.edge.kamailio.stop();
    await until(() => agent.softphone.snapshot.registration === 'reconnecting', 'reconnecting');
    // Registrations live in Kamailio's memory: the restarted one knows nobody until they register.
    const restarted = await startKamailio({
      config: renderKamailioConfig(sip.edge.ctx.config.sip!, { children: 2 }),
      controlPort: sip.edge.ctx.config.sip!.controlPort,
      sharedSecret: SECRET,
    });
    try {
      await until(() => agent.softphone.snapshot.registration === 'registered', 'registered again', 20_000);
      expect(seen).toEqual(['registering', 'registered', 'reconnecting', 'registered']);
      expect(await bindings()).toBe(1);
    } finally {
      await agent.softphone.stop();
      await restarted.stop();
    }
  }, 60_000);

  it('keeps the call through a dropped WebSocket: reconnects, registers, and still holds and hangs up', async () => {
    // Every WebSocket SIP.js opens from here on, so the test can cut one as a network blip would.
    const sockets: WebSocket[] = [];
    const Original = globalThis.WebSocket;
    globalThis.WebSocket = class extends Original {
      constructor(...args: ConstructorParameters<typeof WebSocket>) {
        super(...args);
        sockets.push(this);
      }
    };
    try {
      const agent = await ana();
      expect(await agent.softphone.start(agent.issue)).toBe('registered');
      const { call, interactionId } = await agent.takeCall('callerHeldAgentHangsUp');
      expect(sockets).toHaveLength(1);
      (sockets[0] as unknown as { terminate(): void }).terminate();
      await until(() => agent.softphone.snapshot.registration === 'reconnecting', 'reconnecting');
      await until(() => agent.softphone.snapshot.registration === 'registered', 'registered again');
      expect(sockets).toHaveLength(2);
      expect(agent.softphone.snapshot.call?.state).toBe('active');
      // The softphone's in-dialog requests go out on the new connection.
      for (let round = 0; round < 2; round += 1) {
        expect(await agent.command('call:hold', { interactionId })).toEqual({ ok: true });
        expect(await agent.command('call:resume', { interactionId })).toEqual({ ok: true });
      }
      await agent.softphone.hangUp();
      const sipp = await call;
      expect(sipp.code, sipp.output).toBe(0);
      await until(() => interaction().state === 'completed', 'the completed interaction');
      expect(
        timeline(interactionId)
          .map((event) => event.type)
          .filter((type) => type === 'held' || type === 'resumed'),
      ).toEqual(['held', 'resumed', 'held', 'resumed']);
    } finally {
      globalThis.WebSocket = Original;
    }
  }, 60_000);

  it('a reloaded page with the same identity replaces its binding rather than adding one', async () => {
    const identity = newSoftphoneIdentity();
    const before = await ana({ identity });
    expect(await before.softphone.start(before.issue)).toBe('registered');
    // The page goes away without unregistering, as a reload does.
    const after = await ana({ identity });
    expect(await after.softphone.start(after.issue)).toBe('registered');
    expect(await bindings()).toBe(1);
    // Without the identity (what the page did before): a second binding, and a dead tab would ring too.
    const fresh = await ana();
    expect(await fresh.softphone.start(fresh.issue)).toBe('registered');
    expect(await bindings()).toBe(2);
  }, 60_000);
});
