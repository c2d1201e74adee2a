import {
  ROUTING_STRATEGIES,
  WRAP_UP_POLICIES,
  type RoutingStrategy,
  type WrapUpPolicy,
} from '../contracts/glossary.js';
import { idArg, integerAtLeast, optionalNumber, type AcdContext, type Raw } from './acd-context.js';
import { toReservation, type Reservation } from './acd-reservations.js';
import type { AgentStatus } from './agent-status.machine.js';
import type { CallState, QueueExit } from './call.machine.js';
import { headStartSeconds, TIERS, type Tier, type TierBoost } from './priority.js';

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

export interface AcdCall {
  interactionId: number;
  state: CallState;
  queueId: number;
  tier: Tier;
  enqueuedAtMs: number;
  reservationId: number | null;
  agentId: number | null;
}

/** CallQueues and the calls in them, from enqueue to the end of the call. */
export function createAcdCalls({ run, clock, defaultBoost }: AcdContext) {
  const leave = async (interactionId: number, event: QueueExit | 'abandon') => {
    const result = (await run('leave', { interactionId: idArg(interactionId, 'interactionId'), event })) as {
      cancelledReservationId?: string;
    };
    return { cancelledReservationId: optionalNumber(result.cancelledReservationId) };
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

    /** 1-based place of a waiting call in its queue and the queue's length; null when it is not waiting. */
    async position(
      interactionId: number,
    ): Promise<{ queueId: number; position: number; count: number } | null> {
      const raw = (await run('position', { interactionId: idArg(interactionId, 'interactionId') })) as
        Raw | undefined;
      if (!raw) return null;
      return { queueId: Number(raw.queueId), position: Number(raw.position), count: Number(raw.count) };
    },
  };
}
