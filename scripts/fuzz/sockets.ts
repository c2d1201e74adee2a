import { io as connect, type Socket } from 'socket.io-client';
import type { Role } from '../../server/auth/auth.schemas.js';
import { SESSION_COOKIE } from '../../server/plugins/auth.plugin.js';
import type { Rng } from './prng.js';
import { ROLES } from './sessions.js';
import { CLIENT_EVENT_NAMES, CLIENT_EVENTS } from './socket-events.js';
import { mutate, nastyString, nastyValue, validValue, type JsonSchema } from './values.js';

/** A socket.io handshake with fuzzed Origin and Cookie. */
export interface HandshakeCase {
  kind: 'handshake';
  origin: string | null;
  cookie: string | null;
  label: string;
}

/** One event on a signed-in socket. */
export interface EventCase {
  kind: 'event';
  role: Role;
  /** One of the contract's events, or now and then a name no handler knows. */
  event: string;
  /** The arguments before the acknowledgement callback. */
  args: unknown[];
  withAck: boolean;
  label: string;
}

export type SocketCase = HandshakeCase | EventCase;

export type SocketOutcome =
  | { kind: 'connected' | 'refused' }
  | { kind: 'acked'; answer: unknown }
  | { kind: 'sent' }
  | { kind: 'timeout' };

/** The `index`th socket case: events take turns, so even a short run sends every one. */
export function fuzzSocketCase(
  rng: Rng,
  index: number,
  publicOrigin: string,
  cookie: (role: Role) => string | null,
): SocketCase {
  // Every fifth case is a handshake; the others send the events in turn.
  if (index % 5 === 4) {
    const role = rng.pick(ROLES);
    const origin = rng.chance(0.7)
      ? publicOrigin
      : rng.pick([null, 'http://evil.example', 'null', nastyString(rng)]);
    const valid = cookie(role);
    const choice = rng.int(0, 3);
    const cookieHeader =
      choice === 0
        ? valid
        : choice === 1
          ? null
          : `${SESSION_COOKIE}=${rng.chance(0.5) ? nastyString(rng) : `${valid?.split('=')[1] ?? ''}${nastyString(rng)}`}`;
    return {
      kind: 'handshake',
      origin,
      cookie: cookieHeader,
      label: `handshake, origin ${origin ?? 'none'}`,
    };
  }
  const role = rng.pick(ROLES);
  const known = !rng.chance(0.03);
  const event = known
    ? CLIENT_EVENT_NAMES[(index - Math.floor(index / 5)) % CLIENT_EVENT_NAMES.length]!
    : rng.pick(['unknown:event', '__proto__', nastyString(rng)]);
  const schema = ((CLIENT_EVENTS as Record<string, unknown>)[event] ?? { type: 'object' }) as JsonSchema;
  const payload = rng.chance(0.1) ? nastyValue(rng) : mutate(validValue(schema, rng), rng);
  const args = rng.chance(0.05) ? [payload, nastyValue(rng)] : rng.chance(0.03) ? [] : [payload];
  // Only a known event with its one payload is owed an answer: socket.io hands the callback of any
  // other shape to the handler as a payload, and unknown events have no handler.
  const withAck = known && args.length === 1 && rng.chance(0.9);
  return {
    kind: 'event',
    role,
    event,
    args,
    withAck,
    label: `${role} socket, ${event}${withAck ? '' : ', no ack'}`,
  };
}

type AnySocket = Socket;

/**
 * Runs socket cases against the server: one signed-in socket per role, reopened whenever the
 * server drops it (a fuzzed sign-out ends its session).
 */
export function createSocketDriver(
  baseUrl: string,
  publicOrigin: string,
  cookie: (role: Role) => string | null,
  timeoutMs: number,
) {
  const sockets = new Map<Role, AnySocket>();

  const open = (origin: string | null, cookieHeader: string | null) =>
    connect(baseUrl, {
      transports: ['websocket'],
      extraHeaders: {
        ...(origin !== null && { origin }),
        ...(cookieHeader !== null && { cookie: cookieHeader }),
      },
      reconnection: false,
      timeout: timeoutMs,
      forceNew: true,
    });

  const handshake = (origin: string | null, cookieHeader: string | null) =>
    new Promise<{ socket: AnySocket; outcome: SocketOutcome }>((resolve) => {
      const socket = open(origin, cookieHeader);
      const timer = setTimeout(() => resolve({ socket, outcome: { kind: 'timeout' } }), timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve({ socket, outcome: { kind: 'connected' } });
      });
      socket.once('connect_error', () => {
        clearTimeout(timer);
        resolve({ socket, outcome: { kind: 'refused' } });
      });
    });

  const socketOf = async (role: Role): Promise<AnySocket | null> => {
    const current = sockets.get(role);
    if (current?.connected) return current;
    current?.close();
    sockets.delete(role);
    const valid = cookie(role);
    if (!valid) return null;
    const { socket, outcome } = await handshake(publicOrigin, valid);
    if (outcome.kind !== 'connected') {
      socket.close();
      return null;
    }
    sockets.set(role, socket);
    return socket;
  };

  return {
    async run(fuzz: SocketCase): Promise<SocketOutcome> {
      if (fuzz.kind === 'handshake') {
        const { socket, outcome } = await handshake(fuzz.origin, fuzz.cookie);
        socket.close();
        return outcome;
      }
      const socket = await socketOf(fuzz.role);
      if (!socket) return { kind: 'refused' };
      if (!fuzz.withAck) {
        socket.emit(fuzz.event, ...fuzz.args);
        return { kind: 'sent' };
      }
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve({ kind: 'timeout' }), timeoutMs);
        socket.emit(fuzz.event, ...fuzz.args, (answer: unknown) => {
          clearTimeout(timer);
          resolve({ kind: 'acked', answer });
        });
      });
    },
    close() {
      for (const socket of sockets.values()) socket.close();
      sockets.clear();
    },
  };
}
