import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { agentIdOf, makeAgent, makeQueue, setAgent, setEveryQueue } from '../../testing/factories.js';
import { until, as, createTestContext, freePort, login, type TestContext } from '../../testing/harness.js';
import { createSoftphone } from '../../../console/softphone/softphone.js';
import { NoMediaDescriptionHandler, SessionState, SipPhone } from '../../testing/sip-phone.js';
import { requireSipPeers, sippCall } from '../../testing/sipp.js';
import { startTwilioFake, type TwilioFake } from '../../../simulator/twilio-fake/index.js';
import { FLOWS_DIR, flowForNumber, loadFlows } from '../../../ivr/index.js';
import { createCallerEngine } from '../../../simulator/callers/caller-engine.js';
import { navigateFlow } from '../../../simulator/callers/ivr-navigator.js';
import { DEMO_LINE } from '../../../simulator/demo-traffic.js';
import { renderKamailioConfig } from './kamailio-config.js';
import { createKamailioControl, type KamailioControl } from './kamailio-control.js';
import { startKamailio, type RunningKamailio } from './kamailio-process.js';
import { connectDesk, type DeskSocket } from '../../testing/desk-socket.js';

const SECRET = 'test-shared-secret-0123456789abcdefghij';
// The same installation takes Twilio calls too: a fake of Twilio's REST API plays that side.
const TWILIO_ACCOUNT = `AC${'5'.repeat(32)}`;
const TWILIO_TOKEN = 'mixed-twilio-token';
const DOMAIN = 'cti.test';
requireSipPeers();

describe('SIP calls through Kamailio into the ACD (real Kamailio, SIPp, SIP.js)', () => {
  let ports: { app: number; sip: number; ws: number; control: number };
  let env: Record<string, string>;
  let kamailio: RunningKamailio;
  let control: KamailioControl;
  let twilioFake: TwilioFake;
  let ctx: TestContext;
  let phones: SipPhone[];
  let desks: DeskSocket[];

  beforeAll(async () => {
    ports = {
      app: await freePort(),
      sip: await freePort(),
      ws: await freePort(),
      control: await freePort(),
    };
    env = {
      SIP_SHARED_SECRET: SECRET,
      SIP_DOMAIN: DOMAIN,
      SIP_PORT: String(ports.sip),
      SIP_WS_PORT: String(ports.ws),
      SIP_CONTROL_PORT: String(ports.control),
      SIP_CTI_URL: `http://127.0.0.1:${ports.app}`,
      SIP_DEFAULT_QUEUE: 'Support',
      SIP_QUEUE_BY_NUMBER: '200=Sales',
      PUBLIC_BASE_URL: `http://127.0.0.1:${ports.app}`,
    };
    twilioFake = await startTwilioFake({
      accountSid: TWILIO_ACCOUNT,
      authToken: TWILIO_TOKEN,
      statusCallbacks: true,
      autoAnswer: { afterMs: 100 },
    });
    Object.assign(env, {
      TWILIO_ACCOUNT_SID: TWILIO_ACCOUNT,
      TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
      TWILIO_CALLER_ID: DEMO_LINE,
      TWILIO_API_BASE_URL: twilioFake.baseUrl,
    });
    // The config the app reads is the one Kamailio is rendered from.
    const probe = await createTestContext({ env });
    const sip = probe.config.sip!;
    await probe.close();
    kamailio = await startKamailio({
      config: renderKamailioConfig(sip, { children: 2, logLevel: 1 }),
      controlPort: ports.control,
      sharedSecret: SECRET,
    });
    control = createKamailioControl({
      controlUrl: new URL(`http://127.0.0.1:${ports.control}`),
      sharedSecret: SECRET,
    });
  }, 30_000);

  afterAll(async () => {
    await kamailio?.stop();
    await twilioFake?.close();
  });

  beforeEach(async () => {
    phones = [];
    desks = [];
    ctx = await createTestContext({
      env,
      clock: 'system',
      app: { callTimers: false },
      arrange: async (db) => {
        for (const name of ['ana', 'ben']) {
          await makeAgent(db, { username: name, sipAddress: `sip:${name}@${DOMAIN}` });
        }
        await makeAgent(db, { username: 'nosip' });
        // No after-call work: a call that ends is complete at once.
        makeQueue(db, 'Support', { acwPolicy: 'none' });
      },
    });
    await ctx.app.listen({ port: ports.app, host: '127.0.0.1' });
  });

  afterEach(async (test) => {
    if (test.task.result?.state === 'fail') console.error(kamailio.output().slice(-3000));
    for (const desk of desks) desk.disconnect();
    await Promise.all(phones.map((phone) => phone.stop()));
    await ctx.close();
  });

  /** An Agent signed in to the console, with their softphone registered through our Kamailio. */
  async function agent(username: string, onInvite: 'answer' | 'reject' | 'ring' | 'no phone' = 'answer') {
    const cookie = await login(ctx.app, username, 'test-password');
    const credentials = await as(ctx.app, cookie)('GET', '/api/sip/credentials');
    expect(credentials.statusCode).toBe(200);
    const phone = new SipPhone({
      ...credentials.json(),
      onInvite: onInvite === 'no phone' ? 'answer' : onInvite,
    });
    if (onInvite !== 'no phone') {
      phones.push(phone);
      expect(await phone.register()).toBe(200);
    }
    const { socket, last, command } = await connectDesk(`http://127.0.0.1:${ports.app}`, cookie);
    desks.push(socket);
    return {
      phone,
      credentials: credentials.json(),
      last,
      goAvailable: async () =>
        expect((await command('agent:set-status', { status: 'available' })).ok).toBe(true),
      /** Accepts the offer on the desk and gives the server's answer. */
      acceptOfferResult: () => command('offer:accept', { reservationId: last().offer!.reservationId }),
      /** Waits for the offer on the desk and accepts it, which rings the softphone. */
      acceptOffer: async () => {
        await until(() => last().offer !== null, 'the offer');
        const offer = last().offer!;
        expect((await command('offer:accept', { reservationId: offer.reservationId })).ok).toBe(true);
        return offer.interactionId;
      },
      hangUpFromDesk: (interactionId: number) => command('call:hangup', { interactionId }),
    };
  }

  const caller = (
    scenario: Parameters<typeof sippCall>[0]['scenario'],
    extra: { to?: string; pauseMs?: number } = {},
  ) => sippCall({ scenario, proxy: `127.0.0.1:${ports.sip}`, to: extra.to ?? '100', pauseMs: extra.pauseMs });

  const interactions = () =>
    ctx.db.prepare('SELECT * FROM interactions ORDER BY id').all() as Record<string, unknown>[];
  const events = (id: unknown) =>
    (
      ctx.db.prepare('SELECT type FROM interaction_events WHERE interaction_id = ? ORDER BY id').all(id) as {
        type: string;
      }[]
    ).map((event) => event.type);
  const dialogs = () => control.listDialogs();

  it('registers softphones with the credentials we issue and refuses a wrong password', async () => {
    await agent('ana');
    const cookie = await login(ctx.app, 'ben', 'test-password');
    const issued = (await as(ctx.app, cookie)('GET', '/api/sip/credentials')).json();
    expect(issued).toMatchObject({
      aor: `sip:ben@${DOMAIN}`,
      realm: DOMAIN,
      wsUrl: `ws://127.0.0.1:${ports.ws}`,
    });

    const wrong = new SipPhone({ ...issued, password: `${issued.password}x` });
    phones.push(wrong);
    expect(await wrong.register()).toBe(401);
    // ana's valid username cannot register ben's address.
    const anaCredentials = (
      await as(ctx.app, await login(ctx.app, 'ana', 'test-password'))('GET', '/api/sip/credentials')
    ).json();
    const foreign = new SipPhone({ ...anaCredentials, aor: `sip:ben@${DOMAIN}` });
    phones.push(foreign);
    expect(await foreign.register()).toBe(401);

    // Who Kamailio holds registrations for, as its own JSON-RPC tells.
    const registered = await control.rpc<unknown>('ul.dump');
    expect(JSON.stringify(registered)).toContain('"ana"');
    expect(JSON.stringify(registered)).not.toContain('"ben"');

    const noAddress = await as(ctx.app, await login(ctx.app, 'nosip', 'test-password'))(
      'GET',
      '/api/sip/credentials',
    );
    expect(noAddress.statusCode).toBe(409);
  });

  it('offers Twilio and SIP callers to the same agents through one queue: one interaction each, invariants hold', async () => {
    const agents = [await agent('ana'), await agent('ben')];
    for (const one of agents) await one.goAvailable();
    // Each desk accepts whatever it is offered, call after call, until the test ends.
    let running = true;
    const acceptors = agents.map(async (one) => {
      while (running) {
        try {
          await one.acceptOffer();
        } catch {
          // No offer within the wait: keep watching while calls remain.
        }
      }
    });
    const flow = flowForNumber(await loadFlows(FLOWS_DIR), DEMO_LINE);
    const engine = createCallerEngine({
      serverBaseUrl: `http://127.0.0.1:${ports.app}`,
      publicBaseUrl: `http://127.0.0.1:${ports.app}`,
      accountSid: TWILIO_ACCOUNT,
      authToken: TWILIO_TOKEN,
      fake: twilioFake,
    });
    try {
      const twilioCalls = [0, 1, 2].map((i) =>
        engine.placeCall({
          from: `+1212555010${i}`,
          to: DEMO_LINE,
          script: {
            input: navigateFlow(flow, { menus: { choose_language: 'en-US', department: 'support' } }),
            patienceSeconds: 60,
            talkSeconds: 1,
          },
        }),
      );
      const sipCalls = [0, 1, 2].map(() => caller('callerHangsUp', { pauseMs: 500 }));
      const twilioDone = await Promise.all(twilioCalls);
      const sipDone = await Promise.all(sipCalls);
      expect(twilioDone.map((t) => t.outcome)).toEqual(['answered', 'answered', 'answered']);
      expect(sipDone.map((s) => s.code)).toEqual([0, 0, 0]);
      await until(
        () => interactions().length === 6 && interactions().every((row) => row.state === 'completed'),
        'six completed interactions',
        15_000,
      );
      const rows = interactions();
      expect(rows.filter((row) => row.provider === 'twilio')).toHaveLength(3);
      expect(rows.filter((row) => row.provider === 'sip')).toHaveLength(3);
      expect(rows.every((row) => row.outcome === 'answered')).toBe(true);
      // One queue and one pair of agents served both kinds of call.
      expect(new Set(rows.map((row) => row.queue_id)).size).toBe(1);
      const agentIds = new Set(rows.map((row) => row.agent_id));
      expect(agentIds.size).toBeGreaterThan(0);
      expect(agentIds.size).toBeLessThanOrEqual(2);
      expect(await ctx.app.acd.checkInvariants()).toEqual([]);
    } finally {
      running = false;
      await Promise.all(acceptors);
      await engine.close();
    }
  }, 90_000);

  it('a caller answered by an Agent who hangs up first leaves one complete Interaction', async () => {
    const ana = await agent('ana');
    await ana.goAvailable();
    const call = caller('callerWaitsForBye');
    const interactionId = await ana.acceptOffer();
    await until(
      () => ana.phone.calls.at(-1)?.states.includes(SessionState.Established) ?? false,
      'the answer',
    );
    expect(ana.phone.calls.at(-1)!.interactionId).toBe(String(interactionId));
    await until(() => interactions()[0]!.answered_at !== null, 'answered in the record');
    await ana.phone.hangUp();
    const sipp = await call;
    expect(sipp.code).toBe(0);
    expect(sipp.responses).toEqual(expect.arrayContaining(['SIP/2.0 182 Queued', 'SIP/2.0 200 OK']));
    expect(sipp.requests).toEqual(['BYE']);
    await until(() => interactions()[0]!.state === 'completed', 'the completed interaction');
    const rows = interactions();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      provider: 'sip',
      state: 'completed',
      outcome: 'answered',
      caller_number: '+14155550123',
    });
    expect(events(interactionId)).toEqual(expect.arrayContaining(['queued', 'offered', 'answered', 'ended']));
    expect(await dialogs()).toEqual([]);
    await until(() => ana.last().status === 'available', 'ana available again');
  });

  it('a caller who hangs up first ends the call the same way', async () => {
    const ana = await agent('ana');
    await ana.goAvailable();
    const call = caller('callerHangsUp', { pauseMs: 300 });
    await ana.acceptOffer();
    const sipp = await call;
    expect(sipp.code).toBe(0);
    await until(() => interactions()[0]!.state === 'completed', 'the completed interaction');
    expect(interactions()).toHaveLength(1);
    expect(interactions()[0]).toMatchObject({ state: 'completed', outcome: 'answered' });
    await until(() => ana.phone.calls[0]!.states.includes(SessionState.Terminated), 'the softphone hung up');
  });

  it('queues the caller while no Agent is free and connects them when one becomes available', async () => {
    const ana = await agent('ana');
    const call = caller('callerHangsUp', { pauseMs: 200 });
    await until(() => interactions()[0]?.queued_at != null, 'the queued interaction');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(ana.phone.calls).toHaveLength(0);
    await ana.goAvailable();
    await ana.acceptOffer();
    const sipp = await call;
    expect(sipp.code).toBe(0);
    expect(sipp.responses[0]).toBe('SIP/2.0 182 Queued');
    await until(() => interactions()[0]!.state === 'completed', 'the completed interaction');
    expect(interactions()[0]).toMatchObject({ outcome: 'answered' });
  });

  it('an Agent whose softphone is not registered cannot take the call: the caller waits on for the next Agent', async () => {
    const ana = await agent('ana', 'no phone');
    const ben = await agent('ben');
    await ana.goAvailable();
    const call = caller('callerHangsUp', { pauseMs: 200 });
    await until(() => ana.last().offer !== null, 'the offer to ana');
    const refused = await ana.acceptOfferResult();
    expect(refused).toMatchObject({
      ok: false,
      error: expect.stringMatching(/softphone is not registered/),
    });
    await until(() => ana.last().status === 'break', 'ana on a break');
    expect(interactions()[0]).toMatchObject({ state: 'queued', agent_id: null });
    expect(events(interactions()[0]!.id)).toContain('offer_declined');
    await ben.goAvailable();
    await ben.acceptOffer();
    const sipp = await call;
    expect(sipp.code).toBe(0);
    expect(sipp.responses).toEqual(expect.arrayContaining(['SIP/2.0 182 Queued', 'SIP/2.0 200 OK']));
    await until(() => interactions()[0]!.state === 'completed', 'the completed interaction');
    expect(interactions()).toHaveLength(1);
    const benId = ctx.db
      .prepare('SELECT id FROM agents WHERE sip_address = ?')
      .pluck()
      .get(`sip:ben@${DOMAIN}`);
    expect(interactions()[0]).toMatchObject({ outcome: 'answered', agent_id: benId });
    expect(await ctx.app.acd.checkInvariants()).toEqual([]);
  });

  it("an Agent whose softphone's connection is lost is no longer registered: the offer goes back to the queue", async () => {
    const ana = await agent('ana');
    expect(await control.isRegistered('ana')).toBe(true);
    await ana.phone.dropConnection();
    // Kamailio drops the registration with its connection (usrloc handle_lost_tcp), not at expiry.
    await until(async () => !(await control.isRegistered('ana')), 'the registration gone');
    await ana.goAvailable();
    const call = caller('callerRefused');
    await until(() => ana.last().offer !== null, 'the offer to ana');
    expect(await ana.acceptOfferResult()).toMatchObject({
      ok: false,
      error: expect.stringMatching(/softphone is not registered/),
    });
    expect(interactions()[0]).toMatchObject({ state: 'queued', agent_id: null });
    setEveryQueue(ctx.db, { maxWaitSeconds: 1, maxWaitAction: 'hangup' });
    await new Promise((resolve) => setTimeout(resolve, 1200));
    await ctx.app.calls.tick();
    expect((await call).code).toBe(0);
  });

  it('offers are accepted for auto-accept Agents: the softphone rings with no click, one without a softphone goes on a break', async () => {
    for (const username of ['ana', 'ben', 'nosip'])
      setAgent(ctx.db, agentIdOf(ctx.db, username), { autoAccept: true });
    const ana = await agent('ana', 'no phone');
    const ben = await agent('ben');
    await ana.goAvailable();
    const call = caller('callerWaitsForBye');
    await until(() => ana.last().status === 'break', 'ana on a break');
    expect(ana.last().reason).toBe('declined');
    expect(interactions()[0]).toMatchObject({ state: 'queued' });
    await ben.goAvailable();
    await until(
      () => ben.phone.calls.at(-1)?.states.includes(SessionState.Established) ?? false,
      "ben's softphone in the call",
    );
    expect(ben.phone.calls.at(-1)!.interactionId).toBe(String(interactions()[0]!.id));
    await until(() => interactions()[0]!.answered_at !== null, 'answered in the record');
    await ben.phone.hangUp();
    expect((await call).code).toBe(0);
    await until(() => interactions()[0]!.state === 'completed', 'the completed interaction');
    expect(events(interactions()[0]!.id)).toEqual(
      expect.arrayContaining(['offered', 'offer_declined', 'offered', 'answered', 'ended']),
    );
    expect(await ctx.app.acd.checkInvariants()).toEqual([]);
  });

  it('a caller who gives up while queued leaves an abandoned Interaction and nothing waiting', async () => {
    const sipp = await caller('callerCancels', { pauseMs: 300 });
    expect(sipp.code).toBe(0);
    expect(sipp.responses).toContain('SIP/2.0 487 Request canceled');
    await until(() => interactions()[0]?.state === 'completed', 'the ended interaction');
    expect(interactions()).toHaveLength(1);
    expect(interactions()[0]).toMatchObject({ outcome: 'abandoned', answered_at: null });
    expect((await ctx.app.acd.snapshot()).waiting).toEqual([]);
    expect(await dialogs()).toEqual([]);
  });

  it('the CTI hangs up an answered call through JSON-RPC: BYE reaches both sides', async () => {
    const ana = await agent('ana');
    await ana.goAvailable();
    const call = caller('callerWaitsForBye');
    const interactionId = await ana.acceptOffer();
    await until(() => interactions()[0]!.answered_at !== null, 'answered');
    expect((await dialogs()).map((dialog) => dialog.callId)).toEqual([interactions()[0]!.provider_call_id]);
    expect(await ana.hangUpFromDesk(interactionId)).toEqual({ ok: true });
    const sipp = await call;
    expect(sipp.code).toBe(0);
    expect(sipp.requests).toEqual(['BYE']);
    await until(() => ana.phone.calls[0]!.states.includes(SessionState.Terminated), 'the softphone hung up');
    await until(() => interactions()[0]!.state === 'completed', 'the completed interaction');
    expect(events(interactionId)).toContain('agent_hung_up');
  });

  it("an Agent's softphone that refuses the call sends the caller back to the queue, not away, with nothing left open", async () => {
    setEveryQueue(ctx.db, { maxWaitSeconds: 1, maxWaitAction: 'hangup' });
    const ana = await agent('ana', 'reject');
    await ana.goAvailable();
    const call = caller('callerRefused');
    await ana.acceptOffer();
    await until(() => ana.last().status === 'break', 'the missed-call break');
    await until(() => interactions()[0]?.state === 'queued', 'back in the queue');
    // Nobody else takes the call: the queue's own rule ends the wait, as for any caller.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    await ctx.app.calls.tick();
    const sipp = await call;
    expect(sipp.code).toBe(0);
    expect(sipp.responses).not.toContain('SIP/2.0 486 Busy Here');
    expect(sipp.responses.at(-1)).toBe('SIP/2.0 480 Call Ended');
    await until(() => interactions()[0]?.state === 'completed', 'the ended interaction');
    expect(interactions()[0]).toMatchObject({ answered_at: null, agent_id: null });
    expect(await dialogs()).toEqual([]);
  });

  it("a caller who waited past the queue's maximum is answered 480 and the Interaction ends", async () => {
    setEveryQueue(ctx.db, { maxWaitSeconds: 1, maxWaitAction: 'hangup' });
    const call = caller('callerRefused');
    await until(() => interactions()[0]?.queued_at != null, 'the queued interaction');
    await new Promise((resolve) => setTimeout(resolve, 1200));
    await ctx.app.calls.tick();
    const sipp = await call;
    expect(sipp.code).toBe(0);
    expect(sipp.responses.at(-1)).toBe('SIP/2.0 480 Call Ended');
    await until(() => interactions()[0]?.state === 'completed', 'the ended interaction');
    expect(events(interactions()[0]!.id)).toContain('max_wait_reached');
    expect((await ctx.app.acd.snapshot()).waiting).toEqual([]);
    expect(await dialogs()).toEqual([]);
  });

  it('a call that ends while our server is down is completed when the server is back', async () => {
    const ana = await agent('ana');
    await ana.goAvailable();
    const call = caller('callerHangsUp', { pauseMs: 1000 });
    await ana.acceptOffer();
    await until(() => interactions()[0]!.answered_at !== null, 'answered');
    for (const desk of desks) desk.disconnect();
    await ctx.app.close();
    // The caller hangs up now: the BYE passes Kamailio, its dialog:end event finds nobody.
    expect((await call).code).toBe(0);
    const hungUpBy = new Date();
    expect(interactions()[0]!.state).toBe('connected');
    // The server stays down past the end's second, so the restart's time cannot pass for it.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const restarted = await buildApp(ctx.config, {
      callTimers: false,
      logStream: new Writable({ write: (_chunk, _encoding, done) => done() }),
    });
    try {
      await restarted.ready();
      await until(() => interactions()[0]!.state === 'completed', 'the completed interaction');
      expect(interactions()).toHaveLength(1);
      expect(interactions()[0]).toMatchObject({ outcome: 'answered' });
      // Kamailio's end of the dialog, not the time the restarted server noticed it.
      expect(Date.parse(String(interactions()[0]!.ended_at))).toBeLessThanOrEqual(hungUpBy.getTime());
      expect(await restarted.acd.getAgent(Number(interactions()[0]!.agent_id))).toMatchObject({
        status: 'available',
      });
    } finally {
      await restarted.close();
    }
  });

  it('a call answered while our server is down is recorded as answered when the server is back', async () => {
    const ana = await agent('ana', 'ring');
    await ana.goAvailable();
    const call = caller('callerHangsUp', { pauseMs: 4000 });
    await ana.acceptOffer();
    await until(() => ana.phone.calls.length === 1, 'the softphone ringing');
    for (const desk of desks) desk.disconnect();
    await ctx.app.close();
    // Answered now: the dialog:start event finds nobody.
    await ana.phone.answer();
    await until(async () => (await dialogs())[0]?.state === 4, 'the dialog confirmed');
    expect(interactions()[0]).toMatchObject({ state: 'offered', answered_at: null });
    const restarted = await buildApp(ctx.config, {
      callTimers: false,
      logStream: new Writable({ write: (_chunk, _encoding, done) => done() }),
    });
    try {
      // Listening again, so the caller's hang-up comes by the events hook.
      await restarted.listen({ port: ports.app, host: '127.0.0.1' });
      await until(() => interactions()[0]!.answered_at !== null, 'answered by reconciliation');
      expect((await call).code).toBe(0);
      await until(() => interactions()[0]!.state === 'completed', 'the completed interaction');
      expect(interactions()).toHaveLength(1);
      expect(interactions()[0]).toMatchObject({ outcome: 'answered' });
      expect(events(interactions()[0]!.id).filter((type) => type === 'answered')).toHaveLength(1);
    } finally {
      await restarted.close();
    }
  });

  it("the console's softphone answers the call its Agent accepted on the desk, and hangs it up", async () => {
    const ana = await agent('ana', 'no phone');
    const softphone = createSoftphone({
      sessionDescriptionHandlerFactory: () => new NoMediaDescriptionHandler(),
    });
    const seen: string[] = [];
    softphone.subscribe((snapshot) => seen.push(`${snapshot.registration}/${snapshot.call?.state ?? '-'}`));
    try {
      expect(await softphone.start(async () => ana.credentials)).toBe('registered');
      await ana.goAvailable();
      const call = caller('callerWaitsForBye');
      const interactionId = await ana.acceptOffer();
      await until(() => softphone.snapshot.call?.state === 'active', 'the softphone in the call');
      expect(softphone.snapshot.call).toMatchObject({ interactionId });
      await until(() => interactions()[0]!.answered_at !== null, 'answered in the record');
      await softphone.hangUp();
      expect((await call).requests).toEqual(['BYE']);
      await until(() => interactions()[0]!.state === 'completed', 'the completed interaction');
      expect(seen).toEqual(
        expect.arrayContaining([
          'registering/-',
          'registered/-',
          'registered/ringing',
          'registered/active',
          'registered/ended',
        ]),
      );
    } finally {
      await softphone.stop();
    }
    const refused = createSoftphone({
      sessionDescriptionHandlerFactory: () => new NoMediaDescriptionHandler(),
    });
    expect(await refused.start(async () => ({ ...ana.credentials, password: 'wrong' }))).toBe('refused');
    await refused.stop();
  });

  it('an unknown number is refused before anything is created', async () => {
    const sipp = await caller('callerRefused', { to: '200' });
    expect(sipp.responses.at(-1)).toBe('SIP/2.0 404 No Such Number');
    expect(interactions()).toEqual([]);
  });

  it('with our server down Kamailio answers 503 and nothing is left half-open', async () => {
    await ctx.app.close();
    const sipp = await caller('callerRefused');
    expect(sipp.code).toBe(0);
    expect(sipp.responses.at(-1)).toBe('SIP/2.0 503 CTI Unavailable');
    expect(await dialogs()).toEqual([]);
    expect(interactions()).toEqual([]);
  });
});
