import twilio from 'twilio';
import { TWILIO_WEBHOOK_PATHS, twilioWebhookUrl } from './twilio-webhook-urls.js';

export interface WaitingRoomOptions {
  interactionId: number;
  /** From `conferenceNameOf`: the bridge the Agent will be dialled into. */
  conferenceName: string;
  publicBaseUrl: URL;
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
}: WaitingRoomOptions): string {
  const response = new twilio.twiml.VoiceResponse();
  response.dial().conference(
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
