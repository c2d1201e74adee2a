import { io as connect, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../server/realtime/realtime.events.js';

export type ConsoleSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * A console's socket.io connection to the server at `origin`, signed in with a session token, from a
 * page at `pageOrigin` (the public origin, when several server processes stand behind it).
 */
export function consoleSocket(origin: string, token: string, pageOrigin = origin): ConsoleSocket {
  return connect(origin, {
    transports: ['websocket'],
    extraHeaders: { cookie: `cti_session=${token}`, origin: pageOrigin },
    reconnection: false,
  });
}

/**
 * Agents' desks driven by bots over socket.io: available at once, accepting every offer at once
 * (unless `acceptOffers` is false: agents with auto-accept have theirs accepted by the server),
 * wrapping up at once with a code without action. Resolves when every one is available.
 */
export async function startDeskBots(
  origin: string,
  tokens: readonly string[],
  onOffer: (interactionId: number) => void = () => undefined,
  acceptOffers = true,
  pageOrigin = origin,
): Promise<ConsoleSocket[]> {
  const sockets: ConsoleSocket[] = [];
  let ready = 0;
  for (const token of tokens) {
    const socket = consoleSocket(origin, token, pageOrigin);
    sockets.push(socket);
    let asked = false;
    socket.on('desk:state', (state) => {
      if (state.offer) {
        onOffer(state.offer.interactionId);
        if (acceptOffers)
          socket.emit('offer:accept', { reservationId: state.offer.reservationId }, () => undefined);
      } else if (state.wrapUp) {
        const code = state.wrapUp.codes.find((c) => c.action === 'none');
        socket.emit(
          'wrapup:submit',
          { interactionId: state.wrapUp.interactionId, wrapUpCodeId: code?.id ?? null, notes: '' },
          () => undefined,
        );
      } else if ((state.status === 'offline' || state.status === 'break') && !asked) {
        asked = true;
        socket.emit('agent:set-status', { status: 'available' }, () => {
          ready += 1;
        });
      }
    });
  }
  while (ready < tokens.length) await new Promise((resolve) => setTimeout(resolve, 50));
  return sockets;
}
