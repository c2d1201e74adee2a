import type { Redis } from 'ioredis';
import type { Clock } from '../contracts/clock.js';
import {
  ROUTING_STRATEGIES,
  WRAP_UP_POLICIES,
  type RoutingStrategy,
  type WrapUpPolicy,
} from '../contracts/glossary.js';
import {
  AGENT_COMMANDS,
  AGENT_STATUSES,
  type AgentCommand,
  type AgentStatus,
} from './agent-status.machine.js';
import type { CallState, QueueExit } from './call.machine.js';
import {
  DEFAULT_TIER_BOOST_SECONDS,
  headStartSeconds,
  priorityScore,
  TIERS,
  type Tier,
  type TierBoost,
} from './priority.js';
import type { ReservationState } from './reservation.machine.js';
import { loadScripts, runScript, type ScriptName } from './scripts.js';

/*
 * Redis key layout. Every key starts with the prefix P given to createAcd (e.g. `cti:acd:`); the Lua
 * scripts in lua/ are the only writers and build the same names in lua/prelude.lua.
 *
 *   P queues                       set     ids of every CallQueue
 *   P queue:<id>                   hash    priority, strategy, requiredSkills (JSON), ringTimeoutSeconds,
 *                                          acwPolicy, acwSeconds, headStartMs:<tier> (one per Tier),
 *                                          rrLastAgentId (round-robin pointer), eligibleIndexed
 *   P queue:<id>:waiting           zset    interaction ids of waiting calls, score = sort key (priority.ts)
 *   P queue:<id>:eligible          zset    available agents with the queue's skills, score = availableSinceMs
 *   P agents                       set     ids of every Agent with a profile
 *   P agent:<id>                   hash    status, reason, statusSinceMs, availableSinceMs, reservationId,
 *                                          interactionId, talkMs, talkDay (UTC day number of talkMs)
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

/** The routing part of a CallQueue. */
export interface CallQueueSettings {
  id: number;
  /** Seconds of head start every call of this queue gets; orders calls of queues that share agents. */
  priority: number;
  /** Seconds of head start per Tier; missing tiers take `defaultTierBoostSeconds`. */
  tierBoost: Partial<TierBoost>;
  strategy: RoutingStrategy;
  /** An agent is eligible only with every one of these skills at or above the proficiency. */
  requiredSkills: { skill: string; minProficiency: number }[];
  /** Seconds a Reservation rings before it times out (RONA). */
  ringTimeoutSeconds: number;
  /**
   * After-call work when a call ends: 'none' makes the agent available at once; 'optional', 'mandatory'
   * and 'timed' put them in wrap_up, which 'timed' ends by itself after `acwSeconds`.
   */
  acwPolicy: WrapUpPolicy;
  /** Seconds of after-call work under 'timed'; unused otherwise. */
  acwSeconds: number | null;
}

export interface AgentProfile {
  id: number;
  skills: { skill: string; proficiency: number }[];
}

export interface Reservation {
  id: number;
  interactionId: number;
  agentId: number;
  queueId: number;
  state: ReservationState;
  createdAtMs: number;
  expiresAtMs: number;
  /** Why this agent, for supervisors and logs, e.g. "agent7: longest idle (42 s) among 3 with skill billing≥3". */
  reason: string;
}

export interface AcdAgent {
  agentId: number;
  status: AgentStatus;
  /** Break reason ('rona', 'declined', 'login' or the agent's own); null in other statuses. */
  reason: string | null;
  statusSinceMs: number;
  reservationId: number | null;
  interactionId: number | null;
}

export interface AcdCall {
  interactionId: number;
  state: CallState;
  queueId: number;
  tier: Tier;
  enqueuedAtMs: number;
  reservationId: number | null;
  agentId: number | null;
}

export interface WaitingCall {
  interactionId: number;
  queueId: number;
  tier: Tier;
  /** 1-based place in its queue. */
  position: number;
  waitSeconds: number;
  /** The priority score of priority.ts now; the queue serves the highest first. */
  priorityScore: number;
}

export interface AgentSummary {
  agentId: number;
  reason: string | null;
  statusSinceMs: number;
}

export interface AcdSnapshot {
  atMs: number;
  /** By queue id, then position. */
  waiting: WaitingCall[];
  /** Every agent (for one queue: every agent qualified for it) by status, lowest id first. */
  agents: Record<AgentStatus, AgentSummary[]>;
  /** Pending reservations, oldest first. */
  reservations: Reservation[];
}

type Raw = Record<string, string | number | undefined>;

const DAY_SECONDS = 86_400;

function idArg(value: number, what: string): string {
  if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`${what} must be a positive integer`);
  return String(value);
}

function integerAtLeast(value: number, what: string, min: number): number {
  if (!Number.isSafeInteger(value) || value < min)
    throw new RangeError(`${what} must be an integer ≥ ${min}`);
  return value;
}

const optionalNumber = (value: string | number | undefined) =>
  value === undefined || value === '' ? null : Number(value);

/** Lua encodes an empty table as `{}`. */
const list = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);

function toReservation(raw: Raw): Reservation {
  return {
    id: Number(raw.id),
    interactionId: Number(raw.interactionId),
    agentId: Number(raw.agentId),
    queueId: Number(raw.queueId),
    state: raw.state as ReservationState,
    createdAtMs: Number(raw.createdAtMs),
    expiresAtMs: Number(raw.expiresAtMs),
    reason: String(raw.reason),
  };
}

/** Agents signed in (in any status but offline), from a snapshot's agents by status. */
export function staffedCount(agents: AcdSnapshot['agents']): number {
  return AGENT_STATUSES.filter((s) => s !== 'offline').reduce((n, s) => n + agents[s].length, 0);
}

/**
 * The ACD: CallQueues, Agents, Reservations and Calls in Redis. Every method is one Lua script, so any
 * number of processes may share one ACD under the same prefix.
 */
export function createAcd(options: AcdOptions) {
  const { redis, prefix, clock } = options;
  const defaultBoost = options.defaultTierBoostSeconds ?? DEFAULT_TIER_BOOST_SECONDS;
  const retention = String(integerAtLeast(options.retentionSeconds ?? DAY_SECONDS, 'retentionSeconds', 1));
  const scripts = loadScripts();

  const run = (name: ScriptName, args: object, nowMs = clock.now().getTime()) =>
    runScript(redis, scripts[name], [prefix, String(nowMs), retention, JSON.stringify(args)]);

  const agentEvent = async (agentId: number, event: AgentCommand, extra: { reason?: string } = {}) => {
    // The ACD raises the other events itself; one from outside would leave an agent reserved without a
    // reservation, or on a call without one.
    if (!AGENT_COMMANDS.includes(event)) throw new RangeError(`${event} is not an agent command`);
    if (event === 'take_break' && !extra.reason) throw new RangeError('take_break needs a reason');
    return (await run('agent_event', {
      agentId: idArg(agentId, 'agentId'),
      event,
      reason: extra.reason,
    })) as AgentStatus;
  };

  const leave = async (interactionId: number, event: QueueExit | 'abandon') => {
    const result = (await run('leave', { interactionId: idArg(interactionId, 'interactionId'), event })) as {
      cancelledReservationId?: string;
    };
    return { cancelledReservationId: optionalNumber(result.cancelledReservationId) };
  };

  const answer = async (reservationId: number, agentId: number, event: 'accept' | 'reject') =>
    toReservation(
      (await run('answer_reservation', {
        reservationId: idArg(reservationId, 'reservationId'),
        agentId: idArg(agentId, 'agentId'),
        event,
      })) as Raw,
    );

  const snapshot = async (queueId?: number): Promise<AcdSnapshot> => {
    const atMs = clock.now().getTime();
    const raw = (await run(
      'snapshot',
      { queueId: queueId === undefined ? undefined : idArg(queueId, 'queueId') },
      atMs,
    )) as { waiting: unknown; agents: unknown; reservations: unknown };
    const waiting = list<Raw>(raw.waiting)
      .map((c) => {
        const enqueuedAtMs = Number(c.enqueuedAtMs);
        return {
          interactionId: Number(c.interactionId),
          queueId: Number(c.queueId),
          tier: c.tier as Tier,
          position: Number(c.position),
          waitSeconds: Math.floor((atMs - enqueuedAtMs) / 1000),
          priorityScore: priorityScore({
            enqueuedAtMs,
            headStartSeconds: Number(c.headStartMs) / 1000,
            raisedSeconds: Number(c.raisedSeconds),
            nowMs: atMs,
          }),
        };
      })
      .sort((a, b) => a.queueId - b.queueId || a.position - b.position);
    const agents = Object.fromEntries(AGENT_STATUSES.map((s) => [s, [] as AgentSummary[]])) as Record<
      AgentStatus,
      AgentSummary[]
    >;
    for (const a of list<Raw>(raw.agents).sort((x, y) => Number(x.agentId) - Number(y.agentId))) {
      agents[a.status as AgentStatus].push({
        agentId: Number(a.agentId),
        reason: a.reason ? String(a.reason) : null,
        statusSinceMs: Number(a.statusSinceMs),
      });
    }
    const reservations = list<Raw>(raw.reservations)
      .map(toReservation)
      .sort((a, b) => a.id - b.id);
    return { atMs, waiting, agents, reservations };
  };

  return {
    async upsertQueue(queue: CallQueueSettings): Promise<void> {
      if (!ROUTING_STRATEGIES.includes(queue.strategy))
        throw new RangeError(`unknown strategy ${queue.strategy}`);
      if (!WRAP_UP_POLICIES.includes(queue.acwPolicy))
        throw new RangeError(`unknown acwPolicy ${queue.acwPolicy}`);
      if (queue.acwPolicy === 'timed') integerAtLeast(queue.acwSeconds ?? 0, 'acwSeconds', 1);
      integerAtLeast(queue.ringTimeoutSeconds, 'ringTimeoutSeconds', 1);
      if (!Number.isSafeInteger(queue.priority)) throw new RangeError('priority must be an integer');
      for (const s of queue.requiredSkills) {
        if (!s.skill) throw new RangeError('a required skill needs a name');
        integerAtLeast(s.minProficiency, `minProficiency of ${s.skill}`, 1);
      }
      // Resolved here, once, so processes configured with different defaults still agree on each queue.
      const boost = { ...defaultBoost, ...queue.tierBoost };
      for (const tier of TIERS) integerAtLeast(boost[tier], `tierBoost.${tier}`, 0);
      const headStartMs = Object.fromEntries(
        TIERS.map((tier) => [tier, headStartSeconds(queue.priority, boost, tier) * 1000]),
      );
      await run('upsert_queue', {
        id: idArg(queue.id, 'queue id'),
        priority: queue.priority,
        strategy: queue.strategy,
        requiredSkills: JSON.stringify(queue.requiredSkills),
        ringTimeoutSeconds: queue.ringTimeoutSeconds,
        acwPolicy: queue.acwPolicy,
        acwSeconds: queue.acwSeconds ?? undefined,
        headStartMs,
      });
    },

    /** Creates the agent offline when new; replaces the skills of a known one without touching its status. */
    async setAgentProfile(agent: AgentProfile): Promise<void> {
      for (const s of agent.skills) {
        if (!s.skill) throw new RangeError('a skill needs a name');
        integerAtLeast(s.proficiency, `proficiency of ${s.skill}`, 1);
      }
      await run('set_agent_profile', { id: idArg(agent.id, 'agent id'), skills: agent.skills });
    },

    /** Moves an agent by one of their own events; `reason` is required for take_break. */
    agentEvent,

    /** Ends after-call work (any policy); the agent becomes available. */
    endWrapUp: (agentId: number) => agentEvent(agentId, 'wrap_up_done'),

    /** Queues a call. A known interaction (even a finished one, within retention) is left as it is. */
    async enqueue(call: {
      interactionId: number;
      queueId: number;
      tier: Tier;
      /** When the caller started waiting; default now. Earlier when the call waited elsewhere first. */
      enqueuedAtMs?: number;
    }): Promise<{ created: boolean; state: CallState }> {
      if (!TIERS.includes(call.tier)) throw new RangeError(`unknown tier ${call.tier}`);
      return (await run('enqueue', {
        interactionId: idArg(call.interactionId, 'interactionId'),
        queueId: idArg(call.queueId, 'queueId'),
        tier: call.tier,
        enqueuedAtMs: integerAtLeast(call.enqueuedAtMs ?? clock.now().getTime(), 'enqueuedAtMs', 0),
      })) as { created: boolean; state: CallState };
    },

    /**
     * Queues a call already ringing one named agent, who must be available (a transfer to them). If
     * they decline or it rings out, the call waits in `queueId` for anyone, at the place
     * `enqueuedAtMs` gives it. Refuses, changing nothing, a known interaction or an agent not available.
     */
    async offerToAgent(call: {
      interactionId: number;
      queueId: number;
      tier: Tier;
      enqueuedAtMs: number;
      agentId: number;
      /** Why this agent, shown like the ACD's own reasons. */
      reason: string;
    }): Promise<Reservation> {
      if (!TIERS.includes(call.tier)) throw new RangeError(`unknown tier ${call.tier}`);
      return toReservation(
        (await run('offer_to_agent', {
          interactionId: idArg(call.interactionId, 'interactionId'),
          queueId: idArg(call.queueId, 'queueId'),
          tier: call.tier,
          enqueuedAtMs: integerAtLeast(call.enqueuedAtMs, 'enqueuedAtMs', 0),
          agentId: idArg(call.agentId, 'agentId'),
          reason: call.reason,
        })) as Raw,
      );
    },

    /**
     * A call the agent places (click-to-call): connected to them at once, no queue wait, no offer.
     * The agent must be available or on a break; `queueId` sets the after-call work when it ends.
     */
    async startOutbound(call: {
      interactionId: number;
      queueId: number;
      tier: Tier;
      agentId: number;
    }): Promise<void> {
      if (!TIERS.includes(call.tier)) throw new RangeError(`unknown tier ${call.tier}`);
      await run('start_outbound', {
        interactionId: idArg(call.interactionId, 'interactionId'),
        queueId: idArg(call.queueId, 'queueId'),
        tier: call.tier,
        agentId: idArg(call.agentId, 'agentId'),
      });
    },

    /** The caller hung up before an agent answered; a ringing reservation is cancelled and its agent freed. */
    abandon: (interactionId: number) => leave(interactionId, 'abandon'),

    /** A waiting call leaves the ACD for an overflow destination, voicemail or a callback. */
    async leaveQueue(interactionId: number, exit: QueueExit): Promise<void> {
      await leave(interactionId, exit);
    },

    /** Moves a waiting call to another queue, keeping its original enqueue time and raised seconds. */
    async moveToQueue(interactionId: number, queueId: number): Promise<void> {
      await run('move', {
        interactionId: idArg(interactionId, 'interactionId'),
        queueId: idArg(queueId, 'queueId'),
      });
    },

    /** Gives a waiting call `seconds` more head start. */
    async raisePriority(interactionId: number, seconds: number): Promise<void> {
      await run('raise_priority', {
        interactionId: idArg(interactionId, 'interactionId'),
        seconds: integerAtLeast(seconds, 'seconds', 1),
      });
    },

    /** Offers waiting calls to eligible available agents, best call first; answers the reservations made. */
    async dispatch(): Promise<Reservation[]> {
      return list<Raw>(await run('dispatch', {})).map(toReservation);
    },

    /** Connects the call to the agent; the agent goes on_call. */
    acceptReservation: (reservationId: number, agentId: number) => answer(reservationId, agentId, 'accept'),

    /** Puts the call back at its original place; the agent goes on break for RONA. */
    rejectReservation: (reservationId: number, agentId: number) => answer(reservationId, agentId, 'reject'),

    /** Times out reservations due by `nowMs` (default now) as a reject would; answers them. */
    async expireReservations(nowMs = clock.now().getTime()): Promise<Reservation[]> {
      return list<Raw>(await run('expire_reservations', {}, nowMs)).map(toReservation);
    },

    /** A connected call ended; its agent goes to wrap_up or available per the queue's acwPolicy. */
    async endCall(interactionId: number): Promise<{ agentId: number; agentStatus: AgentStatus }> {
      const result = (await run('end_call', { interactionId: idArg(interactionId, 'interactionId') })) as Raw;
      return { agentId: Number(result.agentId), agentStatus: result.agentStatus as AgentStatus };
    },

    /**
     * The agent's phone refused, never answered or dropped a call they accepted, before talk began: the
     * call waits again at its original place, and the agent (if still on it) goes on a missed-call break.
     */
    async requeue(interactionId: number): Promise<{ agentId: number }> {
      const result = (await run('requeue', { interactionId: idArg(interactionId, 'interactionId') })) as Raw;
      return { agentId: Number(result.agentId) };
    },

    /** Ends timed after-call work due by `nowMs` (default now); answers the agents made available. */
    async expireWrapUps(nowMs = clock.now().getTime()): Promise<number[]> {
      return list<string>(await run('expire_wrap_ups', {}, nowMs)).map(Number);
    },

    async getAgent(agentId: number): Promise<AcdAgent | null> {
      const raw = (await run('read', { kind: 'agent', id: idArg(agentId, 'agentId') })) as Raw | undefined;
      if (!raw) return null;
      return {
        agentId,
        status: raw.status as AgentStatus,
        reason: raw.reason ? String(raw.reason) : null,
        statusSinceMs: Number(raw.statusSinceMs),
        reservationId: optionalNumber(raw.reservationId),
        interactionId: optionalNumber(raw.interactionId),
      };
    },

    async getCall(interactionId: number): Promise<AcdCall | null> {
      const raw = (await run('read', { kind: 'call', id: idArg(interactionId, 'interactionId') })) as
        Raw | undefined;
      if (!raw) return null;
      return {
        interactionId,
        state: raw.state as CallState,
        queueId: Number(raw.queueId),
        tier: raw.tier as Tier,
        enqueuedAtMs: Number(raw.enqueuedAtMs),
        reservationId: optionalNumber(raw.reservationId),
        agentId: optionalNumber(raw.agentId),
      };
    },

    async getReservation(reservationId: number): Promise<Reservation | null> {
      const raw = (await run('read', { kind: 'reservation', id: idArg(reservationId, 'reservationId') })) as
        Raw | undefined;
      return raw ? toReservation(raw) : null;
    },

    /** Waiting calls, agents by status and pending reservations, all queues or one, read atomically. */
    snapshot,

    /** 1-based place of a waiting call in its queue and the queue's length; null when it is not waiting. */
    async position(
      interactionId: number,
    ): Promise<{ queueId: number; position: number; count: number } | null> {
      const raw = (await run('position', { interactionId: idArg(interactionId, 'interactionId') })) as
        Raw | undefined;
      if (!raw) return null;
      return { queueId: Number(raw.queueId), position: Number(raw.position), count: Number(raw.count) };
    },

    /**
     * Seconds a caller arriving now would wait: calls ahead × `avgHandleSeconds` ÷ staffed agents (those
     * qualified for the queue and not offline), rounded up. Null when nobody is staffed.
     */
    async estimatedWaitSeconds(queueId: number, avgHandleSeconds: number): Promise<number | null> {
      const { waiting, agents } = await snapshot(queueId);
      const staffed = staffedCount(agents);
      return staffed === 0 ? null : Math.ceil((waiting.length * avgHandleSeconds) / staffed);
    },

    /**
     * Every broken invariant, read atomically (empty when all is well): each live call in exactly one
     * place matching its state, reserved agents ⇔ one pending reservation each, on_call agents ⇔ one
     * connected call each, the available index ⇔ available agents, and the counts adding up.
     */
    async checkInvariants(): Promise<string[]> {
      return list<string>(await run('check_invariants', {}));
    },
  };
}

export type Acd = ReturnType<typeof createAcd>;
