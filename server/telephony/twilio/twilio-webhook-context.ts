import type { FastifyBaseLogger, FastifyReply } from 'fastify';
import twilio from 'twilio';
import { verbs } from '../../../ivr/index.js';
import type { Clock } from '../../clock.js';
import type { HandoffConfig } from '../../config.js';
import { forbidden } from '../../http/errors.js';
import type { SurveyCalls } from '../survey.port.js';
import type { CallEvents } from '../telephony.port.js';
import type { CallBinding } from './webhook-binding.js';
import type { WebhookDedupe } from './webhook-dedupe.js';
import type { WebhookSteps } from './webhook-steps.js';

export interface TwilioWebhooksOptions {
  calls: CallEvents;
  dedupe: WebhookDedupe;
  /** Runs each step of a call's TwiML conversation once and answers its repeats alike. */
  steps: WebhookSteps;
  /** Which of an Interaction's calls a webhook's CallSid is, if any. */
  legOfCall: CallBinding;
  publicBaseUrl: URL;
  /** The post-call survey; without it no caller is kept after the Agent hangs up. */
  surveys?: SurveyCalls;
  /** How bots' handoffs are verified (HANDOFF_SECRET and its limits). */
  handoff: HandoffConfig;
  /** Whether a CallQueue of this name exists: a handoff may name the queue to skip our IVR. */
  hasQueue: (name: string) => boolean;
  clock: Clock;
}

export function sorryTwiml(): string {
  const response = new twilio.twiml.VoiceResponse();
  response.say('Sorry, this call cannot continue. Goodbye.');
  response.hangup();
  return response.toString();
}

export const sendTwiml = (reply: FastifyReply, twiml: string) => reply.type('text/xml').send(twiml);

/** When Twilio says the event happened (RFC 2822 `Timestamp`), else now. */
export function timestampOf(params: { Timestamp?: string }): Date | undefined {
  const at = params.Timestamp ? new Date(params.Timestamp) : undefined;
  return at && !Number.isNaN(at.getTime()) ? at : undefined;
}

/** How caller-facing webhooks answer: bound to the caller's leg, each step once. */
export function callerReplies({
  steps,
  legOfCall,
  publicBaseUrl,
}: Pick<TwilioWebhooksOptions, 'steps' | 'legOfCall' | 'publicBaseUrl'>) {
  return {
    /**
     * Answers step `key` of a call once; a repeat gets the same TwiML. A repeat that arrives while
     * the first attempt still runs past the wait is asked to come back to the same signed URL.
     */
    answerOnce: async (reply: FastifyReply, key: string, answer: () => Promise<string>) => {
      const twiml = await steps.once(key, answer);
      if (twiml !== null) return sendTwiml(reply, twiml);
      const response = verbs.response();
      response.pause({ length: 1 });
      response.redirect({ method: 'POST' }, publicBaseUrl.origin + reply.request.url);
      return sendTwiml(reply, response.toString());
    },

    /** Refuses a caller-facing webhook whose call is not the caller of the Interaction in its URL. */
    requireCaller: async (interactionId: number, callSid: string, log: FastifyBaseLogger) => {
      if ((await legOfCall(interactionId, callSid)) === 'caller') return;
      log.warn({ interactionId }, 'refused a Twilio webhook signed for another call');
      throw forbidden('This webhook is not for this call');
    },
  };
}
