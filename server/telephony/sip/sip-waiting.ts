import type { Redis } from 'ioredis';

/** A queued caller's INVITE, suspended in Kamailio's transaction table until we continue it. */
export interface WaitingInvite {
  /** Kamailio's transaction id ($T(id_index), $T(id_label)). */
  tindex: number;
  tlabel: number;
  callId: string;
}

export interface SipWaitingOptions {
  redis: Redis;
  /** Key prefix, e.g. `cti:<installation>:sip:`. */
  prefix: string;
  /** Seconds a record outlives the longest wait Kamailio allows. */
  ttlSeconds: number;
}

/**
 * Which Interactions have a caller held in a suspended INVITE, shared by every server process: the
 * one that answered the routing hook is not necessarily the one whose Agent accepts the call.
 */
export function createSipWaiting({ redis, prefix, ttlSeconds }: SipWaitingOptions) {
  const key = (interactionId: number) => `${prefix}waiting:${interactionId}`;
  return {
    async put(interactionId: number, invite: WaitingInvite): Promise<void> {
      await redis.set(key(interactionId), JSON.stringify(invite), 'EX', ttlSeconds);
    },
    async get(interactionId: number): Promise<WaitingInvite | null> {
      const raw = await redis.get(key(interactionId));
      return raw ? (JSON.parse(raw) as WaitingInvite) : null;
    },
    /** Removes and returns the record: only one process may continue an INVITE. */
    async take(interactionId: number): Promise<WaitingInvite | null> {
      const raw = await redis.getdel(key(interactionId));
      return raw ? (JSON.parse(raw) as WaitingInvite) : null;
    },
  };
}

export type SipWaiting = ReturnType<typeof createSipWaiting>;
