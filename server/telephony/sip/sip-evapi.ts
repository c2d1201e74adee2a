import { connect, type Socket } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { EVAPI_READY, SIP_DIALOG_EVENTS, evapiAuthMessage } from './kamailio-config.js';
import type { SipDialogEvent } from './sip-dialog-events.js';

export interface SipEvapiClientOptions {
  /** Kamailio's evapi listener on loopback (`SIP_EVAPI_PORT`). */
  port: number;
  sharedSecret: string;
  /** Takes one dialog event; called one at a time, in Kamailio's order. */
  onEvent: (event: SipDialogEvent) => Promise<unknown>;
  log: FastifyBaseLogger;
  /** First wait before reconnecting, in milliseconds, doubled after each failure. Default 100. */
  reconnectFirstMs?: number;
  /** Longest wait before reconnecting, in milliseconds. Default 5000. */
  reconnectMaxMs?: number;
}

const EVENTS = new Set<string>(Object.values(SIP_DIALOG_EVENTS));
/** A netstring's length prefix never needs more digits than this (evapi messages are small). */
const MAX_LENGTH_DIGITS = 7;

/** Splits complete netstrings (`<length>:<data>,`) off `buffer`; throws on a malformed one. */
export function readNetstrings(buffer: Buffer): { messages: string[]; rest: Buffer } {
  const messages: string[] = [];
  let rest = buffer;
  for (;;) {
    const colon = rest.indexOf(':');
    if (colon === -1) {
      if (rest.length > MAX_LENGTH_DIGITS) throw new Error('evapi: netstring length too long');
      return { messages, rest };
    }
    const prefix = rest.subarray(0, colon).toString('latin1');
    if (!/^\d{1,7}$/.test(prefix)) throw new Error(`evapi: bad netstring length "${prefix.slice(0, 20)}"`);
    const end = colon + 1 + Number(prefix);
    if (rest.length < end + 1) return { messages, rest };
    if (rest[end] !== 0x2c) throw new Error('evapi: netstring without its closing comma');
    messages.push(rest.subarray(colon + 1, end).toString('utf8'));
    rest = rest.subarray(end + 1);
  }
}

const netstring = (text: string) => `${Buffer.byteLength(text)}:${text},`;

/** A pushed event (the same form fields as the HTTP hook's body), or null when it is not one. */
function eventOf(message: string): SipDialogEvent | null {
  const fields = new URLSearchParams(message);
  const event = fields.get('event');
  const callId = fields.get('callId');
  if (!event || !EVENTS.has(event) || !callId || callId.length > 256) return null;
  const code = fields.get('code') ?? undefined;
  return { event: event as SipDialogEvent['event'], callId, ...(code !== undefined && { code }) };
}

/**
 * Our side of Kamailio's evapi: the push channel for dialog events. It reconnects on its own with a
 * doubling wait, and says `ready` only once Kamailio has accepted the shared secret (it pushes to
 * authenticated connections only, and by the HTTP hook while there are none). The dlg.list
 * reconciliation covers an event pushed to a connection that was going away.
 */
export function createSipEvapiClient(options: SipEvapiClientOptions) {
  const first = options.reconnectFirstMs ?? 100;
  const max = options.reconnectMaxMs ?? 5000;
  const { log } = options;
  let socket: Socket | null = null;
  let closed = true;
  let ready = false;
  let delay = first;
  let timer: NodeJS.Timeout | undefined;
  let work: Promise<unknown> = Promise.resolve();
  const readyListeners = new Set<() => void>();

  function received(message: string): void {
    if (message === EVAPI_READY) {
      if (!ready) log.info({ port: options.port }, 'evapi connected');
      ready = true;
      delay = first;
      for (const listener of readyListeners) listener();
      return;
    }
    const event = eventOf(message);
    if (!event) {
      log.warn({ length: message.length }, 'evapi: not a dialog event, ignored');
      return;
    }
    work = work
      .then(() => options.onEvent(event))
      .catch((err: unknown) => log.error({ err, event: event.event }, 'evapi dialog event failed'));
  }

  function open(): void {
    if (closed) return;
    let buffer: Buffer = Buffer.alloc(0);
    const current = connect({ host: '127.0.0.1', port: options.port });
    socket = current;
    current.on('connect', () => current.write(netstring(evapiAuthMessage(options.sharedSecret))));
    current.on('data', (chunk: Buffer) => {
      try {
        const { messages, rest } = readNetstrings(Buffer.concat([buffer, chunk]));
        buffer = rest;
        for (const message of messages) received(message);
      } catch (err) {
        log.warn({ err }, 'evapi: malformed data, reconnecting');
        current.destroy();
      }
    });
    current.on('error', (err) => log.debug({ err }, 'evapi connection error'));
    current.on('close', () => {
      if (socket !== current) return;
      socket = null;
      if (ready) log.warn({ port: options.port }, 'evapi disconnected, reconnecting');
      ready = false;
      if (closed) return;
      timer = setTimeout(open, delay);
      delay = Math.min(delay * 2, max);
    });
  }

  return {
    /** Connects, and keeps reconnecting until `close`. */
    start(): void {
      if (!closed) return;
      closed = false;
      open();
    },
    get ready(): boolean {
      return ready;
    },
    /** Resolves once Kamailio has accepted this connection (at once if it already has). */
    whenReady(): Promise<void> {
      if (ready) return Promise.resolve();
      return new Promise((resolve) => {
        const listener = () => {
          readyListeners.delete(listener);
          resolve();
        };
        readyListeners.add(listener);
      });
    },
    /** Stops reconnecting, closes the connection and waits for the events already received. */
    async close(): Promise<void> {
      closed = true;
      clearTimeout(timer);
      socket?.destroy();
      socket = null;
      ready = false;
      await work;
    },
  };
}

export type SipEvapiClient = ReturnType<typeof createSipEvapiClient>;
