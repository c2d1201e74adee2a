import { idArg, list, type AcdContext, type Raw } from './acd-context.js';
import { toReservation, type Reservation } from './acd-reservations.js';
import { AGENT_STATUSES, type AgentStatus } from './agent-status.machine.js';
import { priorityScore, type Tier } from './priority.js';

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
  /** The break planned for when the agent's call or wrap-up ends, or null. */
  nextReason: string | null;
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

/** Agents signed in (in any status but offline), from a snapshot's agents by status. */
export function staffedCount(agents: AcdSnapshot['agents']): number {
  return AGENT_STATUSES.filter((s) => s !== 'offline').reduce((n, s) => n + agents[s].length, 0);
}

/** Atomic reads across the whole ACD: who waits, who is staffed, and whether the state is sound. */
export function createAcdSnapshot({ run, clock }: AcdContext) {
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
        nextReason: a.nextReason ? String(a.nextReason) : null,
      });
    }
    const reservations = list<Raw>(raw.reservations)
      .map(toReservation)
      .sort((a, b) => a.id - b.id);
    return { atMs, waiting, agents, reservations };
  };

  return {
    /** Waiting calls, agents by status and pending reservations, all queues or one, read atomically. */
    snapshot,

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
     * connected call each, the available index ⇔ available agents, each queue's eligible and ranked
     * indexes ⇔ its qualified available agents (ranked by its strategy), and the counts adding up.
     */
    async checkInvariants(): Promise<string[]> {
      return list<string>(await run('check_invariants', {}));
    },
  };
}
