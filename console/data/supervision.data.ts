/**
 * Supervisors' live views: a socket.io connection opened while a supervision page is shown, the
 * latest payload of each view it watches as a subscribable store, alerts as they come, and the
 * interventions as REST calls. The server pushes whole views (at most one a second), so the store
 * only ever replaces them.
 */
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import type {
  Ack,
  ClientToServerEvents,
  ServerToClientEvents,
  SupervisionView,
} from '../../contracts/socket.js';
import type {
  AgentNextStatusBody,
  AgentStatusBody,
  SuperviseBody,
} from '../../server/supervision/supervision.schemas.js';
import type { AgentsLive, Alert, QueuesLive } from '../../contracts/supervision.js';
import { notifySessionExpired, request } from './api.js';

export type {
  AgentLive,
  AgentsLive,
  Alert,
  QueueLive,
  QueuesLive,
} from '../../server/supervision/supervision.schemas.js';

type SupervisionSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** As the desk's: `reconnecting` keeps the last views, which may be out of date meanwhile. */
export type SupervisionConnection = 'connecting' | 'connected' | 'reconnecting' | 'offline';

export interface SupervisionSnapshot {
  readonly connection: SupervisionConnection;
  readonly queues: QueuesLive | null;
  readonly agents: AgentsLive | null;
  /** Why the server refused the connection or a view, as it wrote it. */
  readonly problem: string | null;
}

export interface SupervisionClientOptions {
  /** The server's URL; the page's own origin when omitted. */
  url?: string;
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
}

const SESSION_REFUSED = /^Sign in first/;

export function createSupervisionClient(options: SupervisionClientOptions = {}) {
  const listeners = new Set<(snapshot: SupervisionSnapshot) => void>();
  const alertListeners = new Set<(alert: Alert) => void>();
  /** How many elements watch each view: the socket lives while any does. */
  const watching = new Map<SupervisionView, number>();
  let snapshot: SupervisionSnapshot = { connection: 'offline', queues: null, agents: null, problem: null };
  let socket: SupervisionSocket | null = null;

  function update(change: Partial<SupervisionSnapshot>): void {
    snapshot = { ...snapshot, ...change };
    for (const listener of listeners) listener(snapshot);
  }

  function join(view: SupervisionView): void {
    socket?.emit('supervision:join', { view }, ((result) => {
      if (!result.ok) update({ problem: result.error });
    }) satisfies Ack);
  }

  function close(): void {
    const current = socket;
    socket = null;
    current?.removeAllListeners();
    current?.disconnect();
    update({ connection: 'offline', queues: null, agents: null, problem: null });
  }

  function open(): void {
    const socketOptions: Partial<ManagerOptions & SocketOptions> = {
      transports: ['websocket', 'polling'],
      withCredentials: true,
      ...options.socketOptions,
    };
    const next: SupervisionSocket = options.url ? io(options.url, socketOptions) : io(socketOptions);
    socket = next;
    update({ connection: 'connecting', problem: null });
    // Rooms do not survive a reconnection: every connect joins the watched views again.
    next.on('connect', () => {
      update({ connection: 'connected', problem: null });
      for (const view of watching.keys()) join(view);
    });
    next.on('disconnect', () => update({ connection: next.active ? 'reconnecting' : 'offline' }));
    next.on('connect_error', (error) => {
      if (next.active) update({ connection: 'reconnecting' });
      else if (SESSION_REFUSED.test(error.message)) {
        close();
        notifySessionExpired();
      } else update({ connection: 'offline', problem: error.message });
    });
    next.on('session:ended', () => {
      close();
      notifySessionExpired();
    });
    next.on('supervision:queues', (queues) => update({ queues }));
    next.on('supervision:agents', (agents) => update({ agents }));
    next.on('supervision:alert', (alert) => {
      for (const listener of alertListeners) listener(alert);
    });
  }

  return {
    get snapshot(): SupervisionSnapshot {
      return snapshot;
    },

    /** Starts receiving a view; the returned function stops. The connection closes with the last watcher. */
    watch(view: SupervisionView): () => void {
      watching.set(view, (watching.get(view) ?? 0) + 1);
      if (!socket) open();
      else if (watching.get(view) === 1 && socket.connected) join(view);
      let stopped = false;
      return () => {
        if (stopped) return;
        stopped = true;
        const left = (watching.get(view) ?? 1) - 1;
        if (left > 0) {
          watching.set(view, left);
          return;
        }
        watching.delete(view);
        if (watching.size === 0) close();
        else {
          socket?.emit('supervision:leave', { view }, () => undefined);
          update({ [view]: null });
        }
      };
    },

    /** Calls `listener` after every change (read `snapshot` for the current one). */
    subscribe(listener: (snapshot: SupervisionSnapshot) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    /** Alerts raised while a view is watched. */
    onAlert(listener: (alert: Alert) => void): () => void {
      alertListeners.add(listener);
      return () => alertListeners.delete(listener);
    },
  };
}

export type SupervisionClient = ReturnType<typeof createSupervisionClient>;

/** The console's supervision connection, shared by the wallboard and the agent grid. */
export const supervision: SupervisionClient = createSupervisionClient();

// ── Interventions ──

export function setAgentStatus(agentId: number, body: AgentStatusBody): Promise<void> {
  return request('POST', `/api/supervision/agents/${agentId}/status`, { body });
}

/** Plans the break a busy agent takes when their call or wrap-up ends; a null reason clears the plan. */
export function setAgentNextStatus(agentId: number, reason: AgentNextStatusBody['reason']): Promise<void> {
  return request('PUT', `/api/supervision/agents/${agentId}/next-status`, { body: { reason } });
}

export function moveCall(interactionId: number, queueId: number): Promise<void> {
  return request('POST', `/api/supervision/calls/${interactionId}/move`, { body: { queueId } });
}

export function raisePriority(interactionId: number, seconds: number): Promise<void> {
  return request('POST', `/api/supervision/calls/${interactionId}/priority`, { body: { seconds } });
}

export function supervise(interactionId: number, mode: SuperviseBody['mode']): Promise<void> {
  return request('POST', `/api/supervision/calls/${interactionId}/supervise`, { body: { mode } });
}

export function endReservation(reservationId: number): Promise<void> {
  return request('POST', `/api/supervision/reservations/${reservationId}/end`);
}
