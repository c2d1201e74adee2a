import type { SupervisorCommands, SupervisorMode } from '../telephony.port.js';
import { TelephonyCommandError } from '../telephony.port.js';
import { addressOf, typed, type TwilioCommandsOptions } from './twilio-rest.js';

/**
 * `SupervisorCommands` over Twilio: the supervisor joins the Interaction's conference as one more
 * participant, muted to monitor, as a coach of the Agent's leg (`coaching` with `callSidToCoach`)
 * to whisper, and unmuted without coaching to barge. Their leg never starts or ends the conference
 * and sends no status callbacks: the call path has nothing to do when a supervisor hangs up.
 */
export function createTwilioSupervisorCommands({
  client,
  callerId,
  ringTimeoutSeconds = 20,
}: Pick<TwilioCommandsOptions, 'client' | 'callerId' | 'ringTimeoutSeconds'>): SupervisorCommands {
  const modeParams = (mode: SupervisorMode, agentLegId: string) => ({
    muted: mode === 'monitor',
    coaching: mode === 'whisper',
    ...(mode === 'whisper' && { callSidToCoach: agentLegId }),
  });

  return {
    joinSupervisor: (input) =>
      typed('joinSupervisor', async () => {
        const participant = await client.conferences(input.conferenceName).participants.create({
          from: callerId,
          to: addressOf(input.supervisor, input.interactionId),
          timeout: ringTimeoutSeconds,
          startConferenceOnEnter: false,
          endConferenceOnExit: false,
          beep: 'false',
          ...modeParams(input.mode, input.agentLegId),
        });
        return { providerCallId: participant.callSid };
      }),

    setSupervisorMode: (input) =>
      typed('setSupervisorMode', async () => {
        // Participants are updated by conference SID, which only a lookup by name gives.
        const [conference] = await client.conferences.list({
          friendlyName: input.conferenceName,
          status: 'in-progress',
          limit: 1,
        });
        if (!conference) {
          throw new TelephonyCommandError(
            'not_found',
            'twilio',
            `Interaction ${input.interactionId} has no conference in progress (${input.conferenceName})`,
          );
        }
        await client
          .conferences(conference.sid)
          .participants(input.supervisorLegId)
          .update(modeParams(input.mode, input.agentLegId));
      }),
  };
}
