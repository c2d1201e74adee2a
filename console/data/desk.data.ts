/**
 * The agent desk's live connection: one socket.io connection per signed-in console, the latest
 * `DeskState` the server sent as a subscribable store, and the desk's commands as promises.
 *
 * The server sends the whole state on connect and after every change, so the store only ever replaces
 * it; nothing here merges or predicts. socket.io reconnects by itself after a network drop and the
 * server then sends the state again; the store says so meanwhile (`reconnecting`) and keeps the last
 * state, which the desk shows as possibly out of date.
 */
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import type {
  Ack,
  ClientToServerEvents,
  ServerToClientEvents,
  SoftphoneHoldRequest,
  SoftphoneMuteRequest,
} from '../../contracts/socket.js';
import type {
  CallPayload,
  ConsultPayload,
  DeskState,
  QueueBacklog,
  MutePayload,
  PlanNextPayload,
  RecordingPayload,
  ReservationPayload,
  SetStatusPayload,
  TransferPayload,
  WrapUpPayload,
} from '../../contracts/desk.js';
import type { ReferRequest, ReferResult } from '../../contracts/socket.js';
import type { ErrorCode, ErrorParams } from '../../contracts/errors.js';
import type { FollowUpReminder } from '../../contracts/follow-up.js';
import { CUSTOMER_IMPORT_EVENTS, type ImportProgress } from '../../contracts/customer-import-events.js';
import { FOLLOW_UP_EVENTS } from '../../contracts/follow-up-events.js';
import { notifySessionExpired } from './api.js';
import { syncServerClock } from './server-clock.js';

export type DeskSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * - `connecting`: the first connection since sign-in is being made.
 * - `connected`: live; the state is current.
 * - `reconnecting`: the connection dropped and socket.io is retrying; the state may be out of date.
 * - `offline`: not connected and not retrying (signed out, or the server refused or closed the connection).
 */
export type DeskConnection = 'connecting' | 'connected' | 'reconnecting' | 'offline';

export interface DeskSnapshot {
  readonly connection: DeskConnection;
  /** The latest state from the server; null before the first one arrives and after disconnecting. */
  readonly state: DeskState | null;
  /** The server's reason for refusing the connection, when it was not the session (shown as written). */
  readonly problem: string | null;
  /** The waiting calls of the agent's CallQueues, by queue name; empty before the server sent them. */
  readonly backlog: readonly QueueBacklog[];
}

/**
 * - `refused`: the server answered `{ ok: false }`; the message is its reason, meant for people.
 * - `timeout`: no answer in time; the command may or may not have taken effect.
 * - `offline`: not connected, so nothing was sent (or the connection dropped before the answer).
 */
export type DeskCommandFailure = 'refused' | 'timeout' | 'offline';

export class DeskCommandError extends Error {
  constructor(
    readonly reason: DeskCommandFailure,
    message = '',
    /** The server's stable code of a refusal, and its params. */
    readonly coded: { code: ErrorCode; params?: ErrorParams } | null = null,
  ) {
    super(message);
    this.name = 'DeskCommandError';
  }
}

export interface DeskClientOptions {
  /** The server's URL; the page's own origin when omitted (the console's case). */
  url?: string;
  /** How long a command waits for the server's acknowledgement, in milliseconds. Default 10 000. */
  ackTimeoutMs?: number;
  /** Extra socket.io options, e.g. headers for tests running outside a browser. */
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
}

/** The realtime plugin refuses a handshake without a live session with this message. */
const SESSION_REFUSED = /^Sign in first/;
const DEFAULT_ACK_TIMEOUT_MS = 10_000;

type Command = keyof ClientToServerEvents;
type PayloadOf<E extends Command> = Parameters<ClientToServerEvents[E]>[0];
type AckResult = Parameters<Ack>[0];

/** The page's softphone, answering what the server asks of it. */
export interface SoftphoneAnswers {
  hold(request: SoftphoneHoldRequest): Promise<AckResult>;
  mute(request: SoftphoneMuteRequest): Promise<AckResult>;
  /** A SIP transfer: REFER the caller; null when `callId` is not this softphone's call. */
  refer(request: ReferRequest): Promise<ReferResult | null>;
}

const NO_SOFTPHONE = 'No softphone on this page';

/** `socket.timeout(ms)` narrowed to what `send` needs: the generic event map does not resolve per event. */
interface TimedEmitter {
  emit(event: Command, payload: unknown, ack: (error: Error | null, result: AckResult) => void): unknown;
}

/** What the console hears about follow-ups on the desk's connection (every signed-in console has one). */
export interface FollowUpListener {
  reminder?: (reminder: FollowUpReminder) => void;
  /** A follow-up in one of our worklists was created or changed. */
  changed?: (followUpId: number) => void;
  /** The connection (re)opened: anything may have changed while it was down. */
  connected?: () => void;
}

/** What the console hears about a customer import it started, on the same connection. */
export interface ImportProgressListener {
  progress: (progress: ImportProgress) => void;
  /** The connection (re)opened: progress pushed while it was down was missed. */
  connected: () => void;
}

export function createDeskClient(options: DeskClientOptions = {}) {
  const ackTimeoutMs = options.ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS;
  const listeners = new Set<(snapshot: DeskSnapshot) => void>();
  const followUpListeners = new Set<FollowUpListener>();
  const importListeners = new Set<ImportProgressListener>();
  let snapshot: DeskSnapshot = { connection: 'offline', state: null, problem: null, backlog: [] };
  let socket: DeskSocket | null = null;
  let softphone: SoftphoneAnswers | null = null;

  function update(change: Partial<DeskSnapshot>): void {
    snapshot = { ...snapshot, ...change };
    for (const listener of listeners) listener(snapshot);
  }

  function disconnect(): void {
    const current = socket;
    socket = null;
    if (current) {
      // Listeners first, so the 'disconnect' that follows cannot touch the store.
      current.removeAllListeners();
      current.disconnect();
    }
    update({ connection: 'offline', state: null, problem: null, backlog: [] });
  }

  function endSession(): void {
    disconnect();
    notifySessionExpired();
  }

  /** Connects, unless already connected or retrying. After the server refused or closed the connection, it tries again. */
  function connect(): void {
    if (socket?.active) return;
    if (socket) disconnect();
    const socketOptions: Partial<ManagerOptions & SocketOptions> = {
      transports: ['websocket', 'polling'],
      withCredentials: true,
      ...options.socketOptions,
    };
    const next: DeskSocket = options.url ? io(options.url, socketOptions) : io(socketOptions);
    socket = next;
    let everConnected = false;
    update({ connection: 'connecting', state: null, problem: null, backlog: [] });

    next.on('connect', () => {
      everConnected = true;
      update({ connection: 'connected', problem: null });
      for (const listener of followUpListeners) listener.connected?.();
      for (const listener of importListeners) listener.connected();
    });
    next.on(CUSTOMER_IMPORT_EVENTS.progress, (progress) => {
      for (const listener of importListeners) listener.progress(progress);
    });
    next.on(FOLLOW_UP_EVENTS.reminder, (reminder) => {
      for (const listener of followUpListeners) listener.reminder?.(reminder);
    });
    next.on(FOLLOW_UP_EVENTS.changed, ({ followUpId }) => {
      for (const listener of followUpListeners) listener.changed?.(followUpId);
    });
    // `active` tells whether socket.io will retry: true after a network drop, false after our own
    // disconnect or the server's (which it does when the session ends).
    next.on('disconnect', () => update({ connection: next.active ? 'reconnecting' : 'offline' }));
    next.on('connect_error', (error) => {
      if (next.active) {
        update({ connection: everConnected ? 'reconnecting' : 'connecting' });
      } else if (SESSION_REFUSED.test(error.message)) {
        endSession();
      } else {
        update({ connection: 'offline', problem: error.message });
      }
    });
    next.on('desk:state', (state) => {
      syncServerClock(state.serverTime);
      update({ state });
    });
    next.on('desk:backlog', ({ complete, queues }) => {
      const byId = new Map(complete ? [] : snapshot.backlog.map((queue) => [queue.queueId, queue]));
      for (const queue of queues) byId.set(queue.queueId, queue);
      update({ backlog: [...byId.values()].sort((a, b) => a.name.localeCompare(b.name)) });
    });
    next.on('session:ended', endSession);
    next.on('softphone:hold', (request, ack) => {
      if (!softphone) ack({ ok: false, error: NO_SOFTPHONE });
      else void softphone.hold(request).then(ack);
    });
    next.on('softphone:mute', (request, ack) => {
      if (!softphone) ack({ ok: false, error: NO_SOFTPHONE });
      else void softphone.mute(request).then(ack);
    });
    next.on('softphone:refer', (request, ack) => {
      // Without a softphone this console answers that the call is not its own.
      if (!softphone) return ack(null);
      softphone.refer(request).then(ack, (error: unknown) => ack({ ok: false, reason: String(error) }));
    });
  }

  function send<E extends Command>(event: E, payload: PayloadOf<E>): Promise<void> {
    const current = socket;
    // While disconnected socket.io would buffer the command and send it on reconnect, perhaps long
    // after the offer or call it was meant for; refusing at once is the honest answer.
    if (!current?.connected) return Promise.reject(new DeskCommandError('offline'));
    const timed = current.timeout(ackTimeoutMs) as unknown as TimedEmitter;
    return new Promise((resolve, reject) => {
      timed.emit(event, payload, (error, result) => {
        if (error) reject(new DeskCommandError(current.connected ? 'timeout' : 'offline', error.message));
        else if (result.ok) resolve();
        else {
          const coded = result.code
            ? { code: result.code, ...(result.params && { params: result.params }) }
            : null;
          reject(new DeskCommandError('refused', result.error, coded));
        }
      });
    });
  }

  return {
    connect,
    disconnect,

    get snapshot(): DeskSnapshot {
      return snapshot;
    },

    /** Calls `listener` after every change (not with the current snapshot: read `snapshot` for that). */
    subscribe(listener: (snapshot: DeskSnapshot) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    /** Follow-up reminders and changes pushed to this user; returns the way to stop listening. */
    onFollowUps(listener: FollowUpListener): () => void {
      followUpListeners.add(listener);
      return () => followUpListeners.delete(listener);
    },

    /** Progress of the customer imports this user started; returns the way to stop listening. */
    onImportProgress(listener: ImportProgressListener): () => void {
      importListeners.add(listener);
      return () => importListeners.delete(listener);
    },

    /**
     * Who answers the server's requests to hold, resume, mute or transfer a SIP call (the desk's
     * buttons on a call in the browser softphone): the softphone on this page. Returns the way to
     * stop answering.
     */
    answerSoftphone(answers: SoftphoneAnswers): () => void {
      softphone = answers;
      return () => {
        if (softphone === answers) softphone = null;
      };
    },

    /** `reason` is required by the server for `break` (one of `DeskState.breakReasons`). */
    setStatus(status: SetStatusPayload['status'], reason?: string): Promise<void> {
      return send('agent:set-status', reason === undefined ? { status } : { status, reason });
    },
    /** While ringing, on a call or in wrap-up: the break to take when that ends; null for available. */
    planNext(reason: PlanNextPayload['reason']): Promise<void> {
      return send('agent:plan-next', { reason });
    },
    acceptOffer(reservationId: ReservationPayload['reservationId']): Promise<void> {
      return send('offer:accept', { reservationId });
    },
    rejectOffer(reservationId: ReservationPayload['reservationId']): Promise<void> {
      return send('offer:reject', { reservationId });
    },
    hold(interactionId: CallPayload['interactionId']): Promise<void> {
      return send('call:hold', { interactionId });
    },
    mute(interactionId: MutePayload['interactionId'], muted: boolean): Promise<void> {
      return send('call:mute', { interactionId, muted });
    },
    resume(interactionId: CallPayload['interactionId']): Promise<void> {
      return send('call:resume', { interactionId });
    },
    hangUp(interactionId: CallPayload['interactionId']): Promise<void> {
      return send('call:hangup', { interactionId });
    },
    transfer(interactionId: TransferPayload['interactionId'], to: TransferPayload['to']): Promise<void> {
      return send('call:transfer', { interactionId, to });
    },
    consult(interactionId: ConsultPayload['interactionId'], to: ConsultPayload['to']): Promise<void> {
      return send('call:consult', { interactionId, to });
    },
    completeConsult(interactionId: CallPayload['interactionId']): Promise<void> {
      return send('call:consult-complete', { interactionId });
    },
    cancelConsult(interactionId: CallPayload['interactionId']): Promise<void> {
      return send('call:consult-cancel', { interactionId });
    },
    submitWrapUp(payload: WrapUpPayload): Promise<void> {
      return send('wrapup:submit', payload);
    },
    recording(
      interactionId: RecordingPayload['interactionId'],
      action: RecordingPayload['action'],
    ): Promise<void> {
      return send('call:recording', { interactionId, action });
    },
  };
}

export type DeskClient = ReturnType<typeof createDeskClient>;

/** The console's desk connection: `cti-app` connects it while someone is signed in. */
export const desk: DeskClient = createDeskClient();
