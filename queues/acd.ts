import { createAcdAgents } from './acd-agents.js';
import { createAcdCalls } from './acd-calls.js';
import { createAcdContext, type AcdOptions } from './acd-context.js';
import { createAcdReservations } from './acd-reservations.js';
import { createAcdSnapshot } from './acd-snapshot.js';

export type { AcdAgent, AgentProfile } from './acd-agents.js';
export type { AcdCall, CallQueueSettings } from './acd-calls.js';
export type { AcdOptions } from './acd-context.js';
export type { Reservation } from './acd-reservations.js';
export { staffedCount, type AcdSnapshot, type AgentSummary, type WaitingCall } from './acd-snapshot.js';

/**
 * The ACD: CallQueues, Agents, Reservations and Calls in Redis. Every method is one Lua script, so any
 * number of processes may share one ACD under the same prefix.
 */
export function createAcd(options: AcdOptions) {
  const context = createAcdContext(options);
  return {
    ...createAcdCalls(context),
    ...createAcdAgents(context),
    ...createAcdReservations(context),
    ...createAcdSnapshot(context),
  };
}

export type Acd = ReturnType<typeof createAcd>;
