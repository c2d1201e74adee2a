import { createHmac, timingSafeEqual } from 'node:crypto';
import { Value } from 'typebox/value';
import { HandoffContext } from '../../contracts/handoff.js';
import type { HandoffConfig } from '../config.js';

/** Why a handoff's context was not taken; the call itself goes on without it. */
export type HandoffRefusal =
  'oversize' | 'malformed' | 'invalid' | 'unsigned' | 'bad_signature' | 'expired' | 'no_secret';

export type HandoffDecoding = { context: HandoffContext } | { refused: HandoffRefusal };

const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

/** The context as a bot sends it: base64url of its JSON. */
export const encodeHandoffContext = (context: HandoffContext): string =>
  Buffer.from(JSON.stringify(context), 'utf8').toString('base64url');

/** A context as sent (base64url of JSON, at most `maxBytes`), checked against the contract; unknown properties dropped. */
export function decodeHandoffContext(encoded: string, maxBytes: number): HandoffDecoding {
  if (Buffer.byteLength(encoded) > maxBytes) return { refused: 'oversize' };
  if (!BASE64URL.test(encoded)) return { refused: 'malformed' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    return { refused: 'malformed' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { refused: 'malformed' };
  const context = Value.Clean(HandoffContext, parsed);
  return Value.Check(HandoffContext, context) ? { context } : { refused: 'invalid' };
}

/** The signature of a Twilio handoff: hex HMAC-SHA256 of `<ts>.<context>` with HANDOFF_SECRET. */
export const signHandoff = (encoded: string, ts: number, secret: string): string =>
  createHmac('sha256', secret).update(`${ts}.${encoded}`).digest('hex');

/**
 * A Twilio handoff's signed parameters: the signature is checked before the context is read, and a
 * timestamp further than `maxAgeSeconds` from now either way is refused (a replayed redirect).
 */
export function verifySignedHandoff(
  params: { context: string; ts?: number; sig?: string },
  config: HandoffConfig,
  now: Date,
): HandoffDecoding {
  if (!config.secret) return { refused: 'no_secret' };
  if (params.ts === undefined || params.sig === undefined) return { refused: 'unsigned' };
  if (Buffer.byteLength(params.context) > config.maxBytes) return { refused: 'oversize' };
  const expected = Buffer.from(signHandoff(params.context, params.ts, config.secret));
  const given = Buffer.from(params.sig.toLowerCase());
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { refused: 'bad_signature' };
  if (Math.abs(now.getTime() / 1000 - params.ts) > config.maxAgeSeconds) return { refused: 'expired' };
  return decodeHandoffContext(params.context, config.maxBytes);
}
