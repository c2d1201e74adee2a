/**
 * Runtime lists of the glossary's enumerations, for selects and filters. The lists themselves are
 * contracts/glossary.ts's, which imports nothing, so the bundle does not pull in typebox.
 */
import {
  INTERACTION_OUTCOMES,
  LIFECYCLE_STAGES,
  TIERS,
  type AgentStatus,
  type InteractionOutcome,
  type LifecycleStage,
  type Tier,
} from '../../contracts/glossary.js';

// In the order supervisors scan them: who is busy with a call first.
const agentStatuses = {
  reserved: true,
  on_call: true,
  wrap_up: true,
  available: true,
  break: true,
  offline: true,
} satisfies Record<AgentStatus, true>;

export { LIFECYCLE_STAGES, TIERS, INTERACTION_OUTCOMES as OUTCOMES };
/** Statuses with a call first, then available, break, offline. */
export const AGENT_STATUS_ORDER = Object.keys(agentStatuses) as AgentStatus[];

const includes = <T extends string>(list: readonly T[], value: string): value is T =>
  (list as readonly string[]).includes(value);

export function isTier(value: string): value is Tier {
  return includes(TIERS, value);
}

export function isLifecycleStage(value: string): value is LifecycleStage {
  return includes(LIFECYCLE_STAGES, value);
}

export function isOutcome(value: string): value is InteractionOutcome {
  return includes(INTERACTION_OUTCOMES, value);
}
