import {
  TelephonyCommandError,
  type CallTarget,
  type ConnectAgentInput,
  type PlacedLeg,
  type TelephonyCommands,
  type TelephonyFailure,
} from '../telephony.port.js';
import { KamailioControlError, type ContinueInvite, type KamailioControl } from './kamailio-control.js';
import { sipUserOf } from './sip-credentials.js';
import type { SipWaiting, WaitingInvite } from './sip-waiting.js';

export interface SipCommandsOptions {
  control: KamailioControl;
  waiting: SipWaiting;
  /** How long an Agent's softphone rings when the call path does not say, in seconds. Default 20. */
  ringTimeoutSeconds?: number;
}

const FAILURE_OF: Record<KamailioControlError['kind'], TelephonyFailure> = {
  unreachable: 'unavailable',
  refused: 'unauthorized',
  not_found: 'not_found',
};

/**
 * The routing hook answers Kamailio before Kamailio suspends the INVITE, so an Agent who accepts at
 * once (a bot, an auto-answer desk) can reach /cti/continue a moment too early. Retry that briefly.
 */
const CONTINUE_RETRIES_MS = [20, 50, 100, 200, 400];

/**
 * TelephonyCommands over our Kamailio. A SIP call through the proxy is one dialog from caller to
 * Agent: `connectAgent` continues the caller's suspended INVITE toward the Agent's softphone, and
 * `hangUp` ends the wait (a final response) or the dialog (JSON-RPC `dlg.end_dlg`, BYE both ways).
 * Without a media server in the path, hold, transfer and recording are not possible yet.
 */
export function createSipCommands({
  control,
  waiting,
  ringTimeoutSeconds = 20,
}: SipCommandsOptions): TelephonyCommands {
  const failed = (error: unknown, doing: string): never => {
    if (error instanceof KamailioControlError)
      throw new TelephonyCommandError(FAILURE_OF[error.kind], 'sip', `${doing}: ${error.message}`, {
        cause: error,
      });
    throw error;
  };
  const unsupported = (what: string) => async (): Promise<never> => {
    throw new TelephonyCommandError('unsupported', 'sip', `${what} is not possible on SIP calls yet`);
  };

  async function continueWithRetry(invite: WaitingInvite, how: ContinueInvite): Promise<void> {
    for (const delayMs of [...CONTINUE_RETRIES_MS, null]) {
      try {
        await control.continueInvite(invite, how);
        return;
      } catch (error) {
        if (!(error instanceof KamailioControlError && error.kind === 'not_found') || delayMs === null)
          throw error;
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  }

  /** Answers a waiting caller with a final response; false when nobody is waiting for this call. */
  async function endWait(target: CallTarget, code: number, reason: string): Promise<boolean> {
    const invite = await waiting.take(target.interactionId);
    if (!invite) return false;
    try {
      await continueWithRetry(invite, { action: 'reject', code, reason });
    } catch (error) {
      failed(error, 'Ending the wait');
    }
    return true;
  }

  return {
    async connectAgent(input: ConnectAgentInput): Promise<PlacedLeg> {
      if (!('sipAddress' in input.agent))
        throw new TelephonyCommandError(
          'unsupported',
          'sip',
          'SIP calls reach Agents on their softphone only',
        );
      const agent = sipUserOf(input.agent.sipAddress);
      if (!agent)
        throw new TelephonyCommandError(
          'rejected',
          'sip',
          `"${input.agent.sipAddress}" is not a SIP address we can ring`,
        );
      const invite = await waiting.take(input.interactionId);
      if (!invite) throw new TelephonyCommandError('not_found', 'sip', 'The caller is no longer waiting');
      try {
        await continueWithRetry(invite, {
          action: 'connect',
          agent,
          interactionId: input.interactionId,
          ringMs: (input.ringTimeoutSeconds ?? ringTimeoutSeconds) * 1000,
        });
      } catch (error) {
        // Kamailio away: the INVITE may still be suspended there, so keep it for a retry.
        if (error instanceof KamailioControlError && error.kind === 'unreachable')
          await waiting.put(input.interactionId, invite);
        failed(error, 'Ringing the Agent');
      }
      // Through a proxy the Agent's leg is the same dialog as the caller's.
      return { providerCallId: invite.callId };
    },

    async hangUp(target: CallTarget): Promise<void> {
      if (await endWait(target, 480, 'Call Ended')) return;
      try {
        await control.endDialog(target.providerCallId);
      } catch (error) {
        failed(error, 'Hanging up');
      }
    },

    // No media server plays a voicemail prompt or takes digits yet: the caller hears busy.
    async offerAlternative(target: CallTarget): Promise<void> {
      if (!(await endWait(target, 486, 'No Agent Available')))
        throw new TelephonyCommandError('not_found', 'sip', 'The caller is no longer waiting');
    },

    dialCustomer: unsupported('Calling a customer'),
    muteAgent: unsupported('Muting from the server'),
    hold: unsupported('Hold'),
    resume: unsupported('Resume'),
    transfer: unsupported('Transfer'),
    startRecording: unsupported('Recording'),
    pauseRecording: unsupported('Recording'),
    resumeRecording: unsupported('Recording'),
  };
}
