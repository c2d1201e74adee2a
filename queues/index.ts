export {
  createAcd,
  staffedCount,
  type Acd,
  type AcdAgent,
  type AcdCall,
  type AcdOptions,
  type AcdSnapshot,
  type AgentProfile,
  type AgentSummary,
  type CallQueueSettings,
  type Reservation,
  type WaitingCall,
} from './acd.js';
export type { RoutingStrategy, WrapUpPolicy } from '../contracts/glossary.js';
export {
  AGENT_COMMANDS,
  AGENT_STATUSES,
  agentStatusMachine,
  LOGIN_REASON,
  RONA_REASON,
  DECLINED_REASON,
  type AgentCommand,
  type AgentEvent,
  type AgentStatus,
} from './agent-status.machine.js';
export {
  CALL_STATES,
  callMachine,
  QUEUE_EXITS,
  type CallEvent,
  type CallState,
  type QueueExit,
} from './call.machine.js';
export {
  RESERVATION_STATES,
  reservationMachine,
  type ReservationEvent,
  type ReservationState,
} from './reservation.machine.js';
export {
  AcdError,
  IllegalTransitionError,
  NotFoundError,
  ReservationCancelledError,
  ReservationExpiredError,
  ReservationNotYoursError,
  type MachineName,
} from './errors.js';
export { qualifies } from './qualification.js';
export { DEFAULT_TIER_BOOST_SECONDS, priorityScore, TIERS, type Tier, type TierBoost } from './priority.js';
