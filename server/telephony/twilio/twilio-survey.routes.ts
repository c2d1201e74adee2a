import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { surveyTwiml, verbs } from '../../../ivr/index.js';
import type { SurveyPrompt } from '../survey.port.js';
import { callerReplies, type TwilioWebhooksOptions } from './twilio-webhook-context.js';
import { TWILIO_WEBHOOK_PATHS, twilioWebhookUrl } from './twilio-webhook-urls.js';
import {
  GatherBody,
  InteractionQuery,
  SurveyQuery,
  SurveyStartBody,
  twimlResponses,
} from './twilio-webhooks.schemas.js';

function hangUpTwiml(): string {
  const response = verbs.response();
  verbs.hangup(response);
  return response.toString();
}

/**
 * The post-call survey. A caller whose CallQueue has it on waits in a `<Dial>` with an action
 * (`waitingRoomTwiml({ survey: true })`): when the Agent hangs up, their leg ends the conference,
 * and Twilio asks that action what the caller does next instead of hanging up. Each question's
 * URL names the question and the attempt, so each is one step, run once (`answerOnce`): a
 * retried or duplicated answer gets the same TwiML and records nothing twice.
 */
export const twilioSurveyRoutes: FastifyPluginAsyncTypebox<TwilioWebhooksOptions> = async (app, options) => {
  const { calls, publicBaseUrl, surveys } = options;
  const { answerOnce, requireCaller } = callerReplies(options);

  function twimlOf(interactionId: number, prompt: SurveyPrompt | null): string {
    if (prompt === null) return hangUpTwiml();
    const action =
      prompt.position === null
        ? ''
        : twilioWebhookUrl(publicBaseUrl, TWILIO_WEBHOOK_PATHS.survey, {
            interactionId,
            flow: prompt.flowId,
            question: prompt.position.question,
            attempt: prompt.position.attempt,
          });
    return surveyTwiml({ ...prompt, action });
  }

  app.post(
    '/survey-start',
    { schema: { querystring: InteractionQuery, body: SurveyStartBody, response: twimlResponses } },
    async (request, reply) => {
      const { interactionId } = request.query;
      const { CallSid, CallStatus } = request.body;
      await requireCaller(interactionId, CallSid, request.log);
      return answerOnce(reply, `${interactionId}:survey:start`, async () => {
        // A caller who hung up ended their own <Dial>: there is nobody to ask (their status
        // callback records the survey as not offered).
        if (CallStatus !== 'in-progress' || !surveys) return hangUpTwiml();
        // The call was moved to a later part (Twilio asks the action of a <Dial> it leaves for new
        // TwiML too, and ignores the answer): that part's end, not this one, may ask the survey.
        if (surveys.handedOn(interactionId)) return hangUpTwiml();
        const session = await calls.session(interactionId);
        // The conversation is over: the Agent's after-call work starts now, not when the survey ends.
        await calls.callerEnded(interactionId, 'completed');
        const ivr = session?.ivr ? { flowId: session.ivr.flowId, language: session.ivr.language } : null;
        return twimlOf(interactionId, surveys.start(interactionId, ivr));
      });
    },
  );

  app.post(
    '/survey',
    { schema: { querystring: SurveyQuery, body: GatherBody, response: twimlResponses } },
    async (request, reply) => {
      const { interactionId, flow, question, attempt } = request.query;
      const { CallSid, Digits, SpeechResult, Confidence } = request.body;
      await requireCaller(interactionId, CallSid, request.log);
      return answerOnce(reply, `${interactionId}:survey:${question}:${attempt}`, async () => {
        if (!surveys) return hangUpTwiml();
        const input = {
          ...(Digits !== undefined && { Digits }),
          ...(SpeechResult !== undefined && { SpeechResult }),
          ...(Confidence !== undefined && { Confidence }),
        };
        return twimlOf(
          interactionId,
          surveys.answer(interactionId, flow, { question, attempt: attempt === 2 ? 2 : 1 }, input),
        );
      });
    },
  );
};
