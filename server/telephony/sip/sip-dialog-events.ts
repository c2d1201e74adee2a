import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { CallsService } from '../../calls/calls.service.js';
import { SIP_DIALOG_EVENTS } from './kamailio-config.js';
import type { SipWaiting } from './sip-waiting.js';

export type SipDialogEventName = (typeof SIP_DIALOG_EVENTS)[keyof typeof SIP_DIALOG_EVENTS];

/** What Kamailio's dialog event routes say, by HTTP hook or evapi push. */
export interface SipDialogEvent {
  event: SipDialogEventName;
  callId: string;
  code?: string | undefined;
}

/** Which way an event came: both carry every event when evapi is on. */
export type SipEventChannel = 'http' | 'evapi';

export interface SipDialogEventsOptions {
  calls: CallsService;
  waiting: SipWaiting;
  redis: Redis;
  /** Key prefix of the seen-events records, e.g. `cti:<installation>:sip:`. */
  prefix: string;
  log: FastifyBaseLogger;
}

/** An event is kept as seen this long: far longer than the two channels can be apart. */
const SEEN_TTL_SECONDS = 3600;

/**
 * Dialog events into the call path, once each. Kamailio sends every event by the HTTP hook and,
 * when evapi is on, pushes it too, to every server process connected: the first arrival of an
 * (event, Call-ID) pair does the work, in whatever process, and the others are only logged.
 */
export function createSipDialogEvents({ calls, waiting, redis, prefix, log }: SipDialogEventsOptions) {
  return {
    /** Returns 'unknown' for a dialog no Interaction owns; nothing changes then. */
    async take(
      { event, callId, code }: SipDialogEvent,
      channel: SipEventChannel,
    ): Promise<'done' | 'duplicate' | 'unknown'> {
      // Each part of a SIP call has its own dialog: a REFER moves the caller to a new one.
      const owner = calls.ownerOfCall('sip', callId);
      if (owner === null) return 'unknown';
      const interactionId = owner.id;
      // A call may be held and resumed many times, so hold changes are not once per dialog. Each is
      // idempotent by state, and only the HTTP hook's copy is taken: Kamailio sends those in the
      // dialog's order, which a pushed copy arriving late could undo.
      const holdChange = event === SIP_DIALOG_EVENTS.held || event === SIP_DIALOG_EVENTS.resumed;
      const first = holdChange
        ? channel === 'http' || null
        : await redis.set(`${prefix}seen:${event}:${callId}`, channel, 'EX', SEEN_TTL_SECONDS, 'NX');
      if (first === null) {
        log.info({ interactionId, event, channel }, 'SIP dialog event already taken');
        return 'duplicate';
      }
      log.info({ interactionId, event, channel }, 'SIP dialog event taken');
      if (owner.moved) {
        // The dialog a transfer left behind: its end is not the caller's, who went on in the new one.
        log.info({ interactionId, event }, 'SIP dialog left behind by a transfer');
        return 'done';
      }
      switch (event) {
        case SIP_DIALOG_EVENTS.answered:
          await calls.agentLegAnswered(interactionId);
          break;
        case SIP_DIALOG_EVENTS.failed:
          // The caller gave up, the Agent's softphone refused, or the wait ran out: the call is over.
          await waiting.take(interactionId);
          log.info({ interactionId, code }, 'SIP call failed before it was answered');
          await calls.callerEnded(interactionId);
          break;
        case SIP_DIALOG_EVENTS.ended:
          await calls.callerEnded(interactionId);
          break;
        case SIP_DIALOG_EVENTS.held:
        case SIP_DIALOG_EVENTS.resumed:
          await calls.providerHoldChanged(interactionId, event === SIP_DIALOG_EVENTS.held);
          break;
      }
      return 'done';
    },
  };
}

export type SipDialogEvents = ReturnType<typeof createSipDialogEvents>;
