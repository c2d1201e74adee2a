/**
 * The Telephony port: the only contract between the call path (IVR, ACD, interactions, supervision)
 * and whatever carries the audio.
 *
 * Two adapters sit behind it: `twilio/` (webhooks in, REST call control out) and `sip/` (proxy
 * hooks in, JSON-RPC control out). Nothing above this port may know which provider carried a Call:
 * no Twilio SID parsing, no SIP headers, no `if (provider === 'twilio')`. Adapters report what
 * happened through `CallEvents` and the call path acts through `TelephonyCommands`. `provider` and
 * `providerCallId` travel with a call so an Interaction can record them and hand them back in
 * commands; they are opaque values, never inspected.
 */
import type { GatherInput } from '../../ivr/index.js';
import type { CallSession } from '../calls/call-sessions.js';

/** The call path's working memory of a live call, as `CallEvents.session` reads it. */
export type { CallSession };

import type { TelephonyProvider } from '../../contracts/glossary.js';
import type { HandoffContext, HandoffSource } from '../../contracts/handoff.js';

export { TELEPHONY_PROVIDERS, type TelephonyProvider } from '../../contracts/glossary.js';

/** A customer we ring into an Interaction's bridge where the Agent already waits (a callback). */
export interface DialCustomerInput extends CallTarget {
  /** E.164. */
  phoneNumber: string;
  /** How long the customer's phone rings before the leg gives up, in seconds. Default: the adapter's. */
  ringTimeoutSeconds?: number;
}

/** A call that reached one of our numbers, as its adapter first sees it. */
export interface CallArrival {
  provider: TelephonyProvider;
  /** The caller leg's provider id (Twilio CallSid, SIP Call-ID). Opaque. */
  providerCallId: string;
  /** E.164 when the caller is a phone number, else the SIP user or URI as received. */
  from: string;
  /** The number or SIP user dialled. */
  to: string;
}

/** The Interaction whose own call a provider call is, as the record knows it. */
export interface CallOwner {
  id: number;
  /** Whether the Interaction was answered. */
  answered: boolean;
  /** Whether a transfer moved its caller to another provider call (a SIP REFER gives a new dialog). */
  moved: boolean;
}

/** Where a waiting caller stands, for the announcement they hear. */
export interface WaitingInfo {
  /** 1 for the next caller to be offered. */
  position: number;
  /** Null until the CallQueue has a day of handled calls to judge by. */
  estimatedWaitSeconds: number | null;
}

/** What the caller answered to an IVR prompt, in the form fields of a Gather (Twilio's names). */
export type IvrAnswer = GatherInput;

/** Where the provider posts what the caller does next: the adapter's own URLs. */
export interface IvrLinks {
  /** Where the caller's answer to node `nodeId` goes (also the target of the IVR's redirects). */
  answerUrl(nodeId: string): string;
  /** Where the provider reports a voicemail the IVR records. */
  recordingUrl: string;
}

/**
 * What the adapter answers the caller with after an IVR step. The flows speak TwiML (see
 * `ivr/verbs.ts`): `document` is theirs, passed through; the other kinds are for the adapter to say in
 * its own terms.
 */
export type IvrReply =
  /** What the IVR says next (after an answer out of turn: its last prompt again). */
  | { kind: 'document'; document: string }
  /** The IVR handed the caller to a CallQueue: the adapter parks them where wait music plays. */
  | { kind: 'queued' }
  /** The CallQueue turns callers away while nobody is signed in: the adapter offers `alternative`. */
  | { kind: 'queue_empty'; alternative: 'voicemail' | 'callback' }
  /** The call has no IVR to continue (no session, or its flow is gone): the adapter ends it politely. */
  | { kind: 'gone' };

/**
 * What adapters tell the call path: the inbound half of the port, as `TelephonyCommands` is the
 * outbound one. Adapters depend on this, never on the calls service. Providers retry, duplicate and
 * reorder their callbacks: a leg's reports (answered, ended, joined) are safe to repeat, an IVR step
 * and an `enqueue` are not, and adapters run each of those once. The `at` a method takes is the
 * provider's time of the event, not when it reached us (default: now).
 */
export interface CallEvents {
  /** A call reached one of our numbers. A retried arrival returns the same Interaction with `created: false`. */
  arrive(call: CallArrival): Promise<{ interactionId: number; created: boolean; customerId: number | null }>;
  /**
   * A transferred caller's side called in again to reach the Interaction the transfer started (a
   * SIP REFER followed): that call becomes the Interaction's own. Once only, while the transfer is
   * under way; false otherwise, and nothing changes.
   */
  transferredCallArrived(interactionId: number, provider: TelephonyProvider, providerCallId: string): boolean;
  /**
   * A new call's IVR starts: runs the flow for the `dialled` number up to its first prompt. The
   * call path is the only writer of the call's IVR state.
   */
  startIvr(interactionId: number, dialled: string, links: IvrLinks): Promise<IvrReply>;
  /** The caller answered the IVR's last prompt: walks the flow on to its next prompt or its end. */
  ivrStep(interactionId: number, answer: IvrAnswer, links: IvrLinks): Promise<IvrReply>;
  /**
   * The caller, past the CallQueue's longest wait, asked to be called back (through `queueName`,
   * default: the queue they waited in) instead of waiting on.
   */
  callbackRequested(
    interactionId: number,
    ivrAnswers: Record<string, string>,
    queueName: string | null,
  ): Promise<void>;
  /** The caller was sent on to voicemail, a callback or a transfer out instead of an Agent. */
  ivrFinished(
    interactionId: number,
    outcome: CallSession['ivrOutcome'],
    ivrAnswers: Record<string, string>,
  ): Promise<void>;
  /**
   * A caller with no IVR (SIP) is handed to CallQueue `queueName`; returns its id. Offers follow on
   * `dispatch`.
   */
  enqueue(
    interactionId: number,
    request: { queueName: string; priorityBoostSeconds: number; ivrAnswers: Record<string, string> },
  ): Promise<number>;
  /** Offers waiting calls to free Agents: after a caller is queued, or queued again. */
  dispatch(): Promise<void>;
  /**
   * A bot handed the caller over with its context (verified by the adapter), or with one the
   * adapter refused, of which only the reason is kept.
   */
  handedOff(
    interactionId: number,
    source: HandoffSource,
    handoff: { context: HandoffContext } | { refused: string },
  ): void;
  /** The Agent's phone or softphone answered (leg `legId` when the provider names it). */
  agentLegAnswered(interactionId: number, at?: Date, legId?: string): Promise<void>;
  /**
   * The Agent's phone refused or never answered the call they accepted (SIP code `failure`); true
   * when the call went back to its queue, false when the failure goes on to the caller.
   */
  agentLegFailed(interactionId: number, failure: string): Promise<boolean>;
  /** The Agent's leg ended, with the provider's status (`completed`, `busy`, `no-answer`, …). */
  agentLegEnded(interactionId: number, status: string): Promise<void>;
  /** The customer we dialled (a callback, click-to-call) answered. */
  customerAnswered(interactionId: number, at?: Date): Promise<void>;
  /** The leg placed to a transfer or consultation destination answered. */
  transferLegAnswered(interactionId: number, at?: Date): Promise<void>;
  /** The leg placed to a transfer or consultation destination ended, with the provider's status. */
  transferLegEnded(interactionId: number, status: string): Promise<void>;
  /** Leg `legId` joined the call's bridge: for an Agent's leg, as sure an answer as its own callback. */
  legJoined(interactionId: number, legId: string, at?: Date): Promise<void>;
  /** The caller's leg ended, with the provider's status (default `completed`). */
  callerEnded(interactionId: number, status?: string, at?: Date): Promise<void>;
  /** The provider saw the call go on hold (true) or off it, whoever asked. */
  providerHoldChanged(interactionId: number, onHold: boolean): Promise<void>;
  /** A recording (a voicemail, or the call's) is ready under the opaque `recordingRef`. */
  recordingReady(interactionId: number, recordingRef: string): Promise<void>;
  /** The call path's working memory of a live call; null once the call is long over. */
  session(interactionId: number): Promise<CallSession | null>;
  /**
   * Writes the session back whole. Only for a repair the provider's record proves (the Twilio
   * reconciler finding the Agent's leg the session lost).
   */
  saveSession(session: CallSession): Promise<void>;
  /** The Interaction a provider call belongs to now (the newest of a transfer chain), or null. */
  interactionOf(provider: TelephonyProvider, providerCallId: string): number | null;
  /** The Interaction whose own call `providerCallId` is, or null. */
  ownerOfCall(provider: TelephonyProvider, providerCallId: string): CallOwner | null;
  /** Where a waiting caller stands; null when they are not waiting in a CallQueue. */
  waitingInfo(interactionId: number): Promise<WaitingInfo | null>;
}

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
      /**
       * The destination CallQueue asks the post-call survey: the caller stays for it when that
       * Interaction's Agent hangs up. Default false.
       */
      survey?: boolean;
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
   * The conversation of `target.interactionId` is over but the caller stays on the line for its
   * post-call survey: the caller leaves the bridge (every Agent leg in it ends) and hears the first
   * question. `unsupported` where no media can play it (SIP); `not_found` when the caller is gone.
   */
  startSurvey(target: CallTarget): Promise<void>;
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
  /**
   * Deletes `recordingRef` at the provider for good (an erasure). A recording the provider no longer
   * has counts as deleted, so a retried delete succeeds.
   * @throws TelephonyCommandError when the provider refuses or fails; the caller retries.
   */
  delete(recordingRef: string): Promise<void>;
}
