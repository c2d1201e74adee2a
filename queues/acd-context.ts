import type { Redis } from 'ioredis';
import type { Clock } from '../contracts/clock.js';
import { DEFAULT_TIER_BOOST_SECONDS, type TierBoost } from './priority.js';
import { loadScripts, runScript, type ScriptName } from './scripts.js';

/*
 * Redis key layout. Every key starts with the prefix P given to createAcd (e.g. `cti:acd:`); the Lua
 * scripts in lua/ are the only writers and build the same names in lua/prelude.lua.
 *
 *   P queues                       set     ids of every CallQueue
 *   P queue:<id>                   hash    priority, strategy, requiredSkills (JSON), ringTimeoutSeconds,
 *                                          acwPolicy, acwSeconds, headStartMs:<tier> (one per Tier),
 *                                          rrLastAgentId (round-robin pointer), rankedBy (the strategy the
 *                                          ranked index is scored for)
 *   P queue:<id>:waiting           zset    interaction ids of waiting calls, score = sort key (priority.ts)
 *   P queue:<id>:eligible          zset    available agents with the queue's skills, score = availableSinceMs
 *   P queue:<id>:ranked            zset    the same agents as ids zero-padded to 16 digits (equal scores
 *                                          sort by id), score by strategy: longest_idle availableSinceMs,
 *                                          least_occupied talkDay × 2^32 + talk ms that day,
 *                                          skills_best_match −(proficiency summed over the required
 *                                          skills), round_robin the agent id
 *   P agents                       set     ids of every Agent with a profile
 *   P agent:<id>                   hash    status, reason, statusSinceMs, availableSinceMs, reservationId,
 *                                          interactionId, talkMs, talkDay (UTC day number of talkMs),
 *                                          nextReason (break planned for after the call; plan_next.lua)
 *   P agent:<id>:skills            hash    Skill → proficiency
 *   P agents:available             zset    available agents, score = availableSinceMs
 *   P agents:wrap_up_deadlines     zset    agents in timed after-call work, score = deadline ms
 *   P call:<interactionId>         hash    state, queueId, tier, enqueuedAtMs, headStartMs, raisedSeconds,
 *                                          sortKey, reservationId, agentId, connectedAtMs, endedAtMs;
 *                                          expires `retentionSeconds` after the call ends
 *   P calls:live                   set     interaction ids of calls queued, reserved or connected
 *   P calls:connected              set     interaction ids of connected calls
 *   P reservation:<id>             hash    id, interactionId, agentId, queueId, state, createdAtMs,
 *                                          expiresAtMs, reason, settledAtMs; expires once settled
 *   P reservations:pending         zset    pending reservation ids, score = expiresAtMs
 *   P reservations:seq             string  last reservation id
 *
 * The scripts build key names from the prefix instead of receiving them as KEYS, as BullMQ does: on a
 * Redis Cluster the prefix must therefore hold a hash tag (`{cti:acd}:`) so every key shares one slot.
 */

export interface AcdOptions {
  /** The connection every script runs on; the caller owns it and closes it. */
  redis: Redis;
  /** Start of every key, e.g. `cti:acd:`. Processes sharing one ACD use the same prefix. */
  prefix: string;
  /** The time every state change is stamped with; processes sharing an ACD need synchronised clocks. */
  clock: Clock;
  /** Tier boosts in seconds for tiers a CallQueue does not set. Default {@link DEFAULT_TIER_BOOST_SECONDS}. */
  defaultTierBoostSeconds?: TierBoost;
  /**
   * Seconds a finished Call or settled Reservation stays readable; as long as it does, enqueuing the same
   * interaction again does nothing. Default 86400 (one day).
   */
  retentionSeconds?: number;
}

export type Raw = Record<string, string | number | undefined>;

const DAY_SECONDS = 86_400;

export function idArg(value: number, what: string): string {
  if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`${what} must be a positive integer`);
  return String(value);
}

export function integerAtLeast(value: number, what: string, min: number): number {
  if (!Number.isSafeInteger(value) || value < min)
    throw new RangeError(`${what} must be an integer ≥ ${min}`);
  return value;
}

export const optionalNumber = (value: string | number | undefined) =>
  value === undefined || value === '' ? null : Number(value);

/** Lua encodes an empty table as `{}`. */
export const list = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);

/** What every part of the ACD runs on: one script call per operation, stamped with the clock. */
export function createAcdContext(options: AcdOptions) {
  const { redis, prefix, clock } = options;
  const defaultBoost = options.defaultTierBoostSeconds ?? DEFAULT_TIER_BOOST_SECONDS;
  const retention = String(integerAtLeast(options.retentionSeconds ?? DAY_SECONDS, 'retentionSeconds', 1));
  const scripts = loadScripts();

  const run = (name: ScriptName, args: object, nowMs = clock.now().getTime()) =>
    runScript(redis, scripts[name], [prefix, String(nowMs), retention, JSON.stringify(args)]);

  return { run, clock, defaultBoost };
}

export type AcdContext = ReturnType<typeof createAcdContext>;
