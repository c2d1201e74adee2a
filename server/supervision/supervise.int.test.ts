import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Me } from '../auth/auth.schemas.js';
import { conferenceNameOf } from '../telephony/index.js';
import { makeAgent, makeQueue } from '../testing/factories.js';
import { as, createTestContext, login, type TestContext } from '../testing/harness.js';
import { connectedTwilioCall, OUR_NUMBER } from '../testing/twilio-app.js';
import { startTwilioFake, type TwilioFake } from '../../simulator/twilio-fake/index.js';

const ACCOUNT_SID = `AC${'2'.repeat(32)}`;
const AUTH_TOKEN = 'test-auth-token';

/** Monitor, whisper and barge through the Twilio conference, against the Twilio fake. */
describe('supervision: monitor, whisper and barge', () => {
  let ctx: TestContext;
  let fake: TwilioFake;
  const ana: Me = { id: 1, username: 'ana', displayName: 'Ana', role: 'agent', uiLanguage: 'en' };

  beforeEach(async () => {
    fake = await startTwilioFake({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    ctx = await createTestContext({
      env: {
        PUBLIC_BASE_URL: 'https://cti.example.com',
        TWILIO_ACCOUNT_SID: ACCOUNT_SID,
        TWILIO_AUTH_TOKEN: AUTH_TOKEN,
        TWILIO_CALLER_ID: OUR_NUMBER,
        TWILIO_API_BASE_URL: fake.baseUrl,
      },
      app: { callTimers: false },
      arrange: async (db) => {
        await makeAgent(db, { username: 'ana', sipAddress: 'sip:ana@cti.local' });
        await makeAgent(db, { username: 'sue', role: 'supervisor', sipAddress: 'sip:sue@cti.local' });
        await makeAgent(db, { username: 'tom', role: 'supervisor' });
        makeQueue(db, 'Support');
      },
    });
  });

  afterEach(async () => {
    await ctx.close();
    await fake.close();
  });

  /** A caller waits in the conference; ana accepts and her phone answers. */
  async function connectedCall() {
    const interactionId = await connectedTwilioCall(ctx.app, fake, ana);
    const agentLegId = (await ctx.app.calls.session(interactionId))!.agentLegId!;
    return { interactionId, agentLegId };
  }

  const participantRequests = () =>
    fake.requests.filter((r) => r.method === 'POST' && r.path.includes('/Participants'));

  it('joins the supervisor coaching the agent, then barges in; audited and on the timeline', async () => {
    const { interactionId, agentLegId } = await connectedCall();
    const before = participantRequests().length;
    const supervisor = as(ctx.app, await login(ctx.app, 'sue', 'test-password'));

    const whisper = await supervisor('POST', `/api/supervision/calls/${interactionId}/supervise`, {
      mode: 'whisper',
    });
    expect(whisper.statusCode).toBe(204);
    const [join] = participantRequests().slice(before);
    expect(join!.path).toContain(`/Conferences/${conferenceNameOf(interactionId)}/Participants.json`);
    expect(join!.form).toMatchObject({
      To: `sip:sue@cti.local?X-CTI-Interaction=${interactionId}`,
      From: OUR_NUMBER,
      Coaching: 'true',
      CallSidToCoach: agentLegId,
      Muted: 'false',
      EndConferenceOnExit: 'false',
      StartConferenceOnEnter: 'false',
    });
    const supervisorLeg = [...fake.calls.values()].find((c) => c.to.startsWith('sip:sue@'))!;

    const barge = await supervisor('POST', `/api/supervision/calls/${interactionId}/supervise`, {
      mode: 'barge',
    });
    expect(barge.statusCode).toBe(204);
    const [change] = participantRequests().slice(before + 1);
    expect(change!.path).toMatch(
      new RegExp(`/Conferences/CF[0-9a-f]{32}/Participants/${supervisorLeg.sid}\\.json$`),
    );
    expect(change!.form).toMatchObject({ Coaching: 'false', Muted: 'false' });
    expect(participantRequests()).toHaveLength(before + 2);

    expect(
      ctx.db
        .prepare(
          "SELECT type, data FROM interaction_events WHERE interaction_id = ? AND type LIKE 'supervisor_%' ORDER BY id",
        )
        .all(interactionId),
    ).toEqual([
      { type: 'supervisor_joined', data: '{"mode":"whisper"}' },
      { type: 'supervisor_mode_changed', data: '{"mode":"barge"}' },
    ]);
    expect(
      ctx.db.prepare("SELECT action FROM audit_log WHERE action LIKE 'supervision.%' ORDER BY id").all(),
    ).toEqual([{ action: 'supervision.whisper' }, { action: 'supervision.barge' }]);
  });

  it('refuses agents, calls not connected, supervisors without a phone and bad modes, dialling nobody', async () => {
    const { interactionId } = await connectedCall();
    const before = participantRequests().length;
    const agent = as(ctx.app, await login(ctx.app, 'ana', 'test-password'));
    const tom = as(ctx.app, await login(ctx.app, 'tom', 'test-password'));
    const sue = as(ctx.app, await login(ctx.app, 'sue', 'test-password'));
    const url = `/api/supervision/calls/${interactionId}/supervise`;
    expect((await agent('POST', url, { mode: 'monitor' })).statusCode).toBe(403);
    const noPhone = await tom('POST', url, { mode: 'monitor' });
    expect(noPhone.statusCode).toBe(409);
    expect(noPhone.json().message).toMatch(/SIP address or phone number/);
    expect((await sue('POST', url, { mode: 'listen' })).statusCode).toBe(400);
    // A second caller waits: ana is busy.
    const { interactionId: waiting } = await ctx.app.calls.arrive({
      provider: 'twilio',
      providerCallId: fake.arrive({ from: '+14155550199', to: OUR_NUMBER }).sid,
      from: '+14155550199',
      to: OUR_NUMBER,
    });
    await ctx.app.calls.enqueue(waiting, { queueName: 'Support', priorityBoostSeconds: 0, ivrAnswers: {} });
    const notConnected = await sue('POST', `/api/supervision/calls/${waiting}/supervise`, {
      mode: 'monitor',
    });
    expect(notConnected.statusCode).toBe(409);
    expect(notConnected.json().message).toBe(`Call ${waiting} is not connected to an agent`);
    expect((await sue('POST', '/api/supervision/calls/999/supervise', { mode: 'monitor' })).statusCode).toBe(
      404,
    );
    expect(participantRequests()).toHaveLength(before);
    expect(
      ctx.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action LIKE 'supervision.%'").get(),
    ).toEqual({ n: 0 });
  });
});
