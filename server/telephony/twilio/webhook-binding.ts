import type { Redis } from 'ioredis';
import type { TelephonyCommands } from '../telephony.port.js';
import type { LegKind } from './twilio-webhooks.schemas.js';

export interface CallLegsOptions {
  redis: Redis;
  /** Key prefix, e.g. `${REDIS_PREFIX}twilio:`. */
  prefix: string;
  /** Seconds the legs of an Interaction are remembered after the last one placed. Default 86400. */
  ttlSeconds?: number;
}

/**
 * The legs we placed for each Interaction (Agents' phones, transfer destinations, customers we
 * dial), by CallSid, shared by every server process. A webhook names its Interaction in its URL
 * and its call in its body, both signed, but signed separately: a callback captured for one call
 * and replayed to another Interaction's URL with Twilio's signature for that URL would otherwise
 * be taken for that Interaction's.
 */
export function createCallLegs({ redis, prefix, ttlSeconds = 86_400 }: CallLegsOptions) {
  const key = (interactionId: number) => `${prefix}legs:${interactionId}`;
  return {
    async add(interactionId: number, callSid: string, leg: LegKind): Promise<void> {
      await redis
        .multi()
        .hset(key(interactionId), callSid, leg)
        .expire(key(interactionId), ttlSeconds)
        .exec();
    },
    async legOf(interactionId: number, callSid: string): Promise<LegKind | null> {
      return ((await redis.hget(key(interactionId), callSid)) as LegKind | null) ?? null;
    },
  };
}

export type CallLegs = ReturnType<typeof createCallLegs>;

/**
 * Twilio's commands, remembering every leg they place under the Interaction whose callback URL it
 * was given. Twilio may post a leg's first callbacks before its REST answer reaches us; those are
 * `initiated` and `ringing`, which the call path does not act on.
 */
export function rememberingPlacedLegs(commands: TelephonyCommands, legs: CallLegs): TelephonyCommands {
  return {
    ...commands,
    async connectAgent(input) {
      const placed = await commands.connectAgent(input);
      await legs.add(input.interactionId, placed.providerCallId, 'agent');
      return placed;
    },
    async dialCustomer(input) {
      const placed = await commands.dialCustomer(input);
      await legs.add(input.interactionId, placed.providerCallId, 'caller');
      return placed;
    },
    async transfer(input) {
      const placed = await commands.transfer(input);
      if (placed) await legs.add(input.interactionId, placed.providerCallId, 'transfer');
      return placed;
    },
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
