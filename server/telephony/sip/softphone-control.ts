import type { RealtimeServer } from '../../realtime/realtime.plugin.js';
import {
  agentRoom,
  type SoftphoneHoldRequest,
  type SoftphoneMuteRequest,
} from '../../realtime/realtime.events.js';
import { TelephonyCommandError } from '../telephony.port.js';
import type { ReferRequest, ReferResult } from './sip-transfer.js';

/** What only the Agent's softphone can do to a SIP call. */
export interface SoftphoneControl {
  /** Throws `TelephonyCommandError` when no console of the Agent could. */
  hold(interactionId: number, onHold: boolean): Promise<void>;
  /** Throws `TelephonyCommandError` when no console of the Agent could. */
  mute(interactionId: number, muted: boolean): Promise<void>;
  /** Sends REFER (a blind transfer); resolves with how it went, a refusal included. */
  refer(request: ReferRequest): Promise<ReferResult>;
}

export interface SoftphoneControlOptions {
  io: RealtimeServer;
  /** The Agent on a live call, or null when the call has none. */
  agentOf: (interactionId: number) => Promise<number | null>;
  /** How long the Agent's consoles have to answer, re-INVITE included, in ms. Default 8000. */
  timeoutMs?: number;
  /**
   * How long a REFER may take, in ms: the caller's side answers REFER at once (202 or a refusal)
   * unless it is unreachable. Default 4000, short enough that the desk (10 s command timeout) hears
   * the refusal rather than a timeout.
   */
  referTimeoutMs?: number;
}

type TimedRoom = ReturnType<ReturnType<RealtimeServer['to']>['timeout']>;

type Ask =
  | { event: 'softphone:hold'; request: SoftphoneHoldRequest }
  | { event: 'softphone:mute'; request: SoftphoneMuteRequest };

/**
 * Hold, mute and transfer on a SIP call without a media server: our proxy only relays, so the hold
 * is the Agent's softphone re-INVITing the caller with `a=sendonly`, mute is its microphone track
 * turned off, and a transfer is its REFER. We ask every console of the Agent; the one with the call does it and answers (for hold, once
 * the re-INVITE is answered). Kamailio's `held`/`resumed` dialog events record a hold
 * (calls.providerHoldChanged), the same as one made on the softphone's own button.
 */
export function createSoftphoneControl({
  io,
  agentOf,
  timeoutMs = 8000,
  referTimeoutMs = 4000,
}: SoftphoneControlOptions): SoftphoneControl {
  /**
   * What the Agent's consoles answered within `ms`. A console that lets the time run out (a laptop
   * gone to sleep) counts as one without the call; it does not void the answers of the others.
   */
  function answersWithin<T>(
    agentId: number,
    ms: number,
    send: (room: TimedRoom, done: (error: Error | null, answers: T[]) => void) => void,
  ): Promise<T[]> {
    return new Promise((resolve) =>
      send(io.to(agentRoom(agentId)).timeout(ms), (_error, answers) => resolve(answers)),
    );
  }

  async function ask(interactionId: number, what: string, { event, request }: Ask): Promise<void> {
    const agentId = await agentOf(interactionId);
    if (agentId === null) throw new TelephonyCommandError('not_found', 'sip', 'No Agent is on this call');
    const answers = await answersWithin<{ ok: boolean; error?: string }>(agentId, timeoutMs, (room, done) => {
      // Narrowed one by one: the typed emit needs the event and its payload to agree.
      if (event === 'softphone:hold') room.emit(event, request, done);
      else room.emit(event, request, done);
    });
    if (answers.some((answer) => answer.ok)) return;
    const reason = answers.find((answer) => answer.error)?.error ?? 'no console of the Agent answered';
    throw new TelephonyCommandError('unavailable', 'sip', `The softphone could not ${what}: ${reason}`);
  }
  return {
    hold: (interactionId, onHold) =>
      ask(interactionId, onHold ? 'hold the call' : 'resume the call', {
        event: 'softphone:hold',
        request: { interactionId, onHold },
      }),
    mute: (interactionId, muted) =>
      ask(interactionId, muted ? 'mute' : 'unmute', {
        event: 'softphone:mute',
        request: { interactionId, muted },
      }),
    async refer(request) {
      const agentId = await agentOf(request.interactionId);
      if (agentId === null) return { ok: false, reason: 'nobody of ours is on this call' };
      const answers = await answersWithin<ReferResult | null>(agentId, referTimeoutMs, (room, done) =>
        room.emit('softphone:refer', request, done),
      );
      // Consoles without the call answer null; one with it answers how its REFER went.
      return (
        answers.find((answer) => answer?.ok) ??
        answers.find((answer) => answer !== null) ?? {
          ok: false,
          reason: 'no softphone with this call answered in time',
        }
      );
    },
  };
}
