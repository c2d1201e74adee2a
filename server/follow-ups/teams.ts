import { qualifies } from '../../queues/index.js';
import type { AgentsService } from '../agents/index.js';
import type { CallQueuesService } from '../call-queues/index.js';
import type { Teams } from './follow-ups.service.js';

/**
 * A CallQueue's team is the active agents qualified for it (the same test the ACD offers calls by),
 * so a follow-up owned by a queue reaches whoever may take its calls today, with no second list of
 * members to keep. Read on demand: agents and queues change rarely and are few.
 */
export function createTeams(agents: AgentsService, callQueues: CallQueuesService): Teams {
  return {
    queueIdsOf(agentId) {
      const agent = agents.list().find((candidate) => candidate.id === agentId);
      if (!agent) return [];
      return callQueues
        .list()
        .filter((queue) => qualifies(agent.skills, queue.skills))
        .map((queue) => queue.id);
    },
    membersOf(queueId) {
      const queue = callQueues.list().find((candidate) => candidate.id === queueId);
      if (!queue) return [];
      return agents
        .list()
        .filter((agent) => agent.active && qualifies(agent.skills, queue.skills))
        .map((agent) => agent.id);
    },
    queues: () => callQueues.list().map((queue) => ({ id: queue.id, name: queue.name })),
    queueExists: (queueId) => callQueues.list().some((queue) => queue.id === queueId),
    agentExists: (agentId) => agents.list().some((agent) => agent.id === agentId && agent.active),
  };
}
