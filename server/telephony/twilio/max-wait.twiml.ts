import { verbs } from '../../../ivr/index.js';
import type { CallEvents, CallSession } from '../telephony.port.js';
import { TWILIO_WEBHOOK_PATHS, twilioWebhookUrl } from './twilio-webhook-urls.js';
import type { MaxWaitStep } from './twilio-webhooks.schemas.js';

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

export interface MaxWaitStepInput {
  calls: Pick<CallEvents, 'callbackRequested' | 'ivrFinished'>;
  session: CallSession;
  alternative: MaxWaitStep;
  /** What the caller keyed in answer to the callback offer. */
  digits: string | undefined;
  publicBaseUrl: URL;
}

/**
 * One step of a caller who waited past the queue's maximum: a voicemail, or a callback offer with
 * voicemail as the fallback. Books the callback or marks the voicemail, and returns the TwiML.
 * Not idempotent on its own: the route runs each step of a call once.
 */
export async function maxWaitStep({
  calls,
  session,
  alternative,
  digits,
  publicBaseUrl,
}: MaxWaitStepInput): Promise<string> {
  const { interactionId } = session;
  const language = session.ivr?.language ?? 'en-US';
  const answers = session.ivr?.answers ?? {};
  const text = MAX_WAIT_TEXT[language];
  const next = (step: MaxWaitStep) =>
    twilioWebhookUrl(publicBaseUrl, TWILIO_WEBHOOK_PATHS.maxWait, { interactionId, alternative: step });
  const response = verbs.response();
  const voicemail = () => {
    verbs.say(response, text.leaveMessage, language);
    response.record({
      action: next('recorded'),
      maxLength: 120,
      playBeep: true,
      recordingStatusCallback: twilioWebhookUrl(publicBaseUrl, TWILIO_WEBHOOK_PATHS.recordingStatus, {
        interactionId,
      }),
      recordingStatusCallbackEvent: ['completed', 'absent'],
    });
    response.hangup();
  };
  switch (alternative) {
    case 'callback': {
      const gather = response.gather({ numDigits: 1, action: next('callback-answer'), timeout: 6 });
      verbs.say(gather, text.offerCallback, language);
      response.redirect({ method: 'POST' }, next('voicemail'));
      break;
    }
    case 'callback-answer':
      if (digits === '1') {
        await calls.callbackRequested(interactionId, answers, null);
        verbs.say(response, text.callbackBooked, language);
        response.hangup();
        break;
      }
      await calls.ivrFinished(interactionId, 'voicemail', answers);
      voicemail();
      break;
    case 'recorded':
      verbs.say(response, text.thanks, language);
      response.hangup();
      break;
    case 'voicemail':
      await calls.ivrFinished(interactionId, 'voicemail', answers);
      voicemail();
      break;
  }
  return response.toString();
}
