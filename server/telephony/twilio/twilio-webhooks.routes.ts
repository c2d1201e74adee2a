import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import twilio from 'twilio';
import {
  verbs,
  flowForNumber,
  initialState,
  IvrStateError,
  step,
  type Flow,
  type FlowCatalog,
  type IvrState,
  type StepInput,
} from '../../../ivr/index.js';
import type { CallSession } from '../../calls/call-sessions.js';
import type { CallsService } from '../../calls/calls.service.js';
import type { Clock } from '../../clock.js';
import { conferenceNameOf } from '../telephony.port.js';
import { waitingRoomTwiml } from './waiting-room.twiml.js';
import { TWILIO_WEBHOOK_PATHS, twilioWebhookUrl } from './twilio-webhook-urls.js';
import { dedupeKeyOf, type WebhookDedupe } from './webhook-dedupe.js';

export interface TwilioWebhooksOptions {
  calls: CallsService;
  flows: FlowCatalog;
  dedupe: WebhookDedupe;
  publicBaseUrl: URL;
  clock: Clock;
}

type Params = Record<string, string | undefined>;

const ENDED_STATUSES = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);

function sorryTwiml(): string {
  const response = new twilio.twiml.VoiceResponse();
  response.say('Sorry, this call cannot continue. Goodbye.');
  response.hangup();
  return response.toString();
}

const sendTwiml = (reply: FastifyReply, twiml: string) => reply.type('text/xml').send(twiml);

const MAX_WAIT_TEXT = {
  'en-US': {
    leaveMessage:
      'All our agents are still busy. Please leave a message after the tone, and we will call you back.',
    offerCallback:
      'All our agents are still busy. To have us call you back at this number, press 1. To leave a message, press 2.',
    callbackBooked: 'Thank you. We will call you back as soon as an agent is free. Goodbye.',
    thanks: 'Thank you for your message. Goodbye.',
  },
  'zh-CN': {
    leaveMessage: '所有客服仍在忙碌中。请在提示音后留言，我们会给您回电。',
    offerCallback: '所有客服仍在忙碌中。如需我们回电到您当前的号码，请按1。如需留言，请按2。',
    callbackBooked: '谢谢，客服空闲后将尽快给您回电。再见。',
    thanks: '感谢您的留言，再见。',
  },
} as const;

/** One of Twilio's public hold-music tracks (about two minutes). */
// http: the bucket's dotted name does not match S3's TLS certificate; Twilio fetches it fine.
const HOLD_MUSIC_URL = 'http://com.twilio.music.classical.s3.amazonaws.com/BusyStrings.mp3';

export function waitAnnouncement(
  info: { position: number; estimatedWaitSeconds: number | null },
  language: 'en-US' | 'zh-CN',
): string {
  const minutes =
    info.estimatedWaitSeconds === null ? null : Math.max(1, Math.round(info.estimatedWaitSeconds / 60));
  if (language === 'zh-CN') {
    return `您前面还有${info.position - 1}位来电者。${minutes === null ? '' : `预计等待约${minutes}分钟。`}请不要挂机。`;
  }
  const place = info.position === 1 ? 'You are next in line.' : `You are number ${info.position} in line.`;
  const wait =
    minutes === null ? '' : ` The expected wait is about ${minutes} minute${minutes === 1 ? '' : 's'}.`;
  return `${place}${wait} Please stay on the line.`;
}

/** When Twilio says the event happened (RFC 2822 `Timestamp`), else now. */
function timestampOf(params: Params): Date | undefined {
  const at = params.Timestamp ? new Date(params.Timestamp) : undefined;
  return at && !Number.isNaN(at.getTime()) ? at : undefined;
}

/**
 * Twilio's webhooks, registered inside the scope the signature plugin guards (prefix /twilio).
 * Caller-facing webhooks answer TwiML at once; status callbacks are deduplicated and answer 204 so
 * Twilio stops retrying, also for calls we do not know.
 */
export const twilioWebhooksRoutes: FastifyPluginAsync<TwilioWebhooksOptions> = async (
  app,
  { calls, flows, dedupe, publicBaseUrl, clock },
) => {
  const ivrUrl = (interactionId: number, nodeId: string) =>
    `${publicBaseUrl.origin}/twilio/ivr?${new URLSearchParams({ interactionId: String(interactionId), node: nodeId }).toString()}`;

  /** Walks the IVR from `state` with `input`, performing its lookups, until it has TwiML for Twilio. */
  async function runIvr(
    session: CallSession,
    flow: Flow,
    state: IvrState,
    input: StepInput,
  ): Promise<string> {
    const context = {
      now: clock.now(),
      callerNumber: session.callerNumber ?? '',
      actionUrl: (nodeId: string) => ivrUrl(session.interactionId, nodeId),
      recordingCallbackUrl: twilioWebhookUrl(publicBaseUrl, TWILIO_WEBHOOK_PATHS.recordingStatus, {
        interactionId: session.interactionId,
      }),
    };
    let result = step(flow, state, input, context);
    while (result.effect) {
      const customerId = calls.identify(session.interactionId, result.effect);
      result = step(flow, result.state, { identified: customerId === null ? null : { customerId } }, context);
    }
    const twiml = result.twiml;
    const answers = result.state.answers;
    switch (result.outcome?.kind) {
      // The TwiML says the route node's prompt and redirects back; that webhook parks the caller.
      case 'enqueue':
        await calls.enqueue(session.interactionId, {
          queueName: result.outcome.queue,
          priorityBoostSeconds: result.outcome.priorityBoost,
          ivrAnswers: answers,
        });
        break;
      case 'callback_requested':
        await calls.callbackRequested(session.interactionId, answers, result.outcome.queue);
        break;
      case 'voicemail':
        await calls.ivrFinished(session.interactionId, 'voicemail', answers);
        break;
      case 'transfer':
        await calls.ivrFinished(session.interactionId, 'transferred', answers);
        break;
      default:
        break;
    }
    await calls.saveSession({
      ...((await calls.session(session.interactionId)) ?? session),
      ivr: result.state,
      lastTwiml: twiml,
    });
    if (result.outcome?.kind === 'enqueue')
      setImmediate(
        () => void calls.dispatch().catch((err: unknown) => app.log.error({ err }, 'dispatch failed')),
      );
    return twiml;
  }

  app.post<{ Body: Params }>('/voice', async (request, reply) => {
    const { CallSid, From, To } = request.body;
    if (!CallSid || !To)
      return reply
        .code(400)
        .send({ statusCode: 400, error: 'Bad Request', message: 'CallSid and To are required' });
    const { interactionId, created } = await calls.arrive({
      provider: 'twilio',
      providerCallId: CallSid,
      from: From ?? '',
      to: To,
    });
    const session = await calls.session(interactionId);
    if (!session) return sendTwiml(reply, sorryTwiml());
    // Twilio retried the first webhook: answer what we answered before.
    if (!created && session.lastTwiml) return sendTwiml(reply, session.lastTwiml);
    const flow = flowForNumber(flows, To);
    return sendTwiml(reply, await runIvr(session, flow, initialState(flow), {}));
  });

  app.post<{ Body: Params; Querystring: { interactionId?: string; node?: string } }>(
    '/ivr',
    async (request, reply) => {
      const interactionId = Number(request.query.interactionId);
      const session = Number.isSafeInteger(interactionId) ? await calls.session(interactionId) : null;
      if (!session?.ivr) return sendTwiml(reply, sorryTwiml());
      // A retried action for a node the call has left: replay instead of stepping twice.
      if (request.query.node !== session.ivr.nodeId && session.lastTwiml)
        return sendTwiml(reply, session.lastTwiml);
      if (session.queueEmpty && session.ivr.awaiting.kind === 'finished') {
        const response = verbs.response();
        response.redirect(
          { method: 'POST' },
          twilioWebhookUrl(publicBaseUrl, TWILIO_WEBHOOK_PATHS.maxWait, {
            interactionId,
            alternative: session.queueEmpty,
          }),
        );
        return sendTwiml(reply, response.toString());
      }
      if (session.ivr.awaiting.kind === 'finished' && session.ivr.awaiting.outcome.kind === 'enqueue') {
        const twiml = waitingRoomTwiml({
          interactionId,
          conferenceName: conferenceNameOf(interactionId),
          publicBaseUrl,
        });
        await calls.saveSession({ ...session, lastTwiml: twiml });
        return sendTwiml(reply, twiml);
      }
      const flow = flows.flows.get(session.ivr.flowId);
      if (!flow) return sendTwiml(reply, sorryTwiml());
      try {
        return sendTwiml(reply, await runIvr(session, flow, session.ivr, request.body));
      } catch (error) {
        if (error instanceof IvrStateError) {
          request.log.warn({ interactionId, err: error.message }, 'IVR webhook out of turn');
          return sendTwiml(reply, session.lastTwiml ?? sorryTwiml());
        }
        throw error;
      }
    },
  );

  // The legs we place carry `leg` and `interactionId` in their callback URL: what their answer and
  // their end mean to the call path. The caller's own leg comes without them, found by CallSid.
  const placedLegs = new Map<
    string,
    {
      answered: (id: number, at: Date | undefined) => Promise<void>;
      ended: (id: number, status: string) => Promise<void>;
    }
  >([
    [
      'agent',
      { answered: (id, at) => calls.agentLegAnswered(id, at), ended: (id, s) => calls.agentLegEnded(id, s) },
    ],
    // A number or agent the agent transferred the caller to, or consults.
    [
      'transfer',
      {
        answered: (id, at) => calls.transferLegAnswered(id, at),
        ended: (id, s) => calls.transferLegEnded(id, s),
      },
    ],
    // A customer we dialled (a callback, click-to-call): their answer starts the conversation.
    [
      'caller',
      { answered: (id, at) => calls.customerAnswered(id, at), ended: (id, s) => calls.callerEnded(id, s) },
    ],
  ]);

  app.post<{ Body: Params; Querystring: { interactionId?: string; leg?: string } }>(
    '/call-status',
    async (request, reply) => {
      const key = dedupeKeyOf('call-status', request.headers, request.body);
      if (key && !(await dedupe.firstTime(key))) return reply.code(204).send();
      const { CallSid, CallStatus } = request.body;
      try {
        const placed =
          request.query.interactionId === undefined ? undefined : placedLegs.get(request.query.leg ?? '');
        if (placed) {
          const interactionId = Number(request.query.interactionId);
          if (CallStatus === 'in-progress') await placed.answered(interactionId, timestampOf(request.body));
          else if (CallStatus && ENDED_STATUSES.has(CallStatus))
            await placed.ended(interactionId, CallStatus);
          return reply.code(204).send();
        }
        const interactionId = CallSid ? calls.interactionOf('twilio', CallSid) : null;
        if (interactionId === null) {
          request.log.info({ callSid: CallSid }, 'status callback for an unknown call');
          return reply.code(204).send();
        }
        if (CallStatus && ENDED_STATUSES.has(CallStatus))
          await calls.callerEnded(interactionId, CallStatus, timestampOf(request.body));
        return reply.code(204).send();
      } catch (error) {
        // Let Twilio's retry be handled rather than swallowed by the dedupe claim.
        if (key) await dedupe.forget(key);
        throw error;
      }
    },
  );

  // The conference's waitUrl: Twilio plays it while the caller waits and fetches it again when it
  // ends, so each round tells the caller where they stand, then plays a track of music.
  app.post<{ Body: Params; Querystring: { interactionId?: string } }>('/wait', async (request, reply) => {
    const interactionId = Number(request.query.interactionId);
    const response = verbs.response();
    const session = Number.isSafeInteger(interactionId) ? await calls.session(interactionId) : null;
    const info = session ? await calls.waitingInfo(interactionId) : null;
    if (info) {
      const language = session?.ivr?.language ?? 'en-US';
      verbs.say(response, waitAnnouncement(info, language), language);
    }
    verbs.play(response, HOLD_MUSIC_URL);
    return sendTwiml(reply, response.toString());
  });

  // A caller who waited past the queue's maximum: a voicemail, or a callback offer with voicemail as
  // the fallback. `alternative` says which step this request is.
  app.post<{ Body: Params; Querystring: { interactionId?: string; alternative?: string } }>(
    '/max-wait',
    async (request, reply) => {
      const interactionId = Number(request.query.interactionId);
      const session = Number.isSafeInteger(interactionId) ? await calls.session(interactionId) : null;
      if (!session) return sendTwiml(reply, sorryTwiml());
      const language = session.ivr?.language ?? 'en-US';
      const text = MAX_WAIT_TEXT[language];
      const step = (alternative: string) =>
        `${publicBaseUrl.origin}${TWILIO_WEBHOOK_PATHS.maxWait}?${new URLSearchParams({ interactionId: String(interactionId), alternative }).toString()}`;
      const response = verbs.response();
      const voicemail = () => {
        verbs.say(response, text.leaveMessage, language);
        response.record({
          action: step('recorded'),
          maxLength: 120,
          playBeep: true,
          recordingStatusCallback: twilioWebhookUrl(publicBaseUrl, TWILIO_WEBHOOK_PATHS.recordingStatus, {
            interactionId,
          }),
          recordingStatusCallbackEvent: ['completed', 'absent'],
        });
        response.hangup();
      };
      switch (request.query.alternative) {
        case 'callback': {
          const gather = response.gather({ numDigits: 1, action: step('callback-answer'), timeout: 6 });
          verbs.say(gather, text.offerCallback, language);
          response.redirect({ method: 'POST' }, step('voicemail'));
          break;
        }
        case 'callback-answer':
          if (request.body.Digits === '1') {
            await calls.callbackRequested(interactionId, session.ivr?.answers ?? {}, null);
            verbs.say(response, text.callbackBooked, language);
            response.hangup();
            break;
          }
          await calls.ivrFinished(interactionId, 'voicemail', session.ivr?.answers ?? {});
          voicemail();
          break;
        case 'recorded':
          verbs.say(response, text.thanks, language);
          response.hangup();
          break;
        default:
          await calls.ivrFinished(interactionId, 'voicemail', session.ivr?.answers ?? {});
          voicemail();
      }
      return sendTwiml(reply, response.toString());
    },
  );

  app.post<{ Body: Params; Querystring: { interactionId?: string } }>(
    '/conference-status',
    async (request, reply) => {
      const key = dedupeKeyOf('conference-status', request.headers, request.body);
      if (key && !(await dedupe.firstTime(key))) return reply.code(204).send();
      const interactionId = Number(request.query.interactionId);
      const { CallSid, StatusCallbackEvent } = request.body;
      try {
        // A leg joining the bridge answered: the Agent's answer must not rest on its own callback.
        if (StatusCallbackEvent === 'participant-join' && CallSid && Number.isSafeInteger(interactionId))
          await calls.legJoined(interactionId, CallSid, timestampOf(request.body));
      } catch (error) {
        if (key) await dedupe.forget(key);
        throw error;
      }
      return reply.code(204).send();
    },
  );

  app.post<{ Body: Params; Querystring: { interactionId?: string } }>(
    '/recording-status',
    async (request, reply) => {
      const key = dedupeKeyOf('recording-status', request.headers, request.body);
      if (key && !(await dedupe.firstTime(key))) return reply.code(204).send();
      const interactionId = Number(request.query.interactionId);
      const { RecordingSid, RecordingStatus } = request.body;
      if (Number.isSafeInteger(interactionId) && RecordingSid && RecordingStatus === 'completed') {
        await calls.recordingReady(interactionId, RecordingSid);
      }
      return reply.code(204).send();
    },
  );
};
