import { io as connect, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, DeskState, ServerToClientEvents } from '../realtime/realtime.events.js';
import { until } from './harness.js';

export type DeskSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** What the server acknowledges a desk command with. */
export interface DeskAnswer {
  ok: boolean;
  error?: string;
}

/**
 * An agent's desk as the console opens it: a socket.io connection to `url` signed in with `cookie`,
 * keeping every desk state the server sends. Resolves once the first one came. A server with a
 * PUBLIC_BASE_URL allows only that Origin, which a browser on the public address sends.
 */
export async function connectDesk(url: string, cookie: string, origin = url) {
  const socket: DeskSocket = connect(url, {
    transports: ['websocket'],
    extraHeaders: { cookie, origin },
    reconnection: false,
  });
  const states: DeskState[] = [];
  socket.on('desk:state', (state) => states.push(state));
  await until(() => states.length > 0, 'the desk');
  return {
    socket,
    states,
    last: () => states.at(-1)!,
    /** Sends a desk command and resolves with the server's answer. */
    command: <E extends keyof ClientToServerEvents>(
      event: E,
      payload: Parameters<ClientToServerEvents[E]>[0],
    ) =>
      new Promise<DeskAnswer>((resolve) => {
        (socket.emit as (e: string, p: unknown, ack: (answer: DeskAnswer) => void) => void)(
          event,
          payload,
          resolve,
        );
      }),
  };
}
