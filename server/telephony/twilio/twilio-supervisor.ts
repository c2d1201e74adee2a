import type { SupervisorCommands, SupervisorMode } from '../telephony.port.js';
import { addressOf, conferenceSidOf, typed, type TwilioCommandsOptions } from './twilio-rest.js';

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
        await client
          .conferences(await conferenceSidOf(client, input))
          .participants(input.supervisorLegId)
          .update(modeParams(input.mode, input.agentLegId));
      }),
  };
}
