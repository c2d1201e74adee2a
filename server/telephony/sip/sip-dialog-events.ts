import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { SurveyCalls } from '../survey.port.js';
import type { CallEvents } from '../telephony.port.js';
import { SIP_DIALOG_EVENTS } from './kamailio-config.js';
import type { SipWaiting } from './sip-waiting.js';

export type SipDialogEventName = (typeof SIP_DIALOG_EVENTS)[keyof typeof SIP_DIALOG_EVENTS];

/** What Kamailio's dialog event routes say, by HTTP hook or evapi push. */
export interface SipDialogEvent {
  event: SipDialogEventName;
  callId: string;
  code?: string | undefined;
}

/** Which way an event came: pushed over evapi, or by the HTTP hook when no push connection is up. */
export type SipEventChannel = 'http' | 'evapi';

export interface SipDialogEventsOptions {
  calls: Pick<CallEvents, 'agentLegAnswered' | 'callerEnded' | 'ownerOfCall' | 'providerHoldChanged'>;
  /** Told when an answered call ends, to record its survey as not offered (no media server). */
  surveys?: Pick<SurveyCalls, 'sipConversationEnded'>;
  waiting: SipWaiting;
  redis: Redis;
  /** Key prefix of the seen-events records, e.g. `cti:<installation>:sip:`. */
  prefix: string;
  log: FastifyBaseLogger;
}

/** An event is kept as seen this long: far longer than a push and a hook copy can be apart. */
const SEEN_TTL_SECONDS = 3600;

/**
 * Dialog events into the call path, once each. Kamailio pushes an event over evapi to every server
 * process connected, or sends it by the HTTP hook when none is: the first arrival of an (event,
 * Call-ID) pair does the work, in whatever process, and the others are only logged.
 *
 * Events of one dialog apply in the order they came. By the HTTP hook, `take` answers once an answer
 * or a hold change is applied: Kamailio relays the 2xx only after our answer, so the record has the
 * change before the softphone or the desk can act on it. An end or a failure by the hook is only
 * claimed before `take` answers, and applies afterwards: the Agent it frees is offered the next
 * caller, whose INVITE we continue through Kamailio's control port, and answering only after that
 * would hold a Kamailio worker on our answer while the continue needs one of Kamailio's workers. A
 * pushed event is only claimed too: nothing in Kamailio waits for it.
 */
export function createSipDialogEvents({
  calls,
  surveys,
  waiting,
  redis,
  prefix,
  log,
}: SipDialogEventsOptions) {
  /** The last change queued for each Call-ID: changes of one dialog apply in the order they came. */
  const chains = new Map<string, Promise<void>>();

  async function apply(interactionId: number, { event, callId, code }: SipDialogEvent): Promise<void> {
    switch (event) {
      case SIP_DIALOG_EVENTS.answered:
        await calls.agentLegAnswered(interactionId);
        break;
      case SIP_DIALOG_EVENTS.failed:
        // The caller gave up (487), the wait ran out, or our server would not take the call back
        // when the Agent's softphone refused (its code): the call is over. A refusal the server took
        // back came by /sip/agent-failed instead, and the INVITE waits on.
        await waiting.take(interactionId);
        log.info({ interactionId, code }, 'SIP call failed before it was answered');
        await calls.callerEnded(interactionId);
        break;
      case SIP_DIALOG_EVENTS.ended:
        // Kamailio ends only answered dialogs (an unanswered one fails). An end taken before its
        // answer (another server process took the answer's push and has not applied it yet, or it
        // was lost) must not record an answered call as abandoned.
        if (calls.ownerOfCall('sip', callId)?.answered === false) await calls.agentLegAnswered(interactionId);
        await calls.callerEnded(interactionId);
        surveys?.sipConversationEnded(interactionId);
        break;
      case SIP_DIALOG_EVENTS.held:
      case SIP_DIALOG_EVENTS.resumed:
        await calls.providerHoldChanged(interactionId, event === SIP_DIALOG_EVENTS.held);
        break;
    }
  }

  function enqueue(interactionId: number, event: SipDialogEvent): Promise<void> {
    const { callId } = event;
    const next = (chains.get(callId) ?? Promise.resolve())
      .then(() => apply(interactionId, event))
      .catch((err: unknown) =>
        log.error({ err, interactionId, event: event.event }, 'SIP dialog event failed'),
      )
      .finally(() => {
        if (chains.get(callId) === next) chains.delete(callId);
      });
    chains.set(callId, next);
    return next;
  }

  return {
    /** Returns 'unknown' for a dialog no Interaction owns; nothing changes then. */
    async take(event: SipDialogEvent, channel: SipEventChannel): Promise<'taken' | 'duplicate' | 'unknown'> {
      const { callId } = event;
      // Each part of a SIP call has its own dialog: a REFER moves the caller to a new one.
      const owner = calls.ownerOfCall('sip', callId);
      if (owner === null) return 'unknown';
      const interactionId = owner.id;
      // A call may be held and resumed many times, so hold changes are not once per dialog. Each is
      // idempotent by state, and Kamailio sends them by the HTTP hook only, in the dialog's order.
      const holdChange = event.event === SIP_DIALOG_EVENTS.held || event.event === SIP_DIALOG_EVENTS.resumed;
      const first = holdChange
        ? channel === 'http' || null
        : await redis.set(`${prefix}seen:${event.event}:${callId}`, channel, 'EX', SEEN_TTL_SECONDS, 'NX');
      if (first === null) {
        log.info({ interactionId, event: event.event, channel }, 'SIP dialog event already taken');
        return 'duplicate';
      }
      log.info({ interactionId, event: event.event, channel }, 'SIP dialog event taken');
      if (owner.moved) {
        // The dialog a transfer left behind: its end is not the caller's, who went on in the new one.
        log.info({ interactionId, event: event.event }, 'SIP dialog left behind by a transfer');
        return 'taken';
      }
      const applied = enqueue(interactionId, event);
      const frees = event.event === SIP_DIALOG_EVENTS.ended || event.event === SIP_DIALOG_EVENTS.failed;
      if (channel === 'http' && !frees) await applied;
      return 'taken';
    },
    /** Resolves once every event taken so far is applied (for shutdown, and for tests). */
    async settled(): Promise<void> {
      while (chains.size > 0) await Promise.all(chains.values());
    },
  };
}

export type SipDialogEvents = ReturnType<typeof createSipDialogEvents>;
