import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { verbs } from '../../../ivr/index.js';
import { conferenceNameOf, type IvrLinks, type IvrReply } from '../telephony.port.js';
import { waitingRoomTwiml } from './waiting-room.twiml.js';
import { callerReplies, sorryTwiml, type TwilioWebhooksOptions } from './twilio-webhook-context.js';
import { TWILIO_WEBHOOK_PATHS, twilioWebhookUrl } from './twilio-webhook-urls.js';
import { verifySignedHandoff } from '../../handoff/index.js';
import { GatherBody, HandoffQuery, IvrQuery, twimlResponses, VoiceBody } from './twilio-webhooks.schemas.js';

/**
 * A new call and its IVR: the call path walks the flow, these routes only turn its reply into TwiML.
 * Each step's URL names the step (`step=`), so a retried or repeated answer to a step the call has
 * passed gets that step's TwiML again instead of stepping the IVR twice.
 */
export const twilioIvrRoutes: FastifyPluginAsyncTypebox<TwilioWebhooksOptions> = async (app, options) => {
  const { calls, publicBaseUrl } = options;
  const { answerOnce, requireCaller } = callerReplies(options);

  /** Where Twilio posts the caller's answer to IVR step `step`, which the TwiML of step `step - 1` asks for. */
  const linksFor = (interactionId: number, step: number): IvrLinks => ({
    answerUrl: (nodeId) =>
      twilioWebhookUrl(publicBaseUrl, TWILIO_WEBHOOK_PATHS.ivr, { interactionId, node: nodeId, step }),
    recordingUrl: twilioWebhookUrl(publicBaseUrl, TWILIO_WEBHOOK_PATHS.recordingStatus, { interactionId }),
  });

  function twimlOf(interactionId: number, ivr: IvrReply): string {
    switch (ivr.kind) {
      case 'document':
        return ivr.document;
      case 'queued':
        return waitingRoomTwiml({
          interactionId,
          conferenceName: conferenceNameOf(interactionId),
          publicBaseUrl,
          survey: options.surveys?.offersSurvey(interactionId) ?? false,
        });
      case 'queue_empty': {
        const response = verbs.response();
        response.redirect(
          { method: 'POST' },
          twilioWebhookUrl(publicBaseUrl, TWILIO_WEBHOOK_PATHS.maxWait, {
            interactionId,
            alternative: ivr.alternative,
          }),
        );
        return response.toString();
      }
      case 'gone':
        return sorryTwiml();
    }
  }

  app.post('/voice', { schema: { body: VoiceBody, response: twimlResponses } }, async (request, reply) => {
    const { CallSid, From, To } = request.body;
    const { interactionId } = await calls.arrive({
      provider: 'twilio',
      providerCallId: CallSid,
      from: From ?? '',
      to: To,
    });
    // Twilio retries the first webhook too: its TwiML is step 0 of the call.
    return answerOnce(reply, `${interactionId}:ivr:0`, async () =>
      twimlOf(interactionId, await calls.startIvr(interactionId, To, linksFor(interactionId, 1))),
    );
  });

  // A bot on this Twilio account redirects its caller here (<Redirect>) with its signed context: the
  // caller goes to the queue the context names, or through the IVR like any new call.
  app.post(
    '/handoff',
    { schema: { querystring: HandoffQuery, body: VoiceBody, response: twimlResponses } },
    async (request, reply) => {
      const { CallSid, From, To } = request.body;
      const { interactionId } = await calls.arrive({
        provider: 'twilio',
        providerCallId: CallSid,
        from: From ?? '',
        to: To,
      });
      return answerOnce(reply, `${interactionId}:ivr:0`, async () => {
        const handoff = verifySignedHandoff(request.query, options.handoff, options.clock.now());
        calls.handedOff(interactionId, 'twilio', handoff);
        const queueName = 'context' in handoff ? handoff.context.queue : undefined;
        if (queueName === undefined || !options.hasQueue(queueName))
          return twimlOf(interactionId, await calls.startIvr(interactionId, To, linksFor(interactionId, 1)));
        await calls.enqueue(interactionId, { queueName, priorityBoostSeconds: 0, ivrAnswers: {} });
        setImmediate(
          () => void calls.dispatch().catch((err: unknown) => request.log.error({ err }, 'dispatch failed')),
        );
        const session = await calls.session(interactionId);
        return twimlOf(
          interactionId,
          session?.queueEmpty ? { kind: 'queue_empty', alternative: session.queueEmpty } : { kind: 'queued' },
        );
      });
    },
  );

  app.post(
    '/ivr',
    { schema: { querystring: IvrQuery, body: GatherBody, response: twimlResponses } },
    async (request, reply) => {
      const { interactionId, step: answered } = request.query;
      const { CallSid, Digits, SpeechResult, Confidence } = request.body;
      await requireCaller(interactionId, CallSid, request.log);
      return answerOnce(reply, `${interactionId}:ivr:${answered}`, async () => {
        const answer = {
          ...(Digits !== undefined && { Digits }),
          ...(SpeechResult !== undefined && { SpeechResult }),
          ...(Confidence !== undefined && { Confidence }),
        };
        return twimlOf(
          interactionId,
          await calls.ivrStep(interactionId, answer, linksFor(interactionId, answered + 1)),
        );
      });
    },
  );
};
