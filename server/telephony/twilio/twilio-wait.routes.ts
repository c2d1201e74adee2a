import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { verbs } from '../../../ivr/index.js';
import { maxWaitStep } from './max-wait.twiml.js';
import {
  callerReplies,
  sendTwiml,
  sorryTwiml,
  type TwilioWebhooksOptions,
} from './twilio-webhook-context.js';
import {
  InteractionQuery,
  MaxWaitBody,
  MaxWaitQuery,
  twimlResponses,
  WaitBody,
} from './twilio-webhooks.schemas.js';

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

/** A caller waiting for an Agent: the wait loop, and the way out when the wait is too long. */
export const twilioWaitRoutes: FastifyPluginAsyncTypebox<TwilioWebhooksOptions> = async (app, options) => {
  const { calls, publicBaseUrl } = options;
  const { answerOnce, requireCaller } = callerReplies(options);

  // The conference's waitUrl: Twilio plays it while the caller waits and fetches it again when it
  // ends, so each round tells the caller where they stand, then plays a track of music. It reads
  // and changes nothing, so a repeat needs no claim.
  app.post(
    '/wait',
    { schema: { querystring: InteractionQuery, body: WaitBody, response: twimlResponses } },
    async (request, reply) => {
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
    },
  );

  // A caller who waited past the queue's maximum: a voicemail, or a callback offer with voicemail as
  // the fallback. `alternative` says which step this request is; each runs once per call.
  app.post(
    '/max-wait',
    { schema: { querystring: MaxWaitQuery, body: MaxWaitBody, response: twimlResponses } },
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
};
