import type { FastifyBaseLogger } from 'fastify';
import { AcdError, type Acd } from '../../queues/index.js';
import type { InteractionsService } from '../interactions/index.js';
import type { CallSession, CallSessions } from './call-sessions.js';

/**
 * How the Agent's leg failed, as the provider said it: Twilio's CallStatus (`busy`, `no-answer`,
 * `failed`, `canceled`) or a SIP final response code (`486`, `408`, …), or `desk` when the Agent
 * hung up from the desk before their phone answered.
 */
export type AgentLegFailure = string;

export interface AgentLegDeps {
  acd: Acd;
  sessions: CallSessions;
  interactions: InteractionsService;
  log: FastifyBaseLogger;
  nowIso: () => string;
  /** Sends the Agent's desk state to their consoles. */
  push: (agentId: number) => Promise<void>;
}

/**
 * The Agent's phone after they accepted, shared by every provider. Until talk begins the caller is
 * not the Agent's yet: when the Agent's phone refuses, never answers or drops (or the Agent hangs up
 * from the desk while it rings), the caller goes back to their own place in the queue and the Agent
 * to a missed-call break, as when an offer rings out on the desk. Otherwise a broken softphone would
 * take every next caller and drop them too.
 */
export function createAgentLeg({ acd, sessions, interactions, log, nowIso, push }: AgentLegDeps) {
  /** The call is the Agent's and not answered yet: what a failure of their phone may undo. */
  async function undoable(interactionId: number): Promise<CallSession | null> {
    const interaction = interactions.facts(interactionId);
    if (interaction.answeredAt || interaction.endedAt || interaction.state !== 'offered') return null;
    const acdCall = await acd.getCall(interactionId);
    const session = await sessions.get(interactionId);
    if (acdCall?.state !== 'connected' || !session) return null;
    // A call an Agent places has no queue to go back to, and a consulted Agent's part is not the caller's.
    if (session.dialOut && (!session.dialOut.callback || session.providerCallId !== '')) return null;
    if (session.consultOf != null) return null;
    return session;
  }

  return {
    undoable,

    /**
     * Returns the call to its queue at its original place and the Agent to a missed-call break. Resolves
     * false, changing nothing, when the call is not in that state (answered, ended, or already back).
     * The caller waits on: the provider keeps them where they were (Twilio's conference wait music,
     * Kamailio's suspended INVITE); dispatching the next offer is the caller's part.
     */
    async failedAfterAccept(interactionId: number, failure: AgentLegFailure): Promise<boolean> {
      if (!(await undoable(interactionId))) return false;
      const agentId = interactions.facts(interactionId).agentId;
      try {
        await acd.requeue(interactionId);
      } catch (error) {
        // Another process or event got there first.
        if (error instanceof AcdError) return false;
        throw error;
      }
      await sessions.update(interactionId, (current) => ({
        agentLegId: null,
        agentMuted: false,
        ...(current.agentLegId && {
          droppedAgentLegs: [...(current.droppedAgentLegs ?? []), current.agentLegId],
        }),
      }));
      interactions.note(interactionId, 'agent_leg_failed', nowIso(), agentId, { status: failure });
      if (agentId !== null) {
        interactions.apply(
          interactionId,
          { type: 'offer_declined', agentId, reason: 'phone_failed' },
          nowIso(),
        );
        await push(agentId);
      }
      log.info(
        { interactionId, agentId, failure },
        "the agent's phone failed: the call went back to its queue",
      );
      return true;
    },
  };
}

export type AgentLeg = ReturnType<typeof createAgentLeg>;
