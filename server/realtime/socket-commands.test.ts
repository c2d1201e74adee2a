import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { SERVER_ERROR } from '../http/errors.js';
import { guarded } from './socket-commands.js';

const answerOf = (listener: (payload: unknown, ack: unknown) => void) =>
  new Promise<unknown>((resolve) => listener({}, resolve));

describe('guarded socket listeners', () => {
  const log = pino({ level: 'silent' });

  it('answers a server error when the handler throws synchronously or rejects', async () => {
    const throwing = guarded(log, {}, () => {
      throw new Error('boom');
    });
    const rejecting = guarded(log, {}, async () => Promise.reject(new Error('boom')));
    expect(await answerOf(throwing)).toEqual({ ok: false, error: SERVER_ERROR, code: 'server_error' });
    expect(await answerOf(rejecting)).toEqual({ ok: false, error: SERVER_ERROR, code: 'server_error' });
  });

  it('keeps the answer of a handler that succeeds', async () => {
    const fine = guarded(log, {}, (_payload, reply) => reply({ ok: true }));
    expect(await answerOf(fine)).toEqual({ ok: true });
  });

  it('does not throw to socket.io when the client sent no acknowledgement', () => {
    expect(() =>
      guarded(log, {}, () => {
        throw new Error('boom');
      })({}, undefined),
    ).not.toThrow();
  });
});
