/**
 * The Telephony port: the only contract between the call path (IVR, ACD, interactions, supervision)
 * and whatever carries the audio.
 *
 * Two adapters sit behind it: `twilio/` (webhooks in, REST call control out) and `sip/` (proxy
 * hooks in, JSON-RPC control out). Nothing above this port may know which provider carried a Call:
 * no Twilio SID parsing, no TwiML, no SIP headers, no `if (provider === 'twilio')`. `provider` and
 * `providerCallId` travel with every event so an Interaction can record them and hand them back in
 * commands; they are opaque values, never inspected.
 */

import type { TelephonyProvider } from '../../contracts/glossary.js';

export { TELEPHONY_PROVIDERS, type TelephonyProvider } from '../../contracts/glossary.js';

/**
 * One leg of a Call: the customer's own, one we placed to an Agent, or one we placed to a transfer
 * target. Commands address the caller leg; events arrive for every leg.
 */
export type CallLeg = 'caller' | 'agent' | 'transfer';

/** A customer we ring into an Interaction's bridge where the Agent already waits (a callback). */
export interface DialCustomerInput extends CallTarget {
  /** E.164. */
  phoneNumber: string;
  /** How long the customer's phone rings before the leg gives up, in seconds. Default: the adapter's. */
  ringTimeoutSeconds?: number;
}

interface TelephonyEventBase {
  provider: TelephonyProvider;
  /** The provider's id of the leg this event is about (Twilio CallSid, SIP Call-ID). Opaque. */
  providerCallId: string;
  leg: CallLeg;
  /** The Interaction the leg belongs to; absent only on `call_arrived`, which creates it. */
  interactionId?: number;
  /** When the provider says it happened (not when we received it). */
  at: Date;
  /**
   * The provider's order of events for this leg, when it gives one. Providers retry and deliver
   * out of order: order by this, not by arrival.
   */
  sequence?: number;
}

/** Why a leg ended, in our words. */
export type CallEndReason = 'completed' | 'busy' | 'no_answer' | 'failed' | 'canceled';

/** What callers entered in the IVR. */
export type IvrInput =
  { kind: 'digits'; digits: string } | { kind: 'speech'; text: string; /** 0–1. */ confidence: number };

/** Everything a provider tells us about a Call, normalised. Discriminated by `type`. */
export type TelephonyEvent =
  | (TelephonyEventBase & {
      type: 'call_arrived';
      /** E.164 when the caller is a phone number, else the SIP user or URI as received. */
      from: string;
      to: string;
      direction: 'inbound' | 'outbound';
    })
  | (TelephonyEventBase & { type: 'ivr_input'; input: IvrInput })
  /** The caller is parked where wait music plays, waiting for an Agent. */
  | (TelephonyEventBase & { type: 'queued' })
  | (TelephonyEventBase & { type: 'ringing' })
  | (TelephonyEventBase & { type: 'answered' })
  | (TelephonyEventBase & { type: 'held' })
  | (TelephonyEventBase & { type: 'resumed' })
  | (TelephonyEventBase & {
      type: 'ended';
      reason: CallEndReason;
      /** Seconds from answer to end, when the provider reports it. */
      durationSeconds?: number;
    })
  | (TelephonyEventBase & {
      type: 'recording_ready';
      /** Opaque reference the adapter resolves to the audio later. */
      recordingRef: string;
      durationSeconds: number;
    });

export type TelephonyEventType = TelephonyEvent['type'];

/** Where adapters deliver events. It must be idempotent: providers retry. */
export type TelephonyEventListener = (event: TelephonyEvent) => Promise<void>;

/** How to reach an Agent's audio: their softphone's SIP address or a phone number (E.164). */
export type AgentAddress = { sipAddress: string } | { phoneNumber: string };

/** The live Call a command acts on, as its Interaction knows it. */
export interface CallTarget {
  interactionId: number;
  /** Which adapter carries the Call; a router in front of several adapters picks by it. */
  provider: TelephonyProvider;
  /** The caller leg's provider id, from the events. */
  providerCallId: string;
  /**
   * The bridge where the legs of this Interaction meet. One per Interaction; build it with
   * `conferenceNameOf` so every module spells it the same way.
   */
  conferenceName: string;
}

export interface ConnectAgentInput extends CallTarget {
  agent: AgentAddress;
  /** How long the Agent's phone rings before the leg gives up, in seconds. Default: the adapter's. */
  ringTimeoutSeconds?: number;
}

export type TransferDestination =
  | {
      kind: 'queue';
      callQueueId: number;
      /** The Interaction the caller continues in: a transfer starts a new one on the same call. */
      interactionId: number;
      /** Its bridge, where the caller waits for the next Agent (`conferenceNameOf(interactionId)`). */
      conferenceName: string;
    }
  | {
      kind: 'agent';
      agentId: number;
      agent: AgentAddress;
      /**
       * The Agent's own part of the call (a new Interaction, see `consult`): their softphone gets
       * this id in `X-CTI-Interaction`, so it matches the call their desk shows, not the parent's.
       */
      interactionId: number;
    }
  /** An outside number, E.164. */
  | { kind: 'number'; phoneNumber: string };

export interface TransferInput extends CallTarget {
  to: TransferDestination;
  /**
   * `blind`: the current Agent leaves as soon as the destination is dialled.
   * `warm`: the caller is held and the destination joins the Agent; the Agent then resumes the
   * caller (a three-way call) and hangs up their own phone. Not possible to a CallQueue.
   */
  mode: 'blind' | 'warm';
}

/** A leg the adapter placed; its events carry this `providerCallId`. */
export interface PlacedLeg {
  providerCallId: string;
}

/**
 * Commands the call path sends to whatever carries the Call. Those that place a leg
 * (`connectAgent`, `transfer`) are not idempotent: retrying one rings a second phone.
 */
export interface TelephonyCommands {
  /** Ring an Agent and bridge them with the waiting caller. Resolves once the leg is placed, not answered. */
  connectAgent(input: ConnectAgentInput): Promise<PlacedLeg>;
  /**
   * Whether the Agent's phone can be rung for this Call now: false for a softphone that is not
   * registered. Asked before an offer is accepted, so a caller is never sent to a phone that is not
   * there. A provider that cannot tell answers true and lets `connectAgent` fail.
   */
  canRing(target: CallTarget, agent: AgentAddress): Promise<boolean>;
  /**
   * Ring a customer into the bridge where the Agent already is, for a Call we place (a callback).
   * The leg then counts as the caller's: hanging it up ends the Call. Its events come with
   * `leg: 'caller'`. Resolves once the leg is placed, not answered.
   */
  dialCustomer(input: DialCustomerInput): Promise<PlacedLeg>;
  /** The caller stops (or starts again) hearing the Agent on leg `agentLegId`; the Agent still hears them. */
  muteAgent(target: CallTarget & { agentLegId: string }, muted: boolean): Promise<void>;
  /** The caller hears hold music; the Agent stays on the line. */
  hold(target: CallTarget): Promise<void>;
  resume(target: CallTarget): Promise<void>;
  /**
   * Resolves with the leg placed to the destination. For a CallQueue, with the caller's new call
   * when the move gave them one (SIP: the caller's side followed a REFER with a new INVITE), else
   * `null` (Twilio: the same call moves).
   */
  transfer(input: TransferInput): Promise<PlacedLeg | null>;
  /** Ends the whole Call: the caller and every leg bridged with it. */
  hangUp(target: CallTarget): Promise<void>;
  /**
   * The caller waited longer than the CallQueue allows: take them out of the wait and, in their
   * language, let them leave a voicemail or ask for a callback instead.
   */
  offerAlternative(target: CallTarget, alternative: 'voicemail' | 'callback'): Promise<void>;
  startRecording(target: CallTarget): Promise<{ recordingRef: string }>;
  /** Pauses the Call's active recording; `not_found` when none runs. */
  pauseRecording(target: CallTarget): Promise<void>;
  resumeRecording(target: CallTarget): Promise<void>;
  /** Ends the Call's active recording for good (its audio so far is kept); `not_found` when none runs. */
  stopRecording(target: CallTarget): Promise<void>;
}

/**
 * What the provider's own record says about one leg of a Call now. Callbacks get lost (sent while
 * we restarted) and reordered; this is what reconciliation and order-independent decisions read.
 */
export interface LegReport {
  /** `pending`: placed, not answered yet; `answered`: up now; `ended`: over, answered or not. */
  status: 'pending' | 'answered' | 'ended';
  /** Whether the far end ever answered. */
  answered: boolean;
  /** When it answered, by the provider's clock, when it says. */
  answeredAt: Date | null;
  /** When it ended, by the provider's clock (not when we learnt it). */
  endedAt: Date | null;
  /** How it ended, in the provider's words (`completed`, `busy`, `no-answer`, …); null while live. */
  endStatus: string | null;
}

/** Reads of the provider's record of Calls: never changes one, so any process may ask at any time. */
export interface CallReader {
  /** One leg by its provider id; null when the provider has no such leg. */
  leg(target: CallTarget, providerCallId: string): Promise<LegReport | null>;
  /** The provider ids of the legs in the Call's bridge now (empty when there is no bridge). */
  bridgeLegs(target: CallTarget): Promise<string[]>;
}

/** Why a command failed, in terms the call path can act on. */
export type TelephonyFailure =
  /** The Call, or its bridge, is gone (usually the caller hung up first). */
  | 'not_found'
  /** The provider refused the request as invalid: a bug on our side or a bad number. */
  | 'rejected'
  /** Our credentials were refused: configuration, not the Call. */
  | 'unauthorized'
  /** The provider did not answer or failed; retrying later may work. */
  | 'unavailable'
  /** The adapter cannot do this at all (e.g. a warm transfer to a CallQueue). */
  | 'unsupported';

/** The one error a `TelephonyCommands` method throws. `cause` keeps the provider's own error. */
export class TelephonyCommandError extends Error {
  constructor(
    readonly failure: TelephonyFailure,
    readonly provider: TelephonyProvider,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TelephonyCommandError';
  }
}

/** The bridge name of an Interaction: one each, so a transfer (a new Interaction) gets a new one. */
export const conferenceNameOf = (interactionId: number): string => `interaction-${interactionId}`;

/**
 * How a supervisor takes part in a live Call: `monitor` listens silently, `whisper` coaches the
 * Agent (the Agent hears the supervisor, the customer does not), `barge` joins the conversation.
 */
export type SupervisorMode = 'monitor' | 'whisper' | 'barge';

export interface SupervisorJoinInput extends CallTarget {
  /** The supervisor's own phone or softphone. */
  supervisor: AgentAddress;
  /** The Agent's leg, the one `whisper` coaches. */
  agentLegId: string;
  mode: SupervisorMode;
}

export interface SupervisorModeInput extends CallTarget {
  /** The supervisor's leg, as `joinSupervisor` placed it. */
  supervisorLegId: string;
  agentLegId: string;
  mode: SupervisorMode;
}

/**
 * Supervisor actions on a live Call, apart from `TelephonyCommands` so an adapter without them
 * still carries calls. Like `connectAgent`, `joinSupervisor` places a leg and is not idempotent.
 */
export interface SupervisorCommands {
  /** Dials the supervisor into the Call's bridge in `mode`; resolves once the leg is placed. */
  joinSupervisor(input: SupervisorJoinInput): Promise<PlacedLeg>;
  /** Changes how a joined supervisor takes part, e.g. from whisper to barge. */
  setSupervisorMode(input: SupervisorModeInput): Promise<void>;
}

/** A recording's audio as the provider serves it, for our server to pass on (never its URL). */
export interface RecordingAudio {
  /** 200: the whole file; 206: the range asked for; 416: a range outside the file. */
  status: 200 | 206 | 416;
  /** E.g. `audio/mpeg`. */
  contentType: string;
  /** Bytes in `body`, when the provider says. */
  contentLength: number | null;
  /** The provider's `Content-Range`, with 206 and 416. */
  contentRange: string | null;
  body: ReadableStream<Uint8Array> | null;
}

/** Reads the audio of recordings and voicemails the provider keeps, with its own credentials. */
export interface RecordingMedia {
  /**
   * The audio of `recordingRef` (as `recording_ready` gave it); null when the provider has no such
   * recording. `range` is the listener's HTTP `Range` header, passed on so players can seek.
   * @throws TelephonyCommandError when the provider refuses or fails.
   */
  fetch(recordingRef: string, range?: string): Promise<RecordingAudio | null>;
}
