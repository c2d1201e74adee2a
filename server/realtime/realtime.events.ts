import type { Me, Role } from '../auth/auth.schemas.js';
import type { SupervisionView } from '../../contracts/socket.js';

/**
 * The server's side of the socket.io contract (contracts/desk.ts, contracts/socket.ts): who a socket
 * belongs to and the room names, which come from these helpers, never from string literals.
 */
export type { AgentStatus } from '../../contracts/glossary.js';
export * from '../../contracts/desk.js';
export * from '../../contracts/socket.js';

export interface SocketData {
  agent: Me;
}

export const agentRoom = (agentId: number) => `agent:${agentId}`;
export const roleRoom = (role: Role) => `role:${role}`;
export const supervisionRoom = (view: SupervisionView) => `supervision:${view}`;
/** The sockets of the Agents qualified for a CallQueue: they get its backlog. */
export const backlogRoom = (queueId: number) => `backlog:${queueId}`;
