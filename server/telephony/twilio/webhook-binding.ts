import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TelephonyCommands } from '../telephony.port.js';
import type { LegKind } from './twilio-webhooks.schemas.js';

export interface CallLegsOptions {
  redis: Redis;
  /** Key prefix, e.g. `${REDIS_PREFIX}twilio:`. */
  prefix: string;
  /** Seconds the legs of an Interaction are remembered after the last one placed. Default 86400. */
  ttlSeconds?: number;
  /** Longest a placement is waited for, in ms; Twilio's REST answer takes far less. Default 5000. */
  placingWaitMs?: number;
  /** How often a callback waiting for its leg's placement looks again, in ms. Default 25. */
  pollMs?: number;
}

/**
 * The legs we placed for each Interaction (Agents' phones, transfer destinations, customers we
 * dial), by CallSid, shared by every server process. A webhook names its Interaction in its URL
 * and its call in its body, both signed, but signed separately: a callback captured for one call
 * and replayed to another Interaction's URL with Twilio's signature for that URL would otherwise
 * be taken for that Interaction's.
 */
export function createCallLegs({
  redis,
  prefix,
  ttlSeconds = 86_400,
  placingWaitMs = 5_000,
  pollMs = 25,
}: CallLegsOptions) {
  const key = (interactionId: number) => `${prefix}legs:${interactionId}`;
  const placingKey = (interactionId: number) => `${prefix}placing:${interactionId}`;
  const known = async (interactionId: number, callSid: string) =>
    ((await redis.hget(key(interactionId), callSid)) as LegKind | null) ?? null;
  return {
    /** Places a leg with `place` and remembers it; meanwhile `legOf` waits for it. */
    async place<T extends { providerCallId: string } | null>(
      interactionId: number,
      leg: LegKind,
      place: () => Promise<T>,
    ): Promise<T> {
      // One member per placement under way, scored by when it stops counting: a process that
      // dies mid-placement leaves no lasting mark.
      const token = randomUUID();
      await redis
        .multi()
        .zadd(placingKey(interactionId), Date.now() + placingWaitMs, token)
        .pexpire(placingKey(interactionId), placingWaitMs)
        .exec();
      try {
        const placed = await place();
        if (placed) {
          await redis
            .multi()
            .hset(key(interactionId), placed.providerCallId, leg)
            .expire(key(interactionId), ttlSeconds)
            .exec();
        }
        return placed;
      } finally {
        await redis.zrem(placingKey(interactionId), token);
      }
    },
    /**
     * The part `callSid` plays among the legs placed for the Interaction. Twilio may post a leg's
     * callback (a phone that refuses at once) before its REST answer reaches us: while a placement
     * for the Interaction is under way, an unknown call is looked for again until it ends.
     */
    async legOf(interactionId: number, callSid: string): Promise<LegKind | null> {
      const deadline = Date.now() + placingWaitMs;
      for (;;) {
        const leg = await known(interactionId, callSid);
        if (leg !== null) return leg;
        const placing = (await redis.zcount(placingKey(interactionId), Date.now(), '+inf')) > 0;
        if (!placing || Date.now() >= deadline) return null;
        await sleep(pollMs);
      }
    },
  };
}

export type CallLegs = ReturnType<typeof createCallLegs>;

/** Twilio's commands, remembering every leg they place under the Interaction whose callback URL it was given. */
export function rememberingPlacedLegs(commands: TelephonyCommands, legs: CallLegs): TelephonyCommands {
  return {
    ...commands,
    connectAgent: (input) => legs.place(input.interactionId, 'agent', () => commands.connectAgent(input)),
    dialCustomer: (input) => legs.place(input.interactionId, 'caller', () => commands.dialCustomer(input)),
    transfer: (input) => legs.place(input.interactionId, 'transfer', () => commands.transfer(input)),
  };
}

export interface CallBindingDeps {
  legs: CallLegs;
  /** The caller's leg of a live Interaction (its session), or null once the session is gone. */
  callerLegOf: (interactionId: number) => Promise<string | null>;
  /** The Interaction whose own call (the caller's leg) is `callSid`, from the record. */
  interactionOf: (callSid: string) => number | null;
}

/**
 * The part `callSid` plays in Interaction `interactionId`: its caller, or a leg we placed for it;
 * null when it is none of its calls and the webhook must change nothing.
 */
export function createCallBinding({ legs, callerLegOf, interactionOf }: CallBindingDeps) {
  return async function legOfCall(interactionId: number, callSid: string): Promise<LegKind | null> {
    if ((await callerLegOf(interactionId)) === callSid) return 'caller';
    const placed = await legs.legOf(interactionId, callSid);
    if (placed) return placed;
    return interactionOf(callSid) === interactionId ? 'caller' : null;
  };
}

export type CallBinding = ReturnType<typeof createCallBinding>;
