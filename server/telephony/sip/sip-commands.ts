import {
  TelephonyCommandError,
  type AgentAddress,
  type CallTarget,
  type ConnectAgentInput,
  type PlacedLeg,
  type TelephonyCommands,
  type TelephonyFailure,
  type TransferInput,
} from '../telephony.port.js';
import type { Clock } from '../../clock.js';
import { KamailioControlError, type ContinueInvite, type KamailioControl } from './kamailio-control.js';
import { sipUserOf } from './sip-credentials.js';
import { transferUser, type ReferRequest, type ReferResult } from './sip-transfer.js';
import type { SipWaiting, WaitingInvite } from './sip-waiting.js';
import type { SoftphoneControl } from './softphone-control.js';

export interface SipTransferOptions {
  /** Asks the Agent's softphone on the call to send REFER; see `ReferRequest`. */
  refer: (request: ReferRequest) => Promise<ReferResult>;
  /** Signs the Refer-To of a transfer to our edge (`SIP_SHARED_SECRET`). */
  sharedSecret: string;
  /** host[:port] of our edge as callers' sides reach it, put in Refer-To. */
  edgeAddress: string;
  /** host[:port] where an outside number is called (`SIP_TRANSFER_TRUNK`); null: not possible. */
  trunk: string | null;
  /**
   * How long the caller's side may take from accepting REFER (202) to its INVITE reaching our
   * routing hook, in milliseconds. Default 4000: with the softphone's wait for the REFER's answer,
   * the desk hears how the transfer went within its own command timeout.
   */
  inviteTimeoutMs?: number;
  clock: Clock;
}

export interface SipCommandsOptions {
  control: KamailioControl;
  waiting: SipWaiting;
  /** How long an Agent's softphone rings when the call path does not say, in seconds. Default 20. */
  ringTimeoutSeconds?: number;
  /** Asks the Agent's softphone to hold, resume or mute; without it these are unsupported. */
  softphone?: SoftphoneControl;
  /** Blind transfer by REFER; without it transfers are refused as unsupported. */
  transfer?: SipTransferOptions;
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

/** How often a transfer looks for the referred caller's INVITE in the shared waiting records. */
const REFERRED_INVITE_POLL_MS = 50;

/** How long a transfer's Refer-To lets a caller in: long enough for a slow REFER, short if leaked. */
const TRANSFER_URI_TTL_MS = 30_000;

/**
 * TelephonyCommands over our Kamailio. A SIP call through the proxy is one dialog from caller to
 * Agent: `connectAgent` continues the caller's suspended INVITE toward the Agent's softphone, and
 * `hangUp` ends the wait (a final response) or the dialog (JSON-RPC `dlg.end_dlg`, BYE both ways).
 * Without a media server in the path, hold is the Agent's softphone re-INVITing the caller and mute
 * its microphone off, a blind transfer is a REFER the Agent's softphone sends (see sip-transfer.ts),
 * and warm transfer and recording are not possible yet.
 */
export function createSipCommands({
  control,
  waiting,
  ringTimeoutSeconds = 20,
  softphone,
  transfer,
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

  /** The Agent's softphone sends REFER; a refusal, by the softphone or the caller's side, is typed. */
  async function referCaller(options: SipTransferOptions, target: CallTarget, referTo: string) {
    const result = await options.refer({
      interactionId: target.interactionId,
      callId: target.providerCallId,
      referTo,
    });
    if (!result.ok)
      throw new TelephonyCommandError('rejected', 'sip', `The transfer was refused: ${result.reason}`);
  }

  /** The referred caller's INVITE, once the routing hook has held it for `interactionId`. */
  async function referredInvite(interactionId: number, deadlineMs: number): Promise<WaitingInvite | null> {
    for (;;) {
      const invite = await waiting.get(interactionId);
      if (invite || Date.now() > deadlineMs) return invite;
      await new Promise((resolve) => setTimeout(resolve, REFERRED_INVITE_POLL_MS));
    }
  }

  async function referredTooLate(interactionId: number): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, REFERRED_INVITE_POLL_MS * 4));
    const late = await waiting.take(interactionId);
    if (late) await continueWithRetry(late, { action: 'reject', code: 480, reason: 'Transfer Failed' });
  }

  async function blindTransfer(options: SipTransferOptions, input: TransferInput): Promise<PlacedLeg | null> {
    const { to, mode, ...target } = input;
    if (mode === 'warm' || to.kind === 'agent')
      throw new TelephonyCommandError(
        'unsupported',
        'sip',
        'A consultation is not possible on SIP calls: the proxy cannot hold the caller',
      );
    if (to.kind === 'number') {
      if (!options.trunk)
        throw new TelephonyCommandError(
          'unsupported',
          'sip',
          'Transferring a SIP call to an outside number needs a trunk (SIP_TRANSFER_TRUNK)',
        );
      // The caller's side calls the number itself; nothing of ours stays on the call.
      await referCaller(options, target, `sip:${to.phoneNumber}@${options.trunk}`);
      return null;
    }
    const expiresAt = new Date(options.clock.now().getTime() + TRANSFER_URI_TTL_MS);
    const user = transferUser(options.sharedSecret, to.interactionId, expiresAt);
    try {
      await referCaller(options, target, `sip:${user}@${options.edgeAddress}`);
    } catch (error) {
      // A REFER reported refused may still have been followed (a console answered late): its
      // INVITE must not wait for nobody.
      void referredTooLate(to.interactionId).catch(() => undefined);
      throw error;
    }
    const invite = await referredInvite(to.interactionId, Date.now() + (options.inviteTimeoutMs ?? 4000));
    if (!invite) {
      // The transfer fails now; an INVITE that lands a moment later must not wait for nobody. Best
      // effort: otherwise Kamailio's own longest wait ends it.
      void referredTooLate(to.interactionId).catch(() => undefined);
      throw new TelephonyCommandError(
        'unavailable',
        'sip',
        "The caller's side accepted the transfer but never called in",
      );
    }
    // The caller waits in the new Interaction now. Their old dialog with the Agent is over; if
    // Kamailio cannot end it, the Agent's softphone hangs up when the desk no longer shows the call.
    await control.endDialog(target.providerCallId).catch(() => undefined);
    return { providerCallId: invite.callId };
  }

  return {
    async canRing(_target: CallTarget, agent: AgentAddress): Promise<boolean> {
      const user = 'sipAddress' in agent ? sipUserOf(agent.sipAddress) : null;
      if (!user) return false;
      try {
        return await control.isRegistered(user);
      } catch (error) {
        // Kamailio away: connectAgent will say so, and the caller keeps waiting either way.
        if (error instanceof KamailioControlError && error.kind === 'unreachable') return true;
        throw error;
      }
    },

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
    startSurvey: unsupported('The post-call survey'),
    muteAgent: softphone
      ? (target, muted) => softphone.mute(target.interactionId, muted)
      : unsupported('Muting from the server'),
    hold: softphone ? (target) => softphone.hold(target.interactionId, true) : unsupported('Hold'),
    resume: softphone ? (target) => softphone.hold(target.interactionId, false) : unsupported('Resume'),
    transfer: transfer ? (input) => blindTransfer(transfer, input) : unsupported('Transfer'),
    startRecording: unsupported('Recording'),
    pauseRecording: unsupported('Recording'),
    resumeRecording: unsupported('Recording'),
    stopRecording: unsupported('Recording'),
  };
}
