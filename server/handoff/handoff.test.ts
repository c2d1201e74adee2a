import { describe, expect, it } from 'vitest';
import { decodeHandoffContext, encodeHandoffContext, signHandoff, verifySignedHandoff } from './handoff.js';

const config = { secret: 's'.repeat(32), maxAgeSeconds: 300, maxBytes: 4096 };
const now = new Date('2026-11-22T10:00:00.000Z');
const ts = now.getTime() / 1000;
const context = encodeHandoffContext({ intent: 'billing', fields: { order: 'A-1' }, summary: '账单有误' });

describe('a bot handoff context', () => {
  it('decodes what a bot signed, dropping properties the contract does not know', () => {
    const withExtra = Buffer.from(JSON.stringify({ intent: 'billing', mood: 'angry' })).toString('base64url');
    expect(decodeHandoffContext(withExtra, 4096)).toEqual({ context: { intent: 'billing' } });
    expect(
      verifySignedHandoff({ context, ts, sig: signHandoff(context, ts, config.secret) }, config, now),
    ).toEqual({
      context: { intent: 'billing', fields: { order: 'A-1' }, summary: '账单有误' },
    });
  });

  it('refuses each kind of bad context with its reason', () => {
    const sig = signHandoff(context, ts, config.secret);
    expect(
      verifySignedHandoff(
        { context, ts, sig: sig.slice(0, -1) + (sig.endsWith('0') ? '1' : '0') },
        config,
        now,
      ),
    ).toEqual({
      refused: 'bad_signature',
    });
    expect(verifySignedHandoff({ context, ts: ts + 1, sig }, config, now)).toEqual({
      refused: 'bad_signature',
    });
    const old = ts - 301;
    expect(
      verifySignedHandoff({ context, ts: old, sig: signHandoff(context, old, config.secret) }, config, now),
    ).toEqual({
      refused: 'expired',
    });
    expect(verifySignedHandoff({ context }, config, now)).toEqual({ refused: 'unsigned' });
    expect(verifySignedHandoff({ context, ts, sig }, { ...config, secret: null }, now)).toEqual({
      refused: 'no_secret',
    });
    expect(decodeHandoffContext('x'.repeat(4097), 4096)).toEqual({ refused: 'oversize' });
    expect(decodeHandoffContext('not base64!', 4096)).toEqual({ refused: 'malformed' });
    expect(decodeHandoffContext(Buffer.from('{"intent":').toString('base64url'), 4096)).toEqual({
      refused: 'malformed',
    });
    expect(decodeHandoffContext(Buffer.from('[1]').toString('base64url'), 4096)).toEqual({
      refused: 'malformed',
    });
    expect(decodeHandoffContext(encodeHandoffContext({ intent: 'x'.repeat(101) }), 4096)).toEqual({
      refused: 'invalid',
    });
  });
});
