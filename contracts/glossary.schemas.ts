/**
 * The glossary's TypeBox schemas, for the server's validation and OpenAPI. Each is built from the
 * list in glossary.ts and carries that file's type under the same name. Not for the browser bundle:
 * it pulls in typebox.
 */
import * as G from './glossary.js';
import { Literals } from './schema-kit.js';

export const AgentStatus = Literals(G.AGENT_STATUSES);
export type AgentStatus = G.AgentStatus;

export const Tier = Literals(G.TIERS);
export type Tier = G.Tier;

export const LifecycleStage = Literals(G.LIFECYCLE_STAGES);
export type LifecycleStage = G.LifecycleStage;

export const InteractionOutcome = Literals(G.INTERACTION_OUTCOMES);
export type InteractionOutcome = G.InteractionOutcome;

export const InteractionState = Literals(G.INTERACTION_STATES);
export type InteractionState = G.InteractionState;

export const CallDirection = Literals(G.CALL_DIRECTIONS);
export type CallDirection = G.CallDirection;

export const InteractionProvider = Literals(G.INTERACTION_PROVIDERS);
export type InteractionProvider = G.InteractionProvider;

export const WrapUpPolicy = Literals(G.WRAP_UP_POLICIES);
export type WrapUpPolicy = G.WrapUpPolicy;

export const WrapUpAction = Literals(G.WRAP_UP_ACTIONS);
export type WrapUpAction = G.WrapUpAction;

export const RoutingStrategy = Literals(G.ROUTING_STRATEGIES);
export type RoutingStrategy = G.RoutingStrategy;

export const FollowUpKind = Literals(G.FOLLOW_UP_KINDS);
export const FollowUpStatus = Literals(G.FOLLOW_UP_STATUSES);
export const WorkFollowUpKind = Literals(G.WORK_FOLLOW_UP_KINDS);
export const FollowUpPriority = Literals(G.FOLLOW_UP_PRIORITIES);
export const FollowUpAction = Literals(G.FOLLOW_UP_ACTIONS);
