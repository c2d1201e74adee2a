/**
 * The glossary as values: each list is the one definition of its union type, read at runtime by the
 * server's schemas (contracts/glossary.schemas.ts), the ACD, and the console's selects and labels.
 * No imports: this file is loaded in the browser bundle and in Node alike.
 */

/** What an Agent is doing. `wrap_up` is after-call work: one concept, called wrap-up everywhere. */
export const AGENT_STATUSES = ['offline', 'available', 'reserved', 'on_call', 'wrap_up', 'break'] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];

/** Break reason after a Reservation rang out: Redirect On No Answer. */
export const RONA_REASON = 'rona';
/** Break reason after the agent rejected a Reservation: kept apart from RONA for supervisors. */
export const DECLINED_REASON = 'declined';
/** Break reason right after login: no call rings before the agent says they are ready. */
export const LOGIN_REASON = 'login';
/** Break reasons only the ACD sets; an agent cannot pick them. */
export const SYSTEM_BREAK_REASONS = [LOGIN_REASON, RONA_REASON, DECLINED_REASON] as const;
export type SystemBreakReason = (typeof SYSTEM_BREAK_REASONS)[number];
export const isSystemBreakReason = (reason: string): reason is SystemBreakReason =>
  (SYSTEM_BREAK_REASONS as readonly string[]).includes(reason);

/** A Customer's value; higher tiers are served sooner. Highest first. */
export const TIERS = ['platinum', 'gold', 'silver', 'bronze'] as const;
export type Tier = (typeof TIERS)[number];

export const LIFECYCLE_STAGES = ['new', 'active', 'at_risk', 'lost', 'won_back'] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

/** How an Interaction ended (not what the IVR decided: that is an `IvrOutcome`, in ivr/). */
export const INTERACTION_OUTCOMES = [
  'answered',
  'abandoned',
  'voicemail',
  'callback',
  'transferred',
  'failed',
] as const;
export type InteractionOutcome = (typeof INTERACTION_OUTCOMES)[number];

/** Where an Interaction is in its life; `offered` means a Reservation is ringing an Agent. */
export const INTERACTION_STATES = ['ivr', 'queued', 'offered', 'connected', 'wrap_up', 'completed'] as const;
export type InteractionState = (typeof INTERACTION_STATES)[number];

export const CALL_DIRECTIONS = ['inbound', 'outbound'] as const;
export type CallDirection = (typeof CALL_DIRECTIONS)[number];

/** What carries a Call's audio. Opaque above the telephony port. */
export const TELEPHONY_PROVIDERS = ['twilio', 'sip'] as const;
export type TelephonyProvider = (typeof TELEPHONY_PROVIDERS)[number];
/** Whether a stored Interaction's provider has a line behind it (seeded demo history has none). */
export const isTelephonyProvider = (provider: string): provider is TelephonyProvider =>
  (TELEPHONY_PROVIDERS as readonly string[]).includes(provider);

/** Who carried an Interaction: a telephony provider, or demo mode's simulated calls. */
export const INTERACTION_PROVIDERS = [...TELEPHONY_PROVIDERS, 'demo'] as const;
export type InteractionProvider = (typeof INTERACTION_PROVIDERS)[number];

/**
 * A CallQueue's wrap-up policy (the REST field keeps its historical name `acwPolicy`): `none` frees
 * the agent at once; `optional`, `mandatory` and `timed` put them in wrap-up, which `timed` ends by
 * itself after `acwSeconds`.
 */
export const WRAP_UP_POLICIES = ['none', 'optional', 'mandatory', 'timed'] as const;
export type WrapUpPolicy = (typeof WRAP_UP_POLICIES)[number];

/** What a WrapUpCode does beside classifying the call. */
export const WRAP_UP_ACTIONS = ['none', 'schedule_callback', 'do_not_call', 'lifecycle_change'] as const;
export type WrapUpAction = (typeof WRAP_UP_ACTIONS)[number];

/**
 * A Follow-up: a callback we place (the ACD dials it when due), a task for a person, winning back a
 * lost customer, or putting right a bad experience (e.g. a low survey score).
 */
export const FOLLOW_UP_KINDS = ['callback', 'task', 'win_back', 'service_recovery'] as const;
export type FollowUpKind = (typeof FOLLOW_UP_KINDS)[number];
/** The kinds a person or a rule creates; callbacks come only from the IVR and wrap-up, which dial them. */
export const WORK_FOLLOW_UP_KINDS = ['task', 'win_back', 'service_recovery'] as const;
export type WorkFollowUpKind = (typeof WORK_FOLLOW_UP_KINDS)[number];
/** Where a Follow-up is in its life: see server/follow-ups/follow-up.machine.ts for the moves. */
export const FOLLOW_UP_STATUSES = ['open', 'in_progress', 'done', 'cancelled'] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];
/** The statuses in which a Follow-up is still work to do. */
export const ACTIVE_FOLLOW_UP_STATUSES = ['open', 'in_progress'] as const satisfies readonly FollowUpStatus[];
/** Lowest first. */
export const FOLLOW_UP_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type FollowUpPriority = (typeof FOLLOW_UP_PRIORITIES)[number];
/** What a person may do to a Follow-up; the transition table says from which status. */
export const FOLLOW_UP_ACTIONS = ['start', 'complete', 'cancel', 'reopen'] as const;
export type FollowUpAction = (typeof FOLLOW_UP_ACTIONS)[number];

/** How a CallQueue picks among the qualified agents who are available. */
export const ROUTING_STRATEGIES = [
  'longest_idle',
  'least_occupied',
  'skills_best_match',
  'round_robin',
] as const;
export type RoutingStrategy = (typeof ROUTING_STRATEGIES)[number];
