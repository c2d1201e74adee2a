import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDeskClient, type DeskClient } from '../../../console/data/desk.data.js';

import { until, freePort, login } from '../../testing/harness.js';
import { signInWithSip, useSipEdge } from '../../testing/sip-edge.js';
import { SipPhone } from '../../testing/sip-phone.js';
import { requireSipPeers, sippCall } from '../../testing/sipp.js';
import { renderKamailioConfig } from './kamailio-config.js';
import { startKamailio, type RunningKamailio } from './kamailio-process.js';

const SECRET = 'evapi-test-secret-0123456789abcdefghijk';
requireSipPeers();

interface LogLine {
  msg: string;
  interactionId?: number;
  event?: string;
  channel?: string;
}

/**
 * evapi as the push channel for dialog events (real Kamailio, SIPp caller, SIP.js agent): while our
 * server is connected each event is pushed only, and taken once; after Kamailio restarts, our client
 * reconnects by itself and events are pushed again; with no push connection up they come by the HTTP
 * hook.
 */
describe('dialog events pushed over evapi', () => {
  const sip = useSipEdge({
    secret: SECRET,
    env: async () => ({ SIP_EVAPI_PORT: String(await freePort()) }),
    agents: ['ana'],
    support: { acwPolicy: 'none' },
    failureLog: 'app',
  });
  let restarted: RunningKamailio | null;
  let phones: SipPhone[];
  let desk: DeskClient;

  beforeEach(() => {
    phones = [];
    restarted = null;
  });
  afterEach(async () => {
    desk?.disconnect();
    await Promise.all(phones.map((phone) => phone.stop()));
    await restarted?.stop();
  });

  const logLines = (): LogLine[] =>
    sip.edge.ctx
      .logs()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as LogLine);
  const connections = () => logLines().filter((line) => line.msg === 'evapi connected').length;
  /** How each dialog event of an Interaction arrived: taken once, and which channels brought it. */
  const deliveries = (interactionId: number) => {
    const lines = logLines().filter((line) => line.interactionId === interactionId);
    const of = (event: string) => ({
      taken: lines.filter((line) => line.event === event && line.msg === 'SIP dialog event taken').length,
      channels: lines
        .filter((line) => line.event === event && /^SIP dialog event (already )?taken$/.test(line.msg))
        .map((line) => line.channel)
        .sort(),
    });
    return { answered: of('answered'), ended: of('ended') };
  };

  async function registerAna(): Promise<void> {
    const phone = new SipPhone((await signInWithSip(sip.edge.ctx.app, 'ana')).credentials);
    phones.push(phone);
    expect(await phone.register()).toBe(200);
  }

  /** One SIPp call, accepted on Ana's desk; resolves with its Interaction once it is completed. */
  async function answeredCall(): Promise<number> {
    const call = sippCall({ scenario: 'callerHangsUp', proxy: `127.0.0.1:${sip.edge.sipPort}`, to: '100' });
    await until(() => desk.snapshot.state?.offer != null, 'the offer');
    const { interactionId, reservationId } = desk.snapshot.state!.offer!;
    await desk.acceptOffer(reservationId);
    expect((await call).code).toBe(0);
    const state = () =>
      sip.edge.ctx.db.prepare('SELECT state FROM interactions WHERE id = ?').pluck().get(interactionId);
    await until(() => state() === 'completed', 'the call completed');
    await until(() => deliveries(interactionId).ended.channels.length === 1, 'the end delivered');
    return interactionId;
  }

  /** Stops the running Kamailio and starts another on the same ports, its evapi on `evapiPort`. */
  async function restartKamailio(evapiPort: number | null): Promise<void> {
    const disconnects = () => logLines().filter((line) => line.msg === 'evapi disconnected, reconnecting');
    const before = disconnects().length;
    await (restarted ?? sip.edge.kamailio).stop();
    await until(() => disconnects().length > before, 'the disconnect noticed');
    restarted = await startKamailio({
      config: renderKamailioConfig({ ...sip.edge.ctx.config.sip!, evapiPort }, { children: 2 }),
      controlPort: sip.edge.ctx.config.sip!.controlPort,
      sharedSecret: SECRET,
    });
    // Registrations lived in the old Kamailio's memory.
    await registerAna();
  }

  it('pushes each event only while connected, again after Kamailio restarts, and hooks them when not', async () => {
    await until(() => connections() === 1, 'our evapi client connected');
    await registerAna();
    const cookie = await login(sip.edge.ctx.app, 'ana', 'test-password');
    const origin = sip.edge.ctx.config.sip!.ctiUrl.origin;
    desk = createDeskClient({
      url: origin,
      socketOptions: { transports: ['websocket'], extraHeaders: { cookie, origin }, reconnection: false },
    });
    desk.connect();
    await until(() => desk.snapshot.state !== null, "ana's desk");
    await desk.setStatus('available');

    const before = await answeredCall();
    expect(deliveries(before)).toEqual({
      answered: { taken: 1, channels: ['evapi'] },
      ended: { taken: 1, channels: ['evapi'] },
    });
    const events = sip.edge.ctx.db
      .prepare('SELECT type FROM interaction_events WHERE interaction_id = ? ORDER BY id')
      .pluck()
      .all(before) as string[];
    expect(events.filter((type) => type === 'answered')).toHaveLength(1);
    expect(events.filter((type) => type === 'ended')).toHaveLength(1);

    // Kamailio goes away and comes back on the same ports: our side reconnects on its own.
    await restartKamailio(sip.edge.ctx.config.sip!.evapiPort);
    await until(() => connections() === 2, 'our evapi client connected again');
    const after = await answeredCall();
    expect(deliveries(after)).toEqual({
      answered: { taken: 1, channels: ['evapi'] },
      ended: { taken: 1, channels: ['evapi'] },
    });

    // A Kamailio whose evapi our server cannot reach: nobody is connected, so the hook carries them.
    await restartKamailio(await freePort());
    const hooked = await answeredCall();
    expect(deliveries(hooked)).toEqual({
      answered: { taken: 1, channels: ['http'] },
      ended: { taken: 1, channels: ['http'] },
    });
    expect(connections()).toBe(2);
    expect(await sip.edge.ctx.app.acd.checkInvariants()).toEqual([]);
  });
});
