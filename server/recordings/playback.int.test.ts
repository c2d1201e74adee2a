import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeAgent, makeCustomer, makeInteraction } from '../testing/factories.js';
import { ORIGIN, createTestContext, sessionCookie, type TestContext } from '../testing/harness.js';
import { FAKE_RECORDING_MP3 } from '../../simulator/twilio-fake/media.js';
import { startTwilioFake, type TwilioFake } from '../../simulator/twilio-fake/index.js';

const ACCOUNT_SID = `AC${'3'.repeat(32)}`;
const AUTH_TOKEN = 'playback-auth-token';
const AT = '2026-11-21T09:00:00.000Z';

describe('playing recordings and voicemails through our server', () => {
  let ctx: TestContext;
  let fake: TwilioFake;
  let ids: { ana: number; call: number; voicemail: number; unknownVoicemail: number; noRecording: number };
  let refs: { call: string; voicemail: string };

  beforeEach(async () => {
    fake = await startTwilioFake({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    const leave = () =>
      fake.leaveRecording(fake.arrive({ from: '+14155550123', to: '+14155550100' }).sid).sid;
    refs = { call: leave(), voicemail: leave() };
    ctx = await createTestContext({
      env: {
        PUBLIC_BASE_URL: 'https://cti.example.com',
        TWILIO_ACCOUNT_SID: ACCOUNT_SID,
        TWILIO_AUTH_TOKEN: AUTH_TOKEN,
        TWILIO_CALLER_ID: '+14155550100',
        TWILIO_API_BASE_URL: fake.baseUrl,
      },
      app: { callTimers: false },
      arrange: async (db) => {
        const ana = await makeAgent(db, { username: 'ana' });
        await makeAgent(db, { username: 'ben' });
        await makeAgent(db, { username: 'sue', role: 'supervisor' });
        const olivia = makeCustomer(db, { name: 'Olivia Carter', phones: ['+14155550123'] });
        const recorded = (fields: Parameters<typeof makeInteraction>[1], ref: string | null) => {
          return makeInteraction(db, { ...fields, recordingRef: ref ?? undefined });
        };
        ids = {
          ana,
          call: recorded({ customerId: olivia, agentId: ana, arrivedAt: AT, outcome: 'answered' }, refs.call),
          voicemail: recorded({ customerId: olivia, arrivedAt: AT, outcome: 'voicemail' }, refs.voicemail),
          unknownVoicemail: recorded(
            { customerId: null, arrivedAt: AT, outcome: 'voicemail' },
            refs.voicemail,
          ),
          noRecording: recorded(
            { customerId: olivia, agentId: ana, arrivedAt: AT, outcome: 'answered' },
            null,
          ),
        };
      },
    });
  });

  let fakeClosed = false;
  afterEach(async () => {
    await ctx.close();
    if (!fakeClosed) await fake.close();
    fakeClosed = false;
  });

  const get = (cookie: string, url: string, headers: Record<string, string> = {}) =>
    ctx.app.inject({ method: 'GET', url, headers: { cookie, ...headers } });
  /** The session cookie alone: a media element sends no Origin on a GET. */
  const cookieOf = async (username: string) =>
    sessionCookie(
      await ctx.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { origin: ORIGIN },
        payload: { username, password: 'test-password' },
      }),
    );
  const plays = () =>
    ctx.db
      .prepare(
        "SELECT actor_agent_id AS actor, action, entity_id AS entity FROM audit_log WHERE action LIKE '%.play'",
      )
      .all();

  it('streams the recording to the agent who handled the call and to a supervisor, never a provider URL', async () => {
    for (const username of ['ana', 'sue']) {
      const response = await get(await cookieOf(username), `/api/interactions/${ids.call}/recording`);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('audio/mpeg');
      expect(response.headers['cache-control']).toBe('private, no-store');
      expect(response.rawPayload.equals(FAKE_RECORDING_MP3)).toBe(true);
      expect(response.body).not.toContain('twilio');
    }
    const media = fake.requests.filter((r) => r.path.endsWith(`/Recordings/${refs.call}.mp3`));
    expect(media).toHaveLength(2);
    expect(plays()).toEqual([
      { actor: ids.ana, action: 'recording.play', entity: String(ids.call) },
      { actor: 3, action: 'recording.play', entity: String(ids.call) },
    ]);
  });

  it('passes a player’s Range on, so it can seek', async () => {
    const cookie = await cookieOf('ana');
    const response = await get(cookie, `/api/interactions/${ids.call}/recording`, { range: 'bytes=100-199' });
    expect(response.statusCode).toBe(206);
    expect(response.headers['content-range']).toBe(`bytes 100-199/${FAKE_RECORDING_MP3.length}`);
    expect(response.rawPayload.equals(FAKE_RECORDING_MP3.subarray(100, 200))).toBe(true);
    const outside = await get(cookie, `/api/interactions/${ids.call}/recording`, { range: 'bytes=999999-' });
    expect(outside.statusCode).toBe(416);
    expect(
      (await get(cookie, `/api/interactions/${ids.call}/recording`, { range: 'lines=1-2' })).statusCode,
    ).toBe(400);
    // Seeking is not a new listening.
    expect(plays()).toEqual([]);
  });

  it('answers 404 to another agent, as for audio that does not exist, and asks Twilio nothing', async () => {
    const ben = await cookieOf('ben');
    const refused = await get(ben, `/api/interactions/${ids.call}/recording`);
    const missing = await get(ben, '/api/interactions/999999/recording');
    expect(refused.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    expect(refused.json().message).toBe(`Interaction ${ids.call} has no recording you may hear`);
    expect(fake.requests).toEqual([]);
    expect((await get(ben, `/api/interactions/${ids.noRecording}/recording`)).statusCode).toBe(404);
    // The recording route does not serve a voicemail, nor the voicemail route a recording.
    const sue = await cookieOf('sue');
    expect((await get(sue, `/api/interactions/${ids.voicemail}/recording`)).statusCode).toBe(404);
    expect((await get(sue, `/api/interactions/${ids.call}/voicemail`)).statusCode).toBe(404);
    expect((await get('', `/api/interactions/${ids.call}/recording`)).statusCode).toBe(401);
    expect(plays()).toEqual([]);
  });

  it("plays a known customer's voicemail to any agent (a callback task), an unknown caller's to supervisors only", async () => {
    const ben = await cookieOf('ben');
    const voicemail = await get(ben, `/api/interactions/${ids.voicemail}/voicemail`);
    expect(voicemail.statusCode).toBe(200);
    expect(voicemail.headers['content-type']).toBe('audio/mpeg');
    expect(voicemail.rawPayload.equals(FAKE_RECORDING_MP3)).toBe(true);
    expect((await get(ben, `/api/interactions/${ids.unknownVoicemail}/voicemail`)).statusCode).toBe(404);
    const sue = await cookieOf('sue');
    expect((await get(sue, `/api/interactions/${ids.unknownVoicemail}/voicemail`)).statusCode).toBe(200);
    expect(plays()).toMatchObject([{ action: 'voicemail.play' }, { action: 'voicemail.play' }]);
  });

  it('answers 404 when Twilio no longer has the recording', async () => {
    fake.recordings.delete(refs.call);
    const response = await get(await cookieOf('sue'), `/api/interactions/${ids.call}/recording`);
    expect(response.statusCode).toBe(404);
    expect(plays()).toEqual([]);
  });

  it('answers 502 with a clear message, not a crash or a 500, when Twilio cannot be reached', async () => {
    await fake.close();
    fakeClosed = true;
    const response = await get(await cookieOf('sue'), `/api/interactions/${ids.call}/recording`);
    expect(response.statusCode).toBe(502);
    expect(response.json()).toEqual({
      statusCode: 502,
      error: 'Bad Gateway',
      message: 'The phone system did not answer; try again later',
      code: 'phone_system_unavailable',
    });
    expect(ctx.logs()).not.toContain(AUTH_TOKEN);
    expect(plays()).toEqual([]);
  });
});
