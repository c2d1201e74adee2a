import { DECLINED_REASON, LOGIN_REASON, RONA_REASON, type AgentStatus } from '../contracts/glossary.js';
import { defineMachine, type Transition } from './state-machine.js';

export {
  AGENT_STATUSES,
  DECLINED_REASON,
  LOGIN_REASON,
  RONA_REASON,
  type AgentStatus,
} from '../contracts/glossary.js';

/** Events an Agent raises (or a supervisor raises for them) directly. */
export const AGENT_COMMANDS = ['login', 'go_available', 'take_break', 'wrap_up_done', 'logout'] as const;
export type AgentCommand = (typeof AGENT_COMMANDS)[number];

/** Every event, including those that only follow from Reservations and Calls inside the ACD. */
export type AgentEvent =
  | AgentCommand
  | 'reserve'
  | 'answer'
  | 'reservation_rejected'
  | 'reservation_timed_out'
  | 'reservation_cancelled'
  | 'dial_out'
  | 'hang_up'
  | 'agent_leg_failed'
  // The agent (or a supervisor) picks the status after this call; only the rows below say from where.
  | 'plan_next';

export interface AgentGuards {
  /** The CallQueue of the call that just ended wants wrap-up (any acwPolicy but 'none'). */
  wrapUp: boolean;
  /** A break is planned for when the call or wrap-up ends (the agent's `nextReason` in Redis). */
  breakNext: boolean;
}

export interface AgentTransition extends Transition<AgentStatus, AgentEvent, AgentGuards> {
  /** Break reason this row sets; take_break carries the agent's own. */
  readonly reason?: string;
}

export const agentStatusMachine = defineMachine<AgentStatus, AgentEvent, AgentGuards, AgentTransition>(
  'agent',
  [
    { event: 'login', from: ['offline'], to: 'break', reason: LOGIN_REASON },
    { event: 'go_available', from: ['break'], to: 'available' },
    { event: 'take_break', from: ['available', 'break'], to: 'break' },
    { event: 'reserve', from: ['available'], to: 'reserved' },
    { event: 'answer', from: ['reserved'], to: 'on_call' },
    // A rejected or unanswered offer means the agent is not really there: keep the next call away.
    { event: 'reservation_rejected', from: ['reserved'], to: 'break', reason: DECLINED_REASON },
    { event: 'reservation_timed_out', from: ['reserved'], to: 'break', reason: RONA_REASON },
    // A planned break (plan_next) wins over becoming available: the rows guarded by breakNext come
    // first, and their break reason is the planned one, not a reason of the row.
    { event: 'reservation_cancelled', from: ['reserved'], to: 'break', when: { breakNext: true } },
    { event: 'reservation_cancelled', from: ['reserved'], to: 'available' },
    // An agent places a call themselves: ready for calls, or on a break doing outbound work.
    { event: 'dial_out', from: ['available', 'break'], to: 'on_call' },
    // Their phone failed the call they accepted: a missed call, like a ring-out.
    { event: 'agent_leg_failed', from: ['on_call'], to: 'break', reason: RONA_REASON },
    { event: 'hang_up', from: ['on_call'], to: 'wrap_up', when: { wrapUp: true } },
    // Wrap-up still comes first when the queue wants it; the planned break follows wrap_up_done.
    { event: 'hang_up', from: ['on_call'], to: 'break', when: { wrapUp: false, breakNext: true } },
    { event: 'hang_up', from: ['on_call'], to: 'available', when: { wrapUp: false } },
    { event: 'wrap_up_done', from: ['wrap_up'], to: 'break', when: { breakNext: true } },
    { event: 'wrap_up_done', from: ['wrap_up'], to: 'available' },
    // Planning changes no status: these rows only say where a plan may be made.
    { event: 'plan_next', from: ['reserved'], to: 'reserved' },
    { event: 'plan_next', from: ['on_call'], to: 'on_call' },
    { event: 'plan_next', from: ['wrap_up'], to: 'wrap_up' },
    { event: 'logout', from: ['available', 'break'], to: 'offline' },
  ],
);
