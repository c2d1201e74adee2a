/**
 * Runtime lists of the API's enumerations, for selects and filters. The server's lists live in files
 * that import typebox, which the bundle must not pull in; these records are typed against the server's
 * types, so a value added or removed there fails the typecheck here instead of drifting silently.
 */
import type { LifecycleStage, Tier } from '../../server/customers/customers.schemas.js';
import type { Outcome } from '../../server/interactions/interactions.schemas.js';
import type { AgentStatus } from '../../server/realtime/realtime.events.js';

const tiers = { platinum: true, gold: true, silver: true, bronze: true } satisfies Record<Tier, true>;
const stages = { new: true, active: true, at_risk: true, lost: true, won_back: true } satisfies Record<
  LifecycleStage,
  true
>;
const outcomes = {
  answered: true,
  abandoned: true,
  voicemail: true,
  callback: true,
  transferred: true,
  failed: true,
} satisfies Record<Outcome, true>;

// In the order supervisors scan them: who is busy with a call first.
const agentStatuses = {
  reserved: true,
  on_call: true,
  wrap_up: true,
  available: true,
  break: true,
  offline: true,
} satisfies Record<AgentStatus, true>;

/** Highest tier first. */
export const TIERS = Object.keys(tiers) as Tier[];
export const LIFECYCLE_STAGES = Object.keys(stages) as LifecycleStage[];
export const OUTCOMES = Object.keys(outcomes) as Outcome[];
/** Statuses with a call first, then available, break, offline. */
export const AGENT_STATUS_ORDER = Object.keys(agentStatuses) as AgentStatus[];

export function isTier(value: string): value is Tier {
  return value in tiers;
}

export function isLifecycleStage(value: string): value is LifecycleStage {
  return value in stages;
}

export function isOutcome(value: string): value is Outcome {
  return value in outcomes;
}
