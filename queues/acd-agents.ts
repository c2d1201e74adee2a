import { idArg, integerAtLeast, list, optionalNumber, type AcdContext, type Raw } from './acd-context.js';
import { AGENT_COMMANDS, type AgentCommand, type AgentStatus } from './agent-status.machine.js';

export interface AgentProfile {
  id: number;
  skills: { skill: string; proficiency: number }[];
}

export interface AcdAgent {
  agentId: number;
  status: AgentStatus;
  /** Break reason ('rona', 'declined', 'login' or the agent's own); null in other statuses. */
  reason: string | null;
  statusSinceMs: number;
  reservationId: number | null;
  interactionId: number | null;
  /** The break reason planned for when the call or wrap-up ends (planNext); null when none is. */
  nextReason: string | null;
}

/** Agents' profiles and the status changes they make themselves. */
export function createAcdAgents({ run, clock }: AcdContext) {
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

  return {
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

    /**
     * Plans the break an agent who is ringing, on a call or in wrap-up takes when that ends, instead of
     * becoming available; null clears the plan. Elsewhere an IllegalTransitionError (plan_next). The
     * caller checks the reason is a known break reason.
     */
    async planNext(agentId: number, reason: string | null): Promise<void> {
      if (reason === '') throw new RangeError('a planned break needs a reason');
      await run('plan_next', { agentId: idArg(agentId, 'agentId'), reason: reason ?? '' });
    },

    /** Ends after-call work (any policy); the agent becomes available. */
    endWrapUp: (agentId: number) => agentEvent(agentId, 'wrap_up_done'),

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
        nextReason: raw.nextReason ? String(raw.nextReason) : null,
      };
    },
  };
}
