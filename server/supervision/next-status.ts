import type { AgentsService } from '../agents/index.js';
import type { AuditLog } from '../audit/index.js';
import type { Me } from '../auth/auth.schemas.js';
import type { CallsService } from '../calls/index.js';
import type { AgentNextStatusBody } from './supervision.schemas.js';

export interface NextStatusDeps {
  agents: AgentsService;
  calls: Pick<CallsService, 'planNext'>;
  audit: AuditLog;
}

/**
 * A supervisor plans a busy agent's status after their call, as the agent can from their desk: the
 * same checks (a known break reason; only while ringing, on a call or in wrap-up) and the same push
 * of the agent's desk, plus the audit log.
 */
export function createNextStatusIntervention({ agents, calls, audit }: NextStatusDeps) {
  return {
    async setAgentNextStatus(
      actor: Me,
      agentId: number,
      body: AgentNextStatusBody,
      ip: string,
    ): Promise<void> {
      agents.get(agentId);
      await calls.planNext(agentId, body.reason);
      audit.record({
        actorAgentId: actor.id,
        action: 'supervision.agent_next_status',
        entityType: 'agent',
        entityId: agentId,
        ip,
        details: { reason: body.reason },
      });
    },
  };
}
