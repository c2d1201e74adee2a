import type { Redis } from 'ioredis';
import type { IvrState } from '../../ivr/index.js';
import type { RecordingState } from '../realtime/realtime.events.js';
import type { TelephonyProvider } from '../../contracts/glossary.js';
import type { CallbackJob } from './calls.jobs.js';

/**
 * What the call path remembers about a live call between webhooks and socket events, shared by every
 * server process. The Interaction in SQLite is the record; this is working memory and expires.
 */
export interface CallSession {
  interactionId: number;
  provider: TelephonyProvider;
  /** The caller leg's provider id; empty for a callback until the customer is dialled. */
  providerCallId: string;
  callerNumber: string | null;
  ivr: IvrState | null;
  /** The TwiML last answered to the provider, replayed when it retries the same webhook. */
  lastTwiml: string | null;
  /** How the IVR ended the call, when it did (voicemail, callback, transfer). */
  ivrOutcome: 'voicemail' | 'callback' | 'transferred' | null;
  queueId: number | null;
  agentLegId: string | null;
  /** Agent legs given up before they answered (the desk hung up while they rang): one that answers late is hung up. */
  droppedAgentLegs?: string[];
  /** The agent muted themselves: the caller does not hear them. */
  agentMuted?: boolean;
  /** The recording the call path started (queue policy or the agent); absent: `off`. */
  recording?: RecordingState;
  /** Epoch ms when the caller was put on hold; null when not on hold. */
  holdStartedAtMs: number | null;
  /**
   * The CallQueue had nobody signed in and does not let callers join then: instead of waiting, the
   * caller gets this alternative at once.
   */
  queueEmpty?: 'voicemail' | 'callback';
  /**
   * Set on a call we place (a callback, or an agent's click-to-call): whom to dial once the agent's
   * phone answers and, for a callback, what to do if nobody answers.
   */
  dialOut?: { phoneNumber: string; callback: CallbackJob | null; followUpId?: number | null };
  /**
   * A warm transfer under way: the caller is held while the agent talks, on leg `legId`, to `label`
   * (a number, or an agent whose own part of the call is Interaction `childId`). `completed` once
   * the agent handed the caller over and left.
   */
  consult?: {
    label: string;
    legId: string;
    childId: number | null;
    answered: boolean;
    completed: boolean;
  } | null;
  /** The bridge of this Interaction when it is not its own: a warm transfer's continues its parent's. */
  conferenceName?: string;
  /** Set on a consulted agent's Interaction until the consulting agent completes the transfer. */
  consultOf?: number | null;
  /** How the Agent's leg `legId` ended (`completed` once answered), when the provider said so. */
  agentLegEnd?: { legId: string | null; status: string } | null;
  /** The caller's end, kept while the Agent's answer is unknown (see answer-evidence.ts). */
  heldEnd?: HeldEnd | null;
  /** Queues this call overflowed from, so overflow rules that point at each other cannot loop. */
  overflowedFrom?: number[];
}

/** A caller's end that came while the Agent's answer was still unknown. */
export interface HeldEnd {
  /** ISO time the caller's leg ended, by the provider's clock. */
  at: string;
  /** The caller leg's end status. */
  status: string;
}

/** A call's first session: nothing has happened on it yet beyond what `fields` says. */
export function newSession(
  fields: Pick<CallSession, 'interactionId' | 'provider' | 'providerCallId' | 'callerNumber'> &
    Partial<CallSession>,
): CallSession {
  return {
    ivr: null,
    lastTwiml: null,
    ivrOutcome: null,
    queueId: null,
    agentLegId: null,
    holdStartedAtMs: null,
    ...fields,
  };
}

export interface CallSessionsOptions {
  redis: Redis;
  /** Key prefix, e.g. `cti:calls:`. */
  prefix: string;
  /** Seconds a session outlives its last change. Default 86400: longer than any call. */
  ttlSeconds?: number;
}

export function createCallSessions({ redis, prefix, ttlSeconds = 86_400 }: CallSessionsOptions) {
  const key = (interactionId: number) => `${prefix}session:${interactionId}`;
  return {
    async get(interactionId: number): Promise<CallSession | null> {
      const raw = await redis.get(key(interactionId));
      return raw ? (JSON.parse(raw) as CallSession) : null;
    },
    async put(session: CallSession): Promise<void> {
      await redis.set(key(session.interactionId), JSON.stringify(session), 'EX', ttlSeconds);
    },
    /** Read-modify-write of one session. Webhooks of one call arrive in sequence, so last writer wins is fine. */
    async update(
      interactionId: number,
      change: (session: CallSession) => Partial<CallSession>,
    ): Promise<CallSession | null> {
      const session = await this.get(interactionId);
      if (!session) return null;
      const next = { ...session, ...change(session) };
      await this.put(next);
      return next;
    },
  };
}

export type CallSessions = ReturnType<typeof createCallSessions>;
