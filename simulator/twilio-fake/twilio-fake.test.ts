import Fastify, { type FastifyInstance } from 'fastify';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { twilioSignaturePlugin } from '../../server/telephony/twilio/twilio-signature.plugin.js';
import { startTwilioFake, type TwilioFake, type TwilioFakeOptions } from './index.js';

const ACCOUNT = `AC${'1'.repeat(32)}`;
const TOKEN = 'fake-auth-token';
const AUTH = `Basic ${Buffer.from(`${ACCOUNT}:${TOKEN}`).toString('base64')}`;

describe('twilio fake', () => {
  let fake: TwilioFake;
  const start = async (options: Partial<TwilioFakeOptions> = {}) => {
    fake = await startTwilioFake({ accountSid: ACCOUNT, authToken: TOKEN, ...options });
  };
  afterEach(() => fake.close());

  /** A raw request, as a client other than twilio-node would send it. */
  function send(method: string, path: string, form?: [string, string][], authorization = AUTH) {
    return fetch(`${fake.baseUrl}/2010-04-01/Accounts/${ACCOUNT}${path}`, {
      method,
      headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
      ...(form && { body: new URLSearchParams(form).toString() }),
    });
  }

  describe('REST', () => {
    beforeEach(() => start());

    it('refuses missing or wrong credentials with 401 and still records the request', async () => {
      const response = await send('GET', '/Conferences.json', undefined, 'Basic d3Jvbmc6d3Jvbmc=');
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ code: 20003, status: 401 });
      expect(fake.requests).toHaveLength(1);
    });

    it('answers an unknown SID with 404 and the RestException body', async () => {
      const response = await send('POST', `/Calls/CA${'0'.repeat(32)}.json`, [['Status', 'completed']]);
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({
        code: 20404,
        message: 'The requested resource was not found',
        more_info: 'https://www.twilio.com/docs/errors/20404',
        status: 404,
      });
    });

    it('answers 400 when a required parameter is missing', async () => {
      const noTo = await send('POST', '/Calls.json', [
        ['From', '+15550001111'],
        ['Url', 'https://x.example/a'],
      ]);
      expect(noTo.status).toBe(400);
      expect(await noTo.json()).toMatchObject({ status: 400, message: expect.stringContaining('To') });

      const noFrom = await send('POST', '/Conferences/room/Participants.json', [['To', '+15550002222']]);
      expect(noFrom.status).toBe(400);
      expect(fake.conferences.size).toBe(0);
    });

    it('creates calls, conferences and recordings with Twilio-shaped SIDs and keeps repeated keys', async () => {
      const created = await send('POST', '/Conferences/room-1/Participants.json', [
        ['From', '+15550001111'],
        ['To', 'sip:agent1@agents.example.com'],
        ['StatusCallbackEvent', 'initiated'],
        ['StatusCallbackEvent', 'answered'],
      ]);
      expect(created.status).toBe(201);
      const participant = (await created.json()) as { call_sid: string; conference_sid: string };
      expect(participant.call_sid).toMatch(/^CA[0-9a-f]{32}$/);
      expect(participant.conference_sid).toMatch(/^CF[0-9a-f]{32}$/);
      expect(fake.requests[0]?.form.StatusCallbackEvent).toEqual(['initiated', 'answered']);
      expect(fake.calls.get(participant.call_sid)?.statusCallbackEvents).toEqual(['initiated', 'answered']);

      fake.answer(participant.call_sid);
      const recording = await send('POST', `/Calls/${participant.call_sid}/Recordings.json`, []);
      expect(recording.status).toBe(201);
      expect(((await recording.json()) as { sid: string }).sid).toMatch(/^RE[0-9a-f]{32}$/);

      const noStatus = await send(
        'POST',
        `/Calls/${participant.call_sid}/Recordings/Twilio.CURRENT.json`,
        [],
      );
      expect(noStatus.status).toBe(400);
    });

    it('addresses participants by conference SID only, as Twilio does outside create', async () => {
      const caller = fake.arrive({ from: '+15551230000', to: '+15559870000', conferenceName: 'room-2' });
      const byName = await send('GET', `/Conferences/room-2/Participants/${caller.sid}.json`);
      expect(byName.status).toBe(404);
      const conferenceSid = caller.conferenceSid!;
      const bySid = await send('GET', `/Conferences/${conferenceSid}/Participants/${caller.sid}.json`);
      expect(bySid.status).toBe(200);
    });
  });

  describe('status callbacks', () => {
    let app: FastifyInstance | undefined;
    let received: Record<string, string>[];

    /** Our webhook scope, guarded by the real signature check. */
    async function webhookApp(publicBaseUrl: string) {
      const instance = Fastify({ logger: false });
      await instance.register(
        async (scope) => {
          await scope.register(twilioSignaturePlugin, {
            authToken: TOKEN,
            publicBaseUrl: new URL(publicBaseUrl),
          });
          scope.post('/call-status', async (request, reply) => {
            received.push(request.body as Record<string, string>);
            return reply.code(204).send();
          });
        },
        { prefix: '/twilio' },
      );
      return instance;
    }

    beforeEach(() => {
      received = [];
    });
    afterEach(async () => {
      await app?.close();
      app = undefined;
    });

    it('posts signed callbacks for the subscribed events, numbered per call', async () => {
      const webhooks = await webhookApp('https://cti.example.com');
      app = webhooks;
      await start({
        statusCallbacks: true,
        // The public URL is not reachable here; hand the request to the app as a proxy would.
        deliver: async ({ url, headers, body }) => {
          const { pathname, search } = new URL(url);
          return (await webhooks.inject({ method: 'POST', url: pathname + search, headers, payload: body }))
            .statusCode;
        },
      });
      const created = await send('POST', '/Conferences/room-3/Participants.json', [
        ['From', '+15550001111'],
        ['To', 'sip:agent1@agents.example.com'],
        ['StatusCallback', 'https://cti.example.com/twilio/call-status?interactionId=5&leg=agent'],
        ['StatusCallbackEvent', 'initiated'],
        ['StatusCallbackEvent', 'ringing'],
        ['StatusCallbackEvent', 'answered'],
        ['StatusCallbackEvent', 'completed'],
      ]);
      const { call_sid: callSid } = (await created.json()) as { call_sid: string };
      fake.answer(callSid);
      fake.endCall(callSid);
      await fake.settled();

      expect(fake.deliveries.map((d) => d.result)).toEqual(Array(4).fill({ status: 204 }));
      expect(received.map((p) => [p.SequenceNumber, p.CallStatus])).toEqual([
        ['0', 'queued'],
        ['1', 'ringing'],
        ['2', 'in-progress'],
        ['3', 'completed'],
      ]);
      expect(received[3]).toMatchObject({
        CallSid: callSid,
        AccountSid: ACCOUNT,
        CallbackSource: 'call-progress-events',
      });
      expect(new Set(fake.deliveries.map((d) => d.headers['i-twilio-idempotency-token'])).size).toBe(4);
    });

    it('sends only `completed` when no events were asked for, over real HTTP by default', async () => {
      const posted: { url: string; valid: boolean; params: Record<string, string> }[] = [];
      let origin = '';
      const receiver = createServer((request, response) => {
        let body = '';
        request.on('data', (chunk: Buffer) => (body += chunk.toString()));
        request.on('end', () => {
          const url = `${origin}${request.url}`;
          const params = Object.fromEntries(new URLSearchParams(body));
          const signature = String(request.headers['x-twilio-signature']);
          posted.push({ url, valid: twilio.validateRequest(TOKEN, signature, url, params), params });
          response.writeHead(204).end();
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      origin = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
      try {
        await start({ statusCallbacks: true });
        const created = await send('POST', '/Calls.json', [
          ['From', '+15550001111'],
          ['To', '+15550002222'],
          ['Url', `${origin}/twilio/voice`],
          ['StatusCallback', `${origin}/twilio/call-status`],
        ]);
        const { sid } = (await created.json()) as { sid: string };
        fake.answer(sid);
        fake.endCall(sid);
        await fake.settled();

        expect(posted).toEqual([
          {
            url: `${origin}/twilio/call-status`,
            valid: true,
            params: expect.objectContaining({ CallStatus: 'completed' }),
          },
        ]);
        expect(fake.deliveries[0]?.result).toEqual({ status: 204 });
      } finally {
        receiver.close();
      }
    });

    /** A receiver that records what arrives, in arrival order, answering after `delayMs`. */
    function recorder(delayMs = 0) {
      const got: { url: string; params: Record<string, string>; token: string }[] = [];
      const deliver: TwilioFakeOptions['deliver'] = async ({ url, headers, body }) => {
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        got.push({
          url,
          params: Object.fromEntries(new URLSearchParams(body)),
          token: headers['i-twilio-idempotency-token'] ?? '',
        });
        return 204;
      };
      return { got, deliver };
    }

    const CALLBACK = 'https://cti.example.com/twilio/call-status?interactionId=9&leg=agent';
    const agentLeg = async (conference = 'room-9') => {
      const created = await send('POST', `/Conferences/${conference}/Participants.json`, [
        ['From', '+15550001111'],
        ['To', 'sip:agent2@cti.local'],
        ['EndConferenceOnExit', 'true'],
        ['StatusCallback', CALLBACK],
        ['StatusCallbackEvent', 'initiated ringing answered completed'],
      ]);
      return ((await created.json()) as { call_sid: string }).call_sid;
    };

    it('answers the legs it is asked to place by itself, after the configured delay', async () => {
      const { got, deliver } = recorder();
      await start({ statusCallbacks: true, autoAnswer: { afterMs: 30 }, deliver });
      const caller = fake.arrive({
        from: '+15551230000',
        to: '+15559870000',
        conferenceName: 'room-9',
        statusCallback: 'https://cti.example.com/twilio/call-status',
      });
      const callSid = await agentLeg();
      expect(fake.calls.get(callSid)?.status).toBe('queued');
      await vi.waitFor(() => expect(fake.calls.get(callSid)?.status).toBe('in-progress'));
      const conference = fake.conferences.get(caller.conferenceSid!)!;
      expect(conference.status).toBe('in-progress');

      // The caller hangs up: their number's callback, then the conference ends and takes the leg.
      fake.endCall(caller.sid);
      await fake.settled();
      expect(
        got.map((g) => [g.params.CallSid === caller.sid ? 'caller' : 'agent', g.params.CallStatus]),
      ).toEqual([
        ['agent', 'queued'],
        ['agent', 'ringing'],
        ['agent', 'in-progress'],
        ['caller', 'completed'],
        ['agent', 'completed'],
      ]);
      expect(got.find((g) => g.params.CallSid === caller.sid)).toMatchObject({
        url: 'https://cti.example.com/twilio/call-status',
        params: { Direction: 'inbound', SequenceNumber: '0', CallbackSource: 'call-progress-events' },
      });
    });

    it('lets a leg ring out or be busy when autoAnswer decides so', async () => {
      await start({ statusCallbacks: true, autoAnswer: { afterMs: 10, decide: () => 'no-answer' } });
      const callSid = await agentLeg();
      await vi.waitFor(() => expect(fake.calls.get(callSid)?.status).toBe('no-answer'));
    });

    it('delivers a call’s callbacks one at a time, in order, even to a slow receiver', async () => {
      const { got, deliver } = recorder(20);
      await start({ statusCallbacks: true, deliver });
      const callSid = await agentLeg();
      fake.answer(callSid);
      fake.endCall(callSid);
      await fake.settled(callSid);
      expect(got.map((g) => g.params.SequenceNumber)).toEqual(['0', '1', '2', '3']);
    });

    it('retries with the same idempotency token when told', async () => {
      const { got, deliver } = recorder();
      await start({ statusCallbacks: true, deliver, delivery: { duplicate: 1 } });
      await agentLeg();
      await fake.settled();
      expect(got).toHaveLength(2);
      expect(got[0]?.token).toBe(got[1]?.token);
      expect(fake.deliveries.map((d) => d.retry)).toEqual([false, true]);
    });

    it('delivers a held-back callback after the call’s later ones', async () => {
      const { got, deliver } = recorder();
      const draws = [0, 0.9, 0.9];
      await start({
        statusCallbacks: true,
        deliver,
        delivery: { reorder: 0.5, lateMs: 50 },
        random: () => draws.shift() ?? 0.9,
      });
      const callSid = await agentLeg();
      fake.answer(callSid);
      await fake.settled();
      expect(got.map((g) => g.params.CallStatus)).toEqual(['ringing', 'in-progress', 'queued']);
      expect(fake.deliveries.map((d) => d.late)).toEqual([false, false, true]);
    });

    it('reports conference events and recordings to their status callbacks', async () => {
      const { got, deliver } = recorder();
      await start({ statusCallbacks: true, conferenceCallbacks: true, deliver });
      const caller = fake.arrive({ from: '+15551230000', to: '+15559870000' });
      fake.joinConference(caller.sid, 'room-7', {
        startConferenceOnEnter: false,
        endConferenceOnExit: true,
        statusCallback: 'https://cti.example.com/twilio/conference-status?interactionId=7',
        statusCallbackEvents: ['start', 'end', 'join', 'leave'],
      });
      // Joining the conference it is in changes nothing.
      fake.joinConference(caller.sid, 'room-7');
      const callSid = await agentLeg('room-7');
      fake.answer(callSid);
      const recording = await send('POST', `/Calls/${caller.sid}/Recordings.json`, [
        ['RecordingStatusCallback', 'https://cti.example.com/twilio/recording-status?interactionId=7'],
        ['RecordingStatusCallbackEvent', 'in-progress'],
        ['RecordingStatusCallbackEvent', 'completed'],
      ]);
      expect(recording.status).toBe(201);
      fake.endCall(callSid);
      await fake.settled();

      const conferenceEvents = got.filter((g) => g.url.includes('conference-status'));
      expect(conferenceEvents.map((g) => [g.params.StatusCallbackEvent, g.params.CallSid])).toEqual([
        ['participant-join', caller.sid],
        ['participant-join', callSid],
        ['conference-start', undefined],
        ['participant-leave', callSid],
        ['participant-leave', caller.sid],
        ['conference-end', undefined],
      ]);
      expect(conferenceEvents.at(-1)?.params).toMatchObject({
        ReasonConferenceEnded: 'participant-with-end-conference-on-exit-left',
        CallSidEndingConference: callSid,
      });
      expect(
        got.filter((g) => g.url.includes('recording-status')).map((g) => g.params.RecordingStatus),
      ).toEqual(['in-progress', 'completed']);
      expect(fake.calls.get(caller.sid)?.status).toBe('completed');
    });

    it('keeps a caller whose <Dial> has an action when the agent leaves: Twilio would ask the action next', async () => {
      await start();
      const caller = fake.arrive({ from: '+15551230000', to: '+15559870000' });
      const action = 'https://cti.example.com/twilio/survey-start?interactionId=3&amp;x=1';
      await send('POST', `/Calls/${caller.sid}.json`, [
        [
          'Twiml',
          `<Response><Dial action="${action}" method="POST"><Conference startConferenceOnEnter="false" endConferenceOnExit="true">room-3</Conference></Dial></Response>`,
        ],
      ]);
      const events: string[] = [];
      fake.on((event) => events.push(event.type));
      const callSid = await agentLeg('room-3');
      fake.answer(callSid);
      fake.endCall(callSid);
      expect(fake.calls.get(caller.sid)).toMatchObject({
        status: 'in-progress',
        conferenceSid: null,
        pendingDialAction: 'https://cti.example.com/twilio/survey-start?interactionId=3&x=1',
      });
      expect(events.at(-1)).toBe('dial-ended');
    });

    it('tells listeners what happens to calls and conferences, and can listen on a fixed port', async () => {
      const probe = await startTwilioFake({ accountSid: ACCOUNT, authToken: TOKEN });
      const port = Number(new URL(probe.baseUrl).port);
      await probe.close();
      await start({ port });
      expect(fake.baseUrl).toBe(`http://127.0.0.1:${port}`);

      const events: string[] = [];
      const stop = fake.on((event) => events.push(event.type));
      const caller = fake.arrive({ from: '+15551230000', to: '+15559870000', conferenceName: 'room-5' });
      const callSid = await agentLeg('room-5');
      fake.answer(callSid);
      await send('POST', `/Calls/${caller.sid}.json`, [['Twiml', '<Response><Say>bye</Say></Response>']]);
      stop();
      fake.endCall(caller.sid);
      expect(events).toEqual([
        'participant-connected',
        'call-status',
        'call-status',
        'participant-connected',
        'participant-left',
        'participant-left',
        'conference-ended',
        'call-status',
        'call-redirected',
      ]);
    });
  });
});
