import Fastify, { type FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  FLOWS_DIR,
  flowForNumber,
  initialState,
  loadFlows,
  step,
  type FlowCatalog,
  type IvrState,
  type StepResult,
} from '../../ivr/index.js';
import { conferenceNameOf, type TelephonyCommands } from '../../server/telephony/index.js';
import { createTwilioClient, createTwilioCommands } from '../../server/telephony/twilio/twilio-rest.js';
import { twilioSignaturePlugin } from '../../server/telephony/twilio/twilio-signature.plugin.js';
import { waitingRoomTwiml } from '../../server/telephony/twilio/waiting-room.twiml.js';
import { startTwilioFake, type TwilioFake, type TwilioFakeOptions } from '../twilio-fake/index.js';
import { createCallerEngine, deliverVia, type CallerEngine, type CallerScript } from './caller-engine.js';
import { navigateFlow } from './ivr-navigator.js';

/**
 * The caller engine against a stub of the server's Twilio side: the real signature check, the real
 * IVR engine walking the shipped flows, the real waiting-room TwiML and REST adapter. The stub's
 * "ACD" connects an Agent as soon as a caller waits, when the test says one is free.
 */

const ACCOUNT = `AC${randomBytes(16).toString('hex')}`;
const TOKEN = randomBytes(16).toString('hex');
const PUBLIC = 'https://cti.example.com';
const MAIN_LINE = '+14155550100';
const KNOWN = '+14155557777';
/** A Wednesday at 11:00 in New York: the default flow's office is open. */
const OPEN = new Date('2026-11-18T16:00:00Z');

interface Received {
  path: string;
  query: Record<string, string>;
  body: Record<string, string>;
  token: string | undefined;
}

describe('caller engine', () => {
  let catalog: FlowCatalog;
  let server: FastifyInstance;
  let serverUrl: string;
  let fake: TwilioFake;
  let engine: CallerEngine;
  let commands: TelephonyCommands;
  let received: Received[];
  let agentFree: boolean;
  let failVoice: boolean;
  /** A caller's interaction, the stub's stand-in for the server's records. */
  let interactions: Map<string, { id: number; state: IvrState }>;
  let placedLegs: string[];
  /** The stub's clock for business hours. */
  let now: Date;

  async function start(fakeOptions: Partial<TwilioFakeOptions> = {}) {
    fake = await startTwilioFake({
      accountSid: ACCOUNT,
      authToken: TOKEN,
      statusCallbacks: true,
      conferenceCallbacks: true,
      autoAnswer: { afterMs: 20 },
      deliver: deliverVia(serverUrl, PUBLIC),
      ...fakeOptions,
    });
    commands = createTwilioCommands({
      client: createTwilioClient({
        accountSid: ACCOUNT,
        authToken: TOKEN,
        apiBaseUrl: new URL(fake.baseUrl),
      }),
      publicBaseUrl: new URL(PUBLIC),
      callerId: MAIN_LINE,
    });
    engine = createCallerEngine({
      serverBaseUrl: serverUrl,
      publicBaseUrl: PUBLIC,
      accountSid: ACCOUNT,
      authToken: TOKEN,
      fake,
      numbers: { to: MAIN_LINE, from: () => KNOWN },
      behaviour: { timeScale: 0.001 },
    });
  }

  beforeEach(async () => {
    catalog ??= await loadFlows(FLOWS_DIR);
    received = [];
    agentFree = true;
    failVoice = false;
    interactions = new Map();
    placedLegs = [];
    now = OPEN;
    server = Fastify({ logger: false });
    await server.register(
      async (scope) => {
        await scope.register(twilioSignaturePlugin, { authToken: TOKEN, publicBaseUrl: new URL(PUBLIC) });
        scope.addHook('preHandler', async (request) => {
          received.push({
            path: request.routeOptions.url ?? '',
            query: request.query as Record<string, string>,
            body: request.body as Record<string, string>,
            token: request.headers['i-twilio-idempotency-token'] as string | undefined,
          });
        });
        const twiml = (result: StepResult) => result.twiml ?? '';
        const ivr = (callSid: string, input: Record<string, string>, node?: string) => {
          const interaction = interactions.get(callSid)!;
          const flow = flowForNumber(catalog, input.To ?? MAIN_LINE);
          if (interaction.state.awaiting.kind === 'finished') return null;
          if (node !== undefined && node !== interaction.state.nodeId) throw new Error(`stale node ${node}`);
          const context = {
            now,
            callerNumber: input.From ?? '',
            actionUrl: (id: string) => `${PUBLIC}/twilio/ivr?node=${id}`,
            recordingCallbackUrl: `${PUBLIC}/twilio/recording-status?interactionId=${interaction.id}`,
          };
          let result = step(flow, interaction.state, input, context);
          while (result.effect) {
            const known = result.effect.kind === 'identify_by_number' && result.effect.number === KNOWN;
            result = step(flow, result.state, { identified: known ? { customerId: 1 } : null }, context);
          }
          interaction.state = result.state;
          return twiml(result);
        };
        scope.post('/voice', async (request, reply) => {
          if (failVoice) return reply.code(500).send('boom');
          const body = request.body as Record<string, string>;
          const callSid = body.CallSid!;
          if (!interactions.has(callSid)) {
            interactions.set(callSid, {
              id: interactions.size + 1,
              state: initialState(flowForNumber(catalog, body.To!)),
            });
          }
          return reply.type('text/xml').send(ivr(callSid, body));
        });
        scope.post('/ivr', async (request, reply) => {
          const body = request.body as Record<string, string>;
          const { node } = request.query as { node: string };
          const interaction = interactions.get(body.CallSid!)!;
          const next = ivr(body.CallSid!, body, node);
          if (next !== null) return reply.type('text/xml').send(next);
          // The IVR is over: the "ACD" parks the caller and, with an Agent free, rings them.
          const conferenceName = conferenceNameOf(interaction.id);
          if (agentFree) {
            setTimeout(() => {
              void commands
                .connectAgent({
                  interactionId: interaction.id,
                  provider: 'twilio',
                  providerCallId: body.CallSid!,
                  conferenceName,
                  agent: { sipAddress: 'sip:agent2@cti.local' },
                })
                .then((leg) => placedLegs.push(leg.providerCallId));
            }, 30);
          }
          return reply.type('text/xml').send(
            waitingRoomTwiml({
              interactionId: interaction.id,
              conferenceName,
              publicBaseUrl: new URL(PUBLIC),
            }),
          );
        });
        for (const path of ['/call-status', '/conference-status', '/recording-status']) {
          scope.post(path, async (_request, reply) => reply.code(204).send());
        }
      },
      { prefix: '/twilio' },
    );
    await server.listen({ port: 0, host: '127.0.0.1' });
    serverUrl = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    await engine?.close();
    await fake?.close();
    await server.close();
  });

  const navigate = (department: string): CallerScript['input'] =>
    navigateFlow(flowForNumber(catalog, MAIN_LINE), { menus: { department } });
  const callStatuses = (callSid: string) =>
    received.filter((r) => r.path === '/twilio/call-status' && r.body.CallSid === callSid).map((r) => r.body);

  it('walks the IVR by its prompts, waits in the conference, talks to the agent and hangs up', async () => {
    await start();
    const transcript = await engine.placeCall({
      script: { input: navigate('billing'), talkSeconds: 30, patienceSeconds: 3000 },
    });

    expect(transcript.errors).toEqual([]);
    expect(transcript.outcome).toBe('answered');
    expect(transcript.endReason).toBe('caller hung up after talking');
    expect(transcript.inputs.map((i) => i.input)).toEqual(['1', '3']);
    expect(transcript.verbs).toEqual(expect.arrayContaining(['Say', 'Gather', 'Redirect', 'Dial']));
    expect(transcript.conferences).toEqual(['interaction-1']);
    expect(interactions.get(transcript.callSid)?.state.answers).toMatchObject({
      language: 'en-US',
      identifiedBy: 'caller_number',
      department: 'billing',
      queue: 'Billing',
    });

    // Every webhook was signed for the public URL and passed the real check (403 otherwise).
    expect(transcript.webhooks.every((w) => w.status === 200)).toBe(true);
    const voice = received.find((r) => r.path === '/twilio/voice')!;
    expect(voice.body).toMatchObject({
      CallSid: transcript.callSid,
      AccountSid: ACCOUNT,
      From: KNOWN,
      To: MAIN_LINE,
      Caller: KNOWN,
      Called: MAIN_LINE,
      CallStatus: 'ringing',
      Direction: 'inbound',
      ApiVersion: '2010-04-01',
    });
    expect(transcript.callSid).toMatch(/^CA[0-9a-f]{32}$/);

    // The agent leg rang, answered, and ended with the conference when the caller hung up.
    await fake.settled();
    const [agentLeg] = placedLegs;
    expect(callStatuses(agentLeg!).map((p) => [p.SequenceNumber, p.CallStatus])).toEqual([
      ['0', 'queued'],
      ['1', 'ringing'],
      ['2', 'in-progress'],
      ['3', 'completed'],
    ]);
    expect(received.find((r) => r.body.CallSid === agentLeg)?.query).toEqual({
      interactionId: '1',
      leg: 'agent',
    });
    const [hangUp] = callStatuses(transcript.callSid);
    expect(hangUp).toMatchObject({
      CallStatus: 'completed',
      CallbackSource: 'call-progress-events',
      SequenceNumber: '0',
      Direction: 'inbound',
    });
    expect(Number(hangUp?.CallDuration)).toBeGreaterThanOrEqual(0);
    expect(fake.calls.get(agentLeg!)?.status).toBe('completed');

    // The conference reported its life to the waiting room's status callback.
    await fake.settled();
    const conferenceEvents = received
      .filter((r) => r.path === '/twilio/conference-status')
      .map((r) => r.body.StatusCallbackEvent);
    expect(conferenceEvents).toEqual([
      'participant-join',
      'participant-join',
      'conference-start',
      'participant-leave',
      'participant-leave',
      'conference-end',
    ]);
  });

  it('abandons after its patience when no agent joins', async () => {
    await start();
    agentFree = false;
    const transcript = await engine.placeCall({
      script: { input: navigate('support'), patienceSeconds: 40 },
    });
    expect(transcript.outcome).toBe('abandoned');
    expect(transcript.endReason).toBe('caller gave up waiting for an agent');
    expect(transcript.waitedSeconds).toBeGreaterThan(30);
    expect(callStatuses(transcript.callSid)).toEqual([
      expect.objectContaining({ CallStatus: 'completed', SequenceNumber: '0' }),
    ]);
  });

  it('lets the server end a connected call and reports it as ended by the server', async () => {
    await start();
    // Patience well past the stub's answer, so a slow first run in a loaded process is not an abandon.
    const placed = engine.placeCall({
      script: { input: navigate('sales'), hangsUp: 'agent', patienceSeconds: 3000 },
    });
    await until(() => fake.calls.get(placedLegs[0] ?? '')?.status === 'in-progress');
    const callSid = [...interactions.keys()][0]!;
    await commands.hangUp({
      interactionId: 1,
      provider: 'twilio',
      providerCallId: callSid,
      conferenceName: conferenceNameOf(1),
    });
    const transcript = await placed;
    expect(transcript.outcome).toBe('answered');
    expect(transcript.endReason).toBe('server ended the call (completed)');
  });

  it('follows the server moving the caller to another conference (a transfer to a queue)', async () => {
    await start();
    agentFree = false;
    const placed = engine.placeCall({ script: { input: navigate('sales'), patienceSeconds: 3000 } });
    await until(() => [...fake.conferences.values()].some((c) => c.friendlyName === 'interaction-1'));
    const callSid = [...interactions.keys()][0]!;
    await commands.transfer({
      interactionId: 1,
      provider: 'twilio',
      providerCallId: callSid,
      conferenceName: conferenceNameOf(1),
      to: { kind: 'queue', callQueueId: 2, interactionId: 2, conferenceName: conferenceNameOf(2) },
      mode: 'blind',
    });
    const leg = await commands.connectAgent({
      interactionId: 1,
      provider: 'twilio',
      providerCallId: callSid,
      conferenceName: conferenceNameOf(2),
      agent: { phoneNumber: '+14155550999' },
    });
    const transcript = await placed;
    expect(transcript.conferences).toEqual(['interaction-1', 'interaction-2']);
    expect(transcript.outcome).toBe('answered');
    expect(fake.calls.get(leg.providerCallId)?.status).toBe('completed');
  });

  it('stays silent through the menus when told nothing, and the flow still routes it', async () => {
    await start();
    const transcript = await engine.placeCall({ from: '+14155550001', script: { patienceSeconds: 3000 } });
    // Unknown caller: the language menu twice (then English), identify twice, the main menu three
    // times (then its no-input path).
    expect(transcript.inputs.map((i) => i.input)).toEqual(Array(7).fill(null));
    expect(interactions.get(transcript.callSid)?.state.answers).toMatchObject({
      identifiedBy: 'not_found',
      department: 'no_input',
      queue: 'Support',
    });
    expect(transcript.outcome).toBe('answered');
  });

  it('records a voicemail: posts the <Record> action, then the recording status', async () => {
    await start();
    // Evening in New York: the office is closed, the flow offers a callback or a message.
    now = new Date('2026-11-18T23:30:00Z');
    const transcript = await engine.placeCall({
      script: { input: navigate('support'), voicemailSeconds: 12 },
    });
    expect(transcript.inputs.map((i) => i.input)).toEqual(['1', '2']);
    expect(transcript.verbs).toContain('Record');
    expect(transcript.verbs.at(-1)).toBe('Hangup');
    expect(transcript.outcome).toBe('ended_in_ivr');
    const recordingStatus = received.find((r) => r.path === '/twilio/recording-status')!;
    // The <Record> action first, then the recording's status.
    expect(received.indexOf(recordingStatus)).toBeGreaterThan(
      received.findIndex((r) => r.body.RecordingSid !== undefined && r.path === '/twilio/ivr'),
    );
    expect(recordingStatus.body).toMatchObject({
      CallSid: transcript.callSid,
      RecordingStatus: 'completed',
      RecordingDuration: '12',
      RecordingSource: 'RecordVerb',
    });
    const action = transcript.webhooks.find((w) => w.params.RecordingSid !== undefined)!;
    expect(action.params).toMatchObject({
      RecordingDuration: '12',
      RecordingSid: expect.stringMatching(/^RE[0-9a-f]{32}$/),
    });
  });

  it('fails the call when a webhook does not answer TwiML, and hangs it up', async () => {
    await start();
    failVoice = true;
    const transcript = await engine.placeCall({ script: {} });
    expect(transcript.outcome).toBe('failed');
    expect(transcript.errors[0]).toMatch(/POST https:\/\/cti\.example\.com\/twilio\/voice: 500 boom/);
    expect(fake.calls.get(transcript.callSid)?.status).toBe('completed');
  });

  it('sends webhooks and callbacks twice as Twilio retries do: same idempotency token', async () => {
    await start({ delivery: { duplicate: 1 } });
    const transcript = await engine.placeCall({
      script: { input: navigate('support'), duplicateWebhooks: 1, talkSeconds: 1, patienceSeconds: 3000 },
    });
    expect(transcript.outcome).toBe('answered');
    const voices = received.filter((r) => r.path === '/twilio/voice');
    expect(voices).toHaveLength(2);
    expect(voices[0]?.token).toBe(voices[1]?.token);
    expect(new Set(voices.map((v) => v.token)).size).toBe(1);
    const hangUps = callStatuses(transcript.callSid);
    expect(hangUps).toHaveLength(2);
    expect(fake.deliveries.filter((d) => d.retry)).not.toHaveLength(0);
  });

  it('delivers callbacks out of order when asked: a late one lands after the next', async () => {
    // Only the agent leg's callbacks draw from `random`: the first one (queued) is held back.
    await start({
      conferenceCallbacks: false,
      delivery: { reorder: 1, lateMs: 100 },
      random: sequence([0, 1]),
    });
    const transcript = await engine.placeCall({
      script: { input: navigate('support'), talkSeconds: 1, patienceSeconds: 3000 },
    });
    await fake.settled();
    const order = callStatuses(placedLegs[0]!).map((p) => p.CallStatus);
    expect(transcript.outcome).toBe('answered');
    expect(order).toEqual(['ringing', 'in-progress', 'completed', 'queued']);
    expect(fake.deliveries.find((d) => d.params.CallStatus === 'queued')?.late).toBe(true);
  });
});

async function until(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A `random` that returns these values in turn (then the last one forever). */
function sequence(values: number[]): () => number {
  let at = 0;
  return () => values[Math.min(at++, values.length - 1)] ?? 1;
}
