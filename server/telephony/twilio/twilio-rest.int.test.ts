import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { twilioContractViolations } from '../../testing/twilio-contract.js';
import { startTwilioFake, type TwilioFake } from '../../../simulator/twilio-fake/index.js';
import {
  TelephonyCommandError,
  conferenceNameOf,
  type CallTarget,
  type TelephonyCommands,
} from '../telephony.port.js';
import { createTwilioClient, createTwilioCommands } from './twilio-rest.js';

const PUBLIC_BASE = 'https://cti.example.com';
const CALLER_ID = '+15550001111';
const HOLD_MUSIC = 'https://cti.example.com/music/hold.mp3';
const SID = /^CA[0-9a-f]{32}$/;

describe('Twilio commands through the official client', () => {
  const accountSid = `AC${randomBytes(16).toString('hex')}`;
  const authToken = randomBytes(16).toString('hex');
  const accountPath = `/2010-04-01/Accounts/${accountSid}`;
  let fake: TwilioFake;
  let commands: TelephonyCommands;

  beforeEach(async () => {
    fake = await startTwilioFake({ accountSid, authToken });
    commands = commandsWith(authToken);
  });
  afterEach(async () => {
    // Every request the official client sent on our behalf is one Twilio documents.
    expect(fake.requests.flatMap(twilioContractViolations)).toEqual([]);
    await fake.close();
  });

  function commandsWith(token: string): TelephonyCommands {
    return createTwilioCommands({
      client: createTwilioClient({ accountSid, authToken: token, apiBaseUrl: new URL(fake.baseUrl) }),
      publicBaseUrl: new URL(PUBLIC_BASE),
      callerId: CALLER_ID,
      holdMusicUrl: HOLD_MUSIC,
    });
  }

  /** A caller waiting in Interaction 42's conference, as the waiting-room TwiML leaves them. */
  function waitingCaller(interactionId = 42): CallTarget {
    const conferenceName = conferenceNameOf(interactionId);
    const call = fake.arrive({ from: '+15551230000', to: '+15559870000', conferenceName });
    return { interactionId, provider: 'twilio', providerCallId: call.sid, conferenceName };
  }

  /** The caller with an Agent who answered. */
  async function connectedCall() {
    const target = waitingCaller();
    const agentLeg = await commands.connectAgent({
      ...target,
      agent: { sipAddress: 'sip:agent7@agents.example.com' },
    });
    fake.answer(agentLeg.providerCallId);
    return { target, agentLeg };
  }

  const conferenceOf = (name: string) => [...fake.conferences.values()].find((c) => c.friendlyName === name)!;
  const lastRequest = () => fake.requests.at(-1)!;

  it('connects an Agent as a conference participant dialled at their SIP address', async () => {
    const target = waitingCaller();
    const placed = await commands.connectAgent({
      ...target,
      agent: { sipAddress: 'sip:agent7@agents.example.com' },
    });

    expect(placed.providerCallId).toMatch(SID);
    const request = lastRequest();
    expect(request.method).toBe('POST');
    expect(request.path).toBe(`${accountPath}/Conferences/interaction-42/Participants.json`);
    expect(request.form).toEqual({
      From: CALLER_ID,
      To: 'sip:agent7@agents.example.com?X-CTI-Interaction=42',
      Timeout: '20',
      StartConferenceOnEnter: 'true',
      EndConferenceOnExit: 'true',
      Beep: 'false',
      StatusCallback: `${PUBLIC_BASE}/twilio/call-status?interactionId=42&leg=agent`,
      StatusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
      ConferenceStatusCallback: `${PUBLIC_BASE}/twilio/conference-status?interactionId=42`,
      ConferenceStatusCallbackEvent: ['start', 'end', 'join', 'leave', 'hold'],
    });
    expect(request.headers.authorization).toBe(
      `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`,
    );
    expect(request.headers['user-agent']).toMatch(/^twilio-node\//);

    const conference = conferenceOf(target.conferenceName);
    expect(conference.status).toBe('init');
    expect([...conference.participants.keys()]).toEqual([target.providerCallId, placed.providerCallId]);
    expect(fake.calls.get(placed.providerCallId)).toMatchObject({
      to: 'sip:agent7@agents.example.com?X-CTI-Interaction=42',
      status: 'queued',
    });

    fake.answer(placed.providerCallId);
    expect(conference.status).toBe('in-progress');
  });

  it('dials an Agent without a softphone at their phone number, for as long as asked', async () => {
    const target = waitingCaller();
    await commands.connectAgent({
      ...target,
      agent: { phoneNumber: '+15557654321' },
      ringTimeoutSeconds: 15,
    });
    expect(lastRequest().form).toMatchObject({ To: '+15557654321', Timeout: '15' });
  });

  it('holds and resumes the caller, finding the conference by name', async () => {
    const { target } = await connectedCall();
    const conference = conferenceOf(target.conferenceName);
    const before = fake.requests.length;

    await commands.hold(target);
    const [lookup, update] = fake.requests.slice(before);
    expect(lookup).toMatchObject({
      method: 'GET',
      path: `${accountPath}/Conferences.json`,
      query: { FriendlyName: 'interaction-42', Status: 'in-progress', PageSize: '1' },
    });
    expect(update).toMatchObject({
      method: 'POST',
      path: `${accountPath}/Conferences/${conference.sid}/Participants/${target.providerCallId}.json`,
      form: { Hold: 'true', HoldUrl: HOLD_MUSIC },
    });
    expect(conference.participants.get(target.providerCallId)).toMatchObject({
      hold: true,
      holdUrl: HOLD_MUSIC,
    });

    await commands.resume(target);
    expect(lastRequest().form).toEqual({ Hold: 'false' });
    expect(conference.participants.get(target.providerCallId)).toMatchObject({ hold: false });
  });

  it('hangs up the caller, which ends the conference and the Agent leg', async () => {
    const { target, agentLeg } = await connectedCall();
    await commands.hangUp(target);

    expect(lastRequest()).toMatchObject({
      method: 'POST',
      path: `${accountPath}/Calls/${target.providerCallId}.json`,
      form: { Status: 'completed' },
    });
    expect(fake.calls.get(target.providerCallId)?.status).toBe('completed');
    expect(fake.calls.get(agentLeg.providerCallId)?.status).toBe('completed');
    expect(conferenceOf(target.conferenceName).status).toBe('completed');
  });

  it('transfers blind to a number: dials it in, then releases and removes the Agent', async () => {
    const { target, agentLeg } = await connectedCall();
    const conference = conferenceOf(target.conferenceName);
    const before = fake.requests.length;

    const placed = await commands.transfer({
      ...target,
      to: { kind: 'number', phoneNumber: '+15558889999' },
      mode: 'blind',
    });

    expect(placed?.providerCallId).toMatch(SID);
    const agentPath = `${accountPath}/Conferences/${conference.sid}/Participants/${agentLeg.providerCallId}.json`;
    expect(fake.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET ${accountPath}/Conferences.json`,
      `POST ${accountPath}/Conferences/interaction-42/Participants.json`,
      `GET ${accountPath}/Conferences/${conference.sid}/Participants.json`,
      `POST ${agentPath}`,
      `DELETE ${agentPath}`,
    ]);
    expect(fake.requests.at(-2)?.form).toEqual({ EndConferenceOnExit: 'false' });
    expect(fake.calls.get(agentLeg.providerCallId)?.status).toBe('completed');
    expect(conference.status).toBe('in-progress');
    expect([...conference.participants.keys()]).toEqual([target.providerCallId, placed?.providerCallId]);
    expect(conference.participants.get(placed!.providerCallId)?.endConferenceOnExit).toBe(false);
  });

  it('transfers warm: the caller waits on hold and the Agent can leave without ending the Call', async () => {
    const { target, agentLeg } = await connectedCall();
    const conference = conferenceOf(target.conferenceName);

    const placed = await commands.transfer({
      ...target,
      to: {
        kind: 'agent',
        agentId: 9,
        agent: { sipAddress: 'sip:agent9@agents.example.com' },
        interactionId: 43,
      },
      mode: 'warm',
    });

    // The consulted Agent's softphone gets their own part of the call, not the parent's.
    expect(fake.calls.get(placed!.providerCallId)?.to).toBe(
      'sip:agent9@agents.example.com?X-CTI-Interaction=43',
    );
    expect(conference.participants.get(target.providerCallId)?.hold).toBe(true);
    expect(conference.participants.get(agentLeg.providerCallId)?.endConferenceOnExit).toBe(false);

    fake.answer(placed!.providerCallId);
    await commands.resume(target);
    fake.endCall(agentLeg.providerCallId);
    expect(conference.status).toBe('in-progress');
    expect([...conference.participants.keys()]).toEqual([target.providerCallId, placed!.providerCallId]);
  });

  it('transfers to a CallQueue by moving the caller to a new waiting room', async () => {
    const { target, agentLeg } = await connectedCall();
    const next = conferenceNameOf(43);

    const placed = await commands.transfer({
      ...target,
      to: { kind: 'queue', callQueueId: 3, interactionId: 43, conferenceName: next },
      mode: 'blind',
    });

    expect(placed).toBeNull();
    const twiml = String(lastRequest().form.Twiml);
    expect(twiml).toContain('startConferenceOnEnter="false"');
    expect(twiml).toContain('endConferenceOnExit="true"');
    expect(twiml).toContain('>interaction-43</Conference>');
    expect(conferenceOf(target.conferenceName).status).toBe('completed');
    expect(fake.calls.get(agentLeg.providerCallId)?.status).toBe('completed');
    expect(fake.calls.get(target.providerCallId)?.status).toBe('in-progress');
    expect([...conferenceOf(next).participants.keys()]).toEqual([target.providerCallId]);

    await expect(
      commands.transfer({
        ...target,
        to: { kind: 'queue', callQueueId: 3, interactionId: 43, conferenceName: next },
        mode: 'warm',
      }),
    ).rejects.toMatchObject({ failure: 'unsupported' });
  });

  it('starts, pauses and resumes a dual-channel recording of the caller', async () => {
    const { target } = await connectedCall();

    const { recordingRef } = await commands.startRecording(target);
    expect(recordingRef).toMatch(/^RE[0-9a-f]{32}$/);
    expect(lastRequest()).toMatchObject({
      path: `${accountPath}/Calls/${target.providerCallId}/Recordings.json`,
      form: {
        RecordingChannels: 'dual',
        RecordingStatusCallback: `${PUBLIC_BASE}/twilio/recording-status?interactionId=42`,
        RecordingStatusCallbackEvent: ['in-progress', 'completed', 'absent'],
      },
    });

    await commands.pauseRecording(target);
    expect(lastRequest()).toMatchObject({
      path: `${accountPath}/Calls/${target.providerCallId}/Recordings/Twilio.CURRENT.json`,
      form: { Status: 'paused' },
    });
    expect(fake.recordings.get(recordingRef)?.status).toBe('paused');

    await commands.resumeRecording(target);
    expect(fake.recordings.get(recordingRef)?.status).toBe('in-progress');

    await commands.stopRecording(target);
    expect(lastRequest()).toMatchObject({ form: { Status: 'stopped' } });
    expect(fake.recordings.get(recordingRef)?.status).toBe('stopped');
  });

  it("surfaces Twilio's 404 for an unknown call as a typed error keeping the RestException", async () => {
    const unknown: CallTarget = {
      interactionId: 7,
      provider: 'twilio',
      providerCallId: `CA${'0'.repeat(32)}`,
      conferenceName: conferenceNameOf(7),
    };
    const error = await commands.hangUp(unknown).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TelephonyCommandError);
    expect(error).toMatchObject({ failure: 'not_found', provider: 'twilio' });
    const cause = (error as TelephonyCommandError).cause;
    expect(cause).toBeInstanceOf(twilio.RestException);
    expect(cause).toMatchObject({ status: 404, code: 20404 });
    expect((error as Error).message).toMatch(/hangUp: Twilio answered 404 \(error 20404\)/);
  });

  it('reports a conference that is not in progress as not found', async () => {
    const target = waitingCaller();
    await expect(commands.hold(target)).rejects.toMatchObject({ failure: 'not_found' });
  });

  it('is refused with 401 when the auth token is wrong', async () => {
    const target = waitingCaller();
    const error = await commandsWith('wrong-token')
      .hangUp(target)
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ failure: 'unauthorized', cause: { status: 401, code: 20003 } });
    expect(fake.calls.get(target.providerCallId)?.status).toBe('in-progress');
  });
});
