import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import type { RtpengineConfig } from '../../config.js';

/** A bencoded value as rtpengine's ng protocol uses them (strings come back as text). */
export type NgValue = string | number | NgValue[] | { [key: string]: NgValue };

function encode(value: NgValue): Buffer {
  if (typeof value === 'number') return Buffer.from(`i${Math.trunc(value)}e`);
  if (typeof value === 'string') {
    const bytes = Buffer.from(value);
    return Buffer.concat([Buffer.from(`${bytes.length}:`), bytes]);
  }
  if (Array.isArray(value)) return Buffer.concat([Buffer.from('l'), ...value.map(encode), Buffer.from('e')]);
  // Dictionaries are sorted by key in bencode.
  const keys = Object.keys(value).sort();
  return Buffer.concat([
    Buffer.from('d'),
    ...keys.flatMap((key) => [encode(key), encode(value[key]!)]),
    Buffer.from('e'),
  ]);
}

function decode(bytes: Buffer, at = 0): [NgValue, number] {
  const kind = String.fromCharCode(bytes[at]!);
  if (kind === 'i') {
    const end = bytes.indexOf('e', at);
    return [Number(bytes.subarray(at + 1, end).toString()), end + 1];
  }
  if (kind === 'l' || kind === 'd') {
    const items: NgValue[] = [];
    let next = at + 1;
    while (bytes[next] !== 0x65) {
      if (next >= bytes.length) throw new Error('rtpengine sent a truncated answer');
      const [item, after] = decode(bytes, next);
      items.push(item);
      next = after;
    }
    if (kind === 'l') return [items, next + 1];
    const dict: Record<string, NgValue> = {};
    for (let index = 0; index < items.length; index += 2) {
      const key = items[index];
      if (typeof key !== 'string') throw new Error('rtpengine sent a dictionary key that is not a string');
      dict[key] = items[index + 1]!;
    }
    return [dict, next + 1];
  }
  const colon = bytes.indexOf(':', at);
  const length = Number(bytes.subarray(at, colon).toString());
  if (colon < 0 || !Number.isInteger(length)) throw new Error('rtpengine sent an answer that is not bencode');
  return [bytes.subarray(colon + 1, colon + 1 + length).toString(), colon + 1 + length];
}

/**
 * One ng-protocol command to rtpengine over UDP (`ping`, `list`, `query` …), as Kamailio's rtpengine
 * module sends them: a random cookie, a space, a bencoded dictionary. Resolves with the answer's
 * dictionary; rejects when rtpengine does not answer within `timeoutMs` (default 1000).
 */
export async function rtpengineCommand(
  address: { host: string; port: number },
  command: string,
  args: Record<string, NgValue> = {},
  timeoutMs = 1000,
): Promise<Record<string, NgValue>> {
  const cookie = randomBytes(8).toString('hex');
  const socket = createSocket(address.host.includes(':') ? 'udp6' : 'udp4');
  try {
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`rtpengine at ${address.host}:${address.port} did not answer "${command}"`)),
        timeoutMs,
      );
      socket.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      socket.on('message', (message) => {
        const space = message.indexOf(' ');
        if (message.subarray(0, space).toString() !== cookie) return;
        clearTimeout(timer);
        try {
          resolve(decode(message, space + 1)[0] as Record<string, NgValue>);
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
      socket.send(
        Buffer.concat([Buffer.from(`${cookie} `), encode({ ...args, command })]),
        address.port,
        address.host,
      );
    });
  } finally {
    socket.close();
  }
}

/**
 * Deletes a call from rtpengine by its Call-ID, as Kamailio's rtpengine_delete does. A call rtpengine
 * no longer has is answered with an error result, which is not a failure here: the call is gone.
 */
export function releaseRtpengineCall(config: Pick<RtpengineConfig, 'ngHost' | 'ngPort'>) {
  return async (callId: string): Promise<void> => {
    await rtpengineCommand({ host: config.ngHost, port: config.ngPort }, 'delete', { 'call-id': callId });
  };
}
