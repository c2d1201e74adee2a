import type { Me, Role } from '../auth/auth.schemas.js';

/**
 * The socket.io contract, shared with the console by `import type`. Room names come from the
 * helpers below, never from string literals at the call sites.
 */
export interface ServerToClientEvents {
  /** The session behind this socket ended (signed out, expired, disabled): the console shows login. */
  'session:ended': () => void;
}

// Client-to-server events join this map as features add them (agent status, offer accept, …).
export type ClientToServerEvents = Record<never, never>;

export interface SocketData {
  agent: Me;
}

export const agentRoom = (agentId: number) => `agent:${agentId}`;
export const roleRoom = (role: Role) => `role:${role}`;
