import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { TwilioWebhooksOptions } from './twilio-webhook-context.js';
import { twilioIvrRoutes } from './twilio-ivr.routes.js';
import { twilioStatusRoutes } from './twilio-status.routes.js';
import { twilioSurveyRoutes } from './twilio-survey.routes.js';
import { twilioWaitRoutes } from './twilio-wait.routes.js';

export type { TwilioWebhooksOptions } from './twilio-webhook-context.js';

/**
 * Twilio's webhooks, registered inside the scope the signature plugin guards (prefix /twilio): the
 * signature is checked before a body is validated or a handler runs. They report to the call path
 * through `CallEvents` only.
 *
 * Every webhook is bound to its call: the CallSid in the signed body must be one of the calls of
 * the Interaction its signed URL names, else it changes nothing (status callbacks answer 204,
 * caller-facing webhooks 403). Caller-facing webhooks run each step once (`steps`) and answer a
 * repeat with the first answer's TwiML; status callbacks are deduplicated on signed parameters and
 * answer 204 so Twilio stops retrying, also for calls we do not know.
 */
export const twilioWebhooksRoutes: FastifyPluginAsyncTypebox<TwilioWebhooksOptions> = async (
  app,
  options,
) => {
  await app.register(twilioIvrRoutes, options);
  await app.register(twilioWaitRoutes, options);
  await app.register(twilioStatusRoutes, options);
  await app.register(twilioSurveyRoutes, options);
};
