import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyReply } from 'fastify';
import twilio from 'twilio';
import {
  verbs,
  flowForNumber,
  initialState,
  inSensitiveStep,
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
import { forbidden } from '../../http/errors.js';
import { conferenceNameOf } from '../telephony.port.js';
import { maxWaitStep } from './max-wait.twiml.js';
import { waitingRoomTwiml } from './waiting-room.twiml.js';
import { TWILIO_WEBHOOK_PATHS, twilioWebhookUrl } from './twilio-webhook-urls.js';
import {
  CallStatusBody,
  CallStatusQuery,
  ConferenceStatusBody,
  ConferenceStatusQuery,
  GatherBody,
  InteractionQuery,
  IvrQuery,
  MaxWaitBody,
  MaxWaitQuery,
  RecordingStatusBody,
  VoiceBody,
  WaitBody,
  type LegKind,
} from './twilio-webhooks.schemas.js';
import type { CallBinding } from './webhook-binding.js';
import { dedupeKeyOf, type WebhookDedupe } from './webhook-dedupe.js';
import type { WebhookSteps } from './webhook-steps.js';

export interface TwilioWebhooksOptions {
  calls: CallsService;
  flows: FlowCatalog;
  dedupe: WebhookDedupe;
  /** Runs each step of a call's TwiML conversation once and answers its repeats alike. */
  steps: WebhookSteps;
  /** Which of an Interaction's calls a webhook's CallSid is, if any. */
  legOfCall: CallBinding;
  publicBaseUrl: URL;
  clock: Clock;
  /** The caller entered (true) or left (false) an IVR node marked `sensitive`: pause or resume recording. */
  onSensitiveStep?: (interactionId: number, sensitive: boolean) => Promise<void>;
}

const ENDED_STATUSES = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);

function sorryTwiml(): string {
  const response = new twilio.twiml.VoiceResponse();
  response.say('Sorry, this call cannot continue. Goodbye.');
  response.hangup();
  return response.toString();
}

const sendTwiml = (reply: FastifyReply, twiml: string) => reply.type('text/xml').send(twiml);

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
function timestampOf(params: { Timestamp?: string }): Date | undefined {
  const at = params.Timestamp ? new Date(params.Timestamp) : undefined;
  return at && !Number.isNaN(at.getTime()) ? at : undefined;
}

/**
 * Twilio's webhooks, registered inside the scope the signature plugin guards (prefix /twilio).
 *
 * Every webhook is bound to its call: the CallSid in the signed body must be one of the calls of
 * the Interaction its signed URL names, else it changes nothing (status callbacks answer 204,
 * caller-facing webhooks 403). Caller-facing webhooks run each step once (`steps`) and answer a
 * repeat with the first answer's TwiML; status callbacks are deduplicated on signed parameters and
 * answer 204 so Twilio stops retrying, also for calls we do not know.
 */
export const twilioWebhooksRoutes: FastifyPluginAsyncTypebox<TwilioWebhooksOptions> = async (
  app,
  { calls, flows, dedupe, steps, legOfCall, publicBaseUrl, clock, onSensitiveStep },
) => {
  /** The URL of the caller's answer to IVR step `step`, which the TwiML of step `step - 1` asks for. */
  const ivrUrl = (interactionId: number, nodeId: string, step: number) =>
    twilioWebhookUrl(publicBaseUrl, TWILIO_WEBHOOK_PATHS.ivr, { interactionId, node: nodeId, step });

  /** Walks the IVR from `state` with `input`, performing its lookups, until it has TwiML for Twilio. */
  async function runIvr(
    session: CallSession,
    flow: Flow,
    state: IvrState,
    input: StepInput,
    nextStep: number,
  ): Promise<string> {
    const context = {
      now: clock.now(),
      callerNumber: session.callerNumber ?? '',
      actionUrl: (nodeId: string) => ivrUrl(session.interactionId, nodeId, nextStep),
      recordingCallbackUrl: twilioWebhookUrl(publicBaseUrl, TWILIO_WEBHOOK_PATHS.recordingStatus, {
        interactionId: session.interactionId,
      }),
    };
    let result = step(flow, state, input, context);
    while (result.effect) {
      const customerId = calls.identify(session.interactionId, result.effect);
      result = step(flow, result.state, { identified: customerId === null ? null : { customerId } }, context);
    }
    const sensitive = inSensitiveStep(flow, result.state);
    // Before Twilio gets the TwiML that asks for the digits (or moves on), so none reach a recording.
    if (sensitive !== inSensitiveStep(flow, state)) await onSensitiveStep?.(session.interactionId, sensitive);
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

  /**
   * Answers step `key` of a call once; a repeat gets the same TwiML. A repeat that arrives while
   * the first attempt still runs past the wait is asked to come back to the same signed URL.
   */
  async function answerOnce(reply: FastifyReply, key: string, answer: () => Promise<string>) {
    const twiml = await steps.once(key, answer);
    if (twiml !== null) return sendTwiml(reply, twiml);
    const response = verbs.response();
    response.pause({ length: 1 });
    response.redirect({ method: 'POST' }, publicBaseUrl.origin + reply.request.url);
    return sendTwiml(reply, response.toString());
  }

  /** Refuses a caller-facing webhook whose call is not the caller of the Interaction in its URL. */
  async function requireCaller(interactionId: number, callSid: string, log: FastifyBaseLogger) {
    if ((await legOfCall(interactionId, callSid)) === 'caller') return;
    log.warn({ interactionId }, 'refused a Twilio webhook signed for another call');
    throw forbidden('This webhook is not for this call');
  }

  app.post('/voice', { schema: { body: VoiceBody } }, async (request, reply) => {
    const { CallSid, From, To } = request.body;
    const { interactionId } = await calls.arrive({
      provider: 'twilio',
      providerCallId: CallSid,
      from: From ?? '',
      to: To,
    });
    // Twilio retries the first webhook too: its TwiML is step 0 of the call.
    return answerOnce(reply, `${interactionId}:ivr:0`, async () => {
      const session = await calls.session(interactionId);
      if (!session) return sorryTwiml();
      const flow = flowForNumber(flows, To);
      return runIvr(session, flow, initialState(flow), {}, 1);
    });
  });

  app.post('/ivr', { schema: { querystring: IvrQuery, body: GatherBody } }, async (request, reply) => {
    const { interactionId, step: answered } = request.query;
    const { CallSid, Digits, SpeechResult, Confidence } = request.body;
    const session = await calls.session(interactionId);
    if (!session?.ivr) return sendTwiml(reply, sorryTwiml());
    await requireCaller(interactionId, CallSid, request.log);
    // The URL names the step it answers: a retried or repeated answer to a step the call has
    // passed gets that step's TwiML again instead of stepping the IVR twice.
    return answerOnce(reply, `${interactionId}:ivr:${answered}`, async () => {
      const current = (await calls.session(interactionId)) ?? session;
      const ivr = current.ivr ?? session.ivr!;
      if (current.queueEmpty && ivr.awaiting.kind === 'finished') {
        const response = verbs.response();
        response.redirect(
          { method: 'POST' },
          twilioWebhookUrl(publicBaseUrl, TWILIO_WEBHOOK_PATHS.maxWait, {
            interactionId,
            alternative: current.queueEmpty,
          }),
        );
        return response.toString();
      }
      if (ivr.awaiting.kind === 'finished' && ivr.awaiting.outcome.kind === 'enqueue') {
        const twiml = waitingRoomTwiml({
          interactionId,
          conferenceName: conferenceNameOf(interactionId),
          publicBaseUrl,
        });
        await calls.saveSession({ ...current, lastTwiml: twiml });
        return twiml;
      }
      const flow = flows.flows.get(ivr.flowId);
      if (!flow) return sorryTwiml();
      const input = {
        ...(Digits !== undefined && { Digits }),
        ...(SpeechResult !== undefined && { SpeechResult }),
        ...(Confidence !== undefined && { Confidence }),
      };
      try {
        return await runIvr(current, flow, ivr, input, answered + 1);
      } catch (error) {
        if (error instanceof IvrStateError) {
          request.log.warn({ interactionId, err: error.message }, 'IVR webhook out of turn');
          return current.lastTwiml ?? sorryTwiml();
        }
        throw error;
      }
    });
  });

  // The legs we place carry `leg` and `interactionId` in their callback URL: what their answer and
  // their end mean to the call path. The caller's own leg comes without them, found by CallSid.
  const placedLegs = new Map<
    LegKind,
    {
      answered: (id: number, at: Date | undefined, callSid: string | undefined) => Promise<void>;
      ended: (id: number, status: string) => Promise<void>;
    }
  >([
    [
      'agent',
      {
        answered: (id, at, callSid) => calls.agentLegAnswered(id, at, callSid),
        ended: (id, s) => calls.agentLegEnded(id, s),
      },
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

  app.post(
    '/call-status',
    { schema: { querystring: CallStatusQuery, body: CallStatusBody } },
    async (request, reply) => {
      const { CallSid, CallStatus } = request.body;
      const { leg } = request.query;
      if ((request.query.interactionId === undefined) !== (leg === undefined))
        return reply.code(400).send({
          statusCode: 400,
          error: 'Bad Request',
          message: 'interactionId and leg come together',
        });
      const interactionId = request.query.interactionId ?? calls.interactionOf('twilio', CallSid);
      if (interactionId === null) {
        request.log.info('status callback for an unknown call');
        return reply.code(204).send();
      }
      if (leg !== undefined && (await legOfCall(interactionId, CallSid)) !== leg) {
        request.log.warn({ interactionId, leg }, 'ignored a status callback of a call that is not this leg');
        return reply.code(204).send();
      }
      const key = dedupeKeyOf('call-status', request.body);
      if (!(await dedupe.firstTime(key))) return reply.code(204).send();
      try {
        const placed = leg === undefined ? undefined : placedLegs.get(leg);
        if (placed) {
          if (CallStatus === 'in-progress')
            await placed.answered(interactionId, timestampOf(request.body), CallSid);
          else if (ENDED_STATUSES.has(CallStatus)) await placed.ended(interactionId, CallStatus);
          return reply.code(204).send();
        }
        if (ENDED_STATUSES.has(CallStatus))
          await calls.callerEnded(interactionId, CallStatus, timestampOf(request.body));
        return reply.code(204).send();
      } catch (error) {
        // Let Twilio's retry be handled rather than swallowed by the dedupe claim.
        await dedupe.forget(key);
        throw error;
      }
    },
  );

  // The conference's waitUrl: Twilio plays it while the caller waits and fetches it again when it
  // ends, so each round tells the caller where they stand, then plays a track of music. It reads
  // and changes nothing, so a repeat needs no claim.
  app.post('/wait', { schema: { querystring: InteractionQuery, body: WaitBody } }, async (request, reply) => {
    const { interactionId } = request.query;
    const response = verbs.response();
    const session = await calls.session(interactionId);
    if (session) await requireCaller(interactionId, request.body.CallSid, request.log);
    const info = session ? await calls.waitingInfo(interactionId) : null;
    if (info) {
      const language = session?.ivr?.language ?? 'en-US';
      verbs.say(response, waitAnnouncement(info, language), language);
    }
    verbs.play(response, HOLD_MUSIC_URL);
    return sendTwiml(reply, response.toString());
  });

  // A caller who waited past the queue's maximum: a voicemail, or a callback offer with voicemail as
  // the fallback. `alternative` says which step this request is; each runs once per call.
  app.post(
    '/max-wait',
    { schema: { querystring: MaxWaitQuery, body: MaxWaitBody } },
    async (request, reply) => {
      const { interactionId, alternative } = request.query;
      const session = await calls.session(interactionId);
      if (!session) return sendTwiml(reply, sorryTwiml());
      await requireCaller(interactionId, request.body.CallSid, request.log);
      return answerOnce(reply, `${interactionId}:max-wait:${alternative}`, () =>
        maxWaitStep({ calls, session, alternative, digits: request.body.Digits, publicBaseUrl }),
      );
    },
  );

  app.post(
    '/conference-status',
    { schema: { querystring: ConferenceStatusQuery, body: ConferenceStatusBody } },
    async (request, reply) => {
      const { interactionId } = request.query;
      const { FriendlyName } = request.body;
      if (interactionId !== undefined && FriendlyName !== undefined) {
        const session = await calls.session(interactionId);
        if (FriendlyName !== (session?.conferenceName ?? conferenceNameOf(interactionId))) {
          request.log.warn({ interactionId }, 'ignored a conference callback of another conference');
          return reply.code(204).send();
        }
      }
      const key = dedupeKeyOf('conference-status', request.body);
      if (!(await dedupe.firstTime(key))) return reply.code(204).send();
      const { CallSid, StatusCallbackEvent } = request.body;
      try {
        // A leg joining the bridge answered: the Agent's answer must not rest on its own callback.
        if (StatusCallbackEvent === 'participant-join' && CallSid && interactionId !== undefined)
          await calls.legJoined(interactionId, CallSid, timestampOf(request.body));
      } catch (error) {
        await dedupe.forget(key);
        throw error;
      }
      return reply.code(204).send();
    },
  );

  app.post(
    '/recording-status',
    { schema: { querystring: InteractionQuery, body: RecordingStatusBody } },
    async (request, reply) => {
      const { interactionId } = request.query;
      const { CallSid, RecordingSid, RecordingStatus } = request.body;
      // Recordings are of the caller's leg (Twilio names the parent call): one signed for another
      // Interaction, or for one we do not know, changes nothing.
      if ((await legOfCall(interactionId, CallSid)) !== 'caller') {
        request.log.warn({ interactionId }, 'ignored a recording callback of a call that is not this one');
        return reply.code(204).send();
      }
      const key = dedupeKeyOf('recording-status', request.body);
      if (!(await dedupe.firstTime(key))) return reply.code(204).send();
      try {
        if (RecordingStatus === 'completed') await calls.recordingReady(interactionId, RecordingSid);
        return reply.code(204).send();
      } catch (error) {
        await dedupe.forget(key);
        throw error;
      }
    },
  );
};
