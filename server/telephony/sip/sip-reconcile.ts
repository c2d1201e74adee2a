import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { Acd } from '../../../queues/index.js';
import type { CallEvents } from '../telephony.port.js';
import { systemClock, type Clock } from '../../clock.js';
import { DIALOG_ANSWERED, type KamailioControl } from './kamailio-control.js';
import type { SipWaiting } from './sip-waiting.js';

export interface SipReconcilerOptions {
  control: KamailioControl;
  waiting: SipWaiting;
  calls: Pick<CallEvents, 'session' | 'ownerOfCall' | 'agentLegAnswered' | 'callerEnded'>;
  acd: Acd;
  log: FastifyBaseLogger;
  /**
   * A queued call younger than this may not have its dialog yet (Kamailio creates it after our
   * routing answer), so it is left for the next pass. Seconds; default 5.
   */
  graceSeconds?: number;
  /**
   * Where each pass notes when it last saw a call's dialog: the end time of a call whose ended
   * dialog Kamailio no longer lists. Without it such a call ends at the time of the pass.
   */
  lastSeen?: { redis: Redis; prefix: string };
  /**
   * Frees the media relay's hold on a call whose end this pass found. Kamailio's dialog:end route
   * deletes the call from rtpengine; when that event never came, nothing may have, and rtpengine would
   * keep the call's ports until its own media timeout. Default none (no media relay).
   */
  releaseMedia?: (callId: string) => Promise<void>;
  clock?: Clock;
}

/**
 * Kamailio's dialog events are delivered once: one fired while our server was down or restarting is
 * lost. This pass compares the SIP calls the ACD still holds (queued, offered, connected) with the
 * dialogs Kamailio has. A call whose dialog is gone ended while we were not listening, and is ended
 * here the way its lost event would have ended it; a connected call whose dialog was answered but
 * whose Interaction was not is marked answered (its end would otherwise count it as abandoned).
 * A call ended while we were away keeps its own end time: the dialog's `end_ts` while Kamailio still
 * lists the ended dialog, else the last time a pass saw it live; never the time of the pass.
 * Returns the Interactions it changed.
 */
export function createSipReconciler({
  control,
  waiting,
  calls,
  acd,
  log,
  graceSeconds = 5,
  lastSeen,
  releaseMedia,
  clock = systemClock,
}: SipReconcilerOptions) {
  const seenKey = (interactionId: number) => `${lastSeen?.prefix ?? ''}seen:${interactionId}`;

  return async function reconcile(): Promise<number[]> {
    let ends: Map<string, Date> | null = null;
    const endOf = async (interactionId: number, callId: string): Promise<Date | undefined> => {
      ends ??= await control.dialogEnds();
      const ended = ends.get(callId);
      if (ended) return ended;
      const seenMs = lastSeen && (await lastSeen.redis.get(seenKey(interactionId)));
      return seenMs ? new Date(Number(seenMs)) : undefined;
    };
    const dialogs = new Map((await control.listDialogs()).map((dialog) => [dialog.callId, dialog]));
    const snapshot = await acd.snapshot();
    const candidates = new Set(
      snapshot.waiting.filter((call) => call.waitSeconds >= graceSeconds).map((call) => call.interactionId),
    );
    for (const reservation of snapshot.reservations) candidates.add(reservation.interactionId);
    for (const { agentId } of snapshot.agents.on_call) {
      const interactionId = (await acd.getAgent(agentId))?.interactionId;
      if (interactionId) candidates.add(interactionId);
    }
    const changed: number[] = [];
    for (const interactionId of candidates) {
      const session = await calls.session(interactionId);
      if (session?.provider !== 'sip') continue;
      const owner = calls.ownerOfCall('sip', session.providerCallId);
      // A transfer moved the caller to a new dialog and ended the old one: the handover ends this part.
      if (owner?.moved) continue;
      const dialog = dialogs.get(session.providerCallId);
      if (dialog) {
        await lastSeen?.redis.set(seenKey(interactionId), clock.now().getTime(), 'EX', 86_400);
        if (dialog.state < DIALOG_ANSWERED || owner?.answered !== false) continue;
        if ((await acd.getCall(interactionId))?.state !== 'connected') continue;
        log.info({ interactionId }, 'SIP call answered while its event was lost: answered by reconciliation');
        await calls.agentLegAnswered(interactionId);
        changed.push(interactionId);
        continue;
      }
      await waiting.take(interactionId);
      log.info({ interactionId }, 'SIP call ended while its event was lost: ended by reconciliation');
      await calls.callerEnded(interactionId, 'completed', await endOf(interactionId, session.providerCallId));
      // A call the relay already let go of answers an error: nothing to free, nothing to report.
      if (releaseMedia)
        await releaseMedia(session.providerCallId).catch((err: unknown) =>
          log.warn({ err, interactionId }, 'The media relay could not be told that the call ended'),
        );
      changed.push(interactionId);
    }
    return changed;
  };
}
