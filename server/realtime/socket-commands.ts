import type { FastifyBaseLogger } from 'fastify';
import { SERVER_ERROR } from '../http/errors.js';
import type { Ack } from './realtime.events.js';

/** The client's acknowledgement callback, or a no-op when it sent none. */
export function ackOf(ack: unknown): Ack {
  return typeof ack === 'function' ? (ack as Ack) : () => undefined;
}

/**
 * A socket event listener that cannot take the process down. socket.io calls listeners
 * synchronously from the WebSocket's message handler, where a throw is uncaught and a rejection
 * unhandled: whatever `body` throws or rejects with is logged and answered as a server error on
 * that event only.
 */
export function guarded(
  log: FastifyBaseLogger,
  context: Record<string, unknown>,
  body: (payload: unknown, reply: Ack) => Promise<void> | void,
): (payload: unknown, ack: unknown) => void {
  return (payload, ack) => {
    const reply = ackOf(ack);
    new Promise<void>((resolve) => resolve(body(payload, reply))).catch((error: unknown) => {
      log.error({ err: error, ...context }, 'socket event failed');
      reply({ ok: false, error: SERVER_ERROR, code: 'server_error' });
    });
  };
}
