import type { FastifyBaseLogger } from 'fastify';
import type { Server, Socket } from 'socket.io';
import type { Role } from '../auth/auth.schemas.js';
import type { AuthService } from '../auth/auth.service.js';
import { ALL_ROLES, SUPERVISORS } from '../plugins/auth.plugin.js';
import {
  SUPERVISION_EVENTS,
  agentRoom,
  roleRoom,
  supervisionRoom,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SocketData,
  type SupervisionView,
} from './realtime.events.js';
import { SERVER_ERROR } from '../http/errors.js';
import { ackOf } from './socket-commands.js';

export type RealtimeServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;
type RealtimeSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** What a command on a socket whose session has ended is answered, just before the socket closes. */
export const SESSION_ENDED = 'Sign in again: your session has ended';

const SUPERVISION_ROOMS = (Object.keys(SUPERVISION_EVENTS) as SupervisionView[]).map(supervisionRoom);

/** The rooms an agent of `role` must not be in: other roles' rooms, and the live views unless a supervisor. */
function roomsBarredTo(role: Role): string[] {
  const otherRoles = ALL_ROLES.filter((other) => other !== role).map(roleRoom);
  return SUPERVISORS.includes(role) ? otherRoles : [...otherRoles, ...SUPERVISION_ROOMS];
}

/**
 * Keeps open sockets in line with their sessions. A socket is a long-lived grant: checking the
 * session at the handshake only would let a disabled agent, a demoted supervisor or an expired
 * session keep acting and listening. So every event re-reads the session (and the agent's role)
 * before any handler runs, a sweep closes sockets whose session expired while they were quiet, and
 * revocations reach every server process at once through the Redis adapter.
 */
export function createSocketSessions({
  io,
  auth,
  log,
}: {
  io: RealtimeServer;
  auth: AuthService;
  log: FastifyBaseLogger;
}) {
  // Kept in this process only: socket.data travels through Redis when sockets are fetched remotely.
  const tokens = new WeakMap<RealtimeSocket, string>();

  function end(socket: RealtimeSocket): void {
    socket.emit('session:ended');
    socket.disconnect(true);
  }

  /** Whether the session still stands; if so, the socket's agent and rooms are brought up to date. */
  function recheck(socket: RealtimeSocket): boolean {
    const token = tokens.get(socket);
    const agent = token ? auth.resolve(token) : null;
    if (!agent) return false;
    if (agent.role !== socket.data.agent.role) {
      for (const room of roomsBarredTo(agent.role)) void socket.leave(room);
      void socket.join(roleRoom(agent.role));
    }
    // In place: handlers hold this object from the connection on.
    Object.assign(socket.data.agent, agent);
    return true;
  }

  return {
    /** Takes an accepted handshake's socket under watch: each of its events first re-checks the session. */
    admit(socket: RealtimeSocket, token: string): void {
      tokens.set(socket, token);
      socket.use((packet, next) => {
        const reply = ackOf(packet.at(-1));
        try {
          if (recheck(socket)) return next();
          reply({ ok: false, error: SESSION_ENDED, code: 'session_ended' });
          end(socket);
        } catch (error) {
          log.error({ err: error, agentId: socket.data.agent.id }, 'socket session check failed');
          reply({ ok: false, error: SERVER_ERROR, code: 'server_error' });
        }
      });
    },

    /** Re-checks every socket of this process, closing those whose session ended while they were quiet. */
    sweep(): void {
      for (const socket of io.of('/').sockets.values()) {
        try {
          if (!recheck(socket)) end(socket);
        } catch (error) {
          log.error({ err: error, agentId: socket.data.agent.id }, 'socket session check failed');
        }
      }
    },

    /** Tells the agent's open consoles, in every server process, that their session ended, and drops them. */
    endAgent(agentId: number): void {
      io.to(agentRoom(agentId)).emit('session:ended');
      io.in(agentRoom(agentId)).disconnectSockets(true);
    },

    /** The agent's role changed: their sockets, in every server process, leave what the new role may not receive. */
    roleChanged(agentId: number, role: Role): void {
      io.in(agentRoom(agentId)).socketsLeave(roomsBarredTo(role));
      io.in(agentRoom(agentId)).socketsJoin(roleRoom(role));
    },
  };
}
