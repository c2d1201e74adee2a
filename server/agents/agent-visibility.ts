import type { Me } from '../auth/auth.schemas.js';
import type { Agent } from './agents.schemas.js';

/**
 * An Agent as `viewer` may see them. A phone number is the person's own (a mobile the calls ring
 * on), so only they, supervisors and admins see it; other Agents see null.
 */
export function agentAsSeenBy(viewer: Me, agent: Agent): Agent {
  if (viewer.role !== 'agent' || viewer.id === agent.id) return agent;
  return { ...agent, phoneNumber: null };
}
