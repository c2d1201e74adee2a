import twilio from 'twilio';
import { TWILIO_WEBHOOK_PATHS, twilioWebhookUrl } from './twilio-webhook-urls.js';

export interface WaitingRoomOptions {
  interactionId: number;
  /** From `conferenceNameOf`: the bridge the Agent will be dialled into. */
  conferenceName: string;
  publicBaseUrl: URL;
  /**
   * Keep the caller when the bridge ends without them (the Agent hung up): their `<Dial>` gets an
   * action, the survey's start. Default false: the call ends with the bridge.
   */
  survey?: boolean;
}

/**
 * TwiML that parks the caller in their Interaction's conference until an Agent joins: one
 * conference per Interaction, so queueing, offering and transfers are ours (the ACD), and
 * Twilio only holds the audio.
 */
export function waitingRoomTwiml({
  interactionId,
  conferenceName,
  publicBaseUrl,
  survey = false,
}: WaitingRoomOptions): string {
  const response = new twilio.twiml.VoiceResponse();
  // A <Dial> with an action hands the call back to us when it ends instead of hanging up: the Agent
  // leaving ends the conference (their leg has endConferenceOnExit), and the caller, still on the
  // line, is asked the survey. A caller who hangs up has no call left to run the action's TwiML.
  const dial = survey
    ? response.dial({
        action: twilioWebhookUrl(publicBaseUrl, TWILIO_WEBHOOK_PATHS.surveyStart, { interactionId }),
        method: 'POST',
      })
    : response.dial();
  dial.conference(
    {
      // Wait music plays until a participant with startConferenceOnEnter (the Agent) joins.
      startConferenceOnEnter: false,
      // The caller leaving ends the bridge, which drops every leg we placed into it.
      endConferenceOnExit: true,
      beep: 'false',
      // Our wait URL tells the caller their place in the queue between tracks of music.
      waitUrl: twilioWebhookUrl(publicBaseUrl, TWILIO_WEBHOOK_PATHS.wait, { interactionId }),
      statusCallback: twilioWebhookUrl(publicBaseUrl, TWILIO_WEBHOOK_PATHS.conferenceStatus, {
        interactionId,
      }),
      statusCallbackEvent: ['start', 'end', 'join', 'leave', 'hold'],
    },
    conferenceName,
  );
  return response.toString();
}
