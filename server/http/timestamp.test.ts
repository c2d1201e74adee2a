import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { WrapUpPayload } from '../realtime/realtime.events.js';
import { Timestamp } from './common.schemas.js';

describe('Timestamp', () => {
  it('accepts what Date can read and refuses a leap second, which it cannot', () => {
    expect(Value.Check(Timestamp, '2026-12-31T23:59:59.999Z')).toBe(true);
    expect(Value.Check(Timestamp, '2026-12-31T18:59:59-05:00')).toBe(true);
    for (const leap of ['2026-12-31T23:59:60Z', '2026-06-30T23:59:60.5+00:00', '2026-12-31t23:59:60z']) {
      expect(Number.isNaN(Date.parse(leap)), leap).toBe(true);
      expect(Value.Check(Timestamp, leap), leap).toBe(false);
    }
  });

  it("guards the wrap-up's callback time on the socket too", () => {
    const wrapUp = { interactionId: 1, wrapUpCodeId: 1, notes: '' };
    expect(Value.Check(WrapUpPayload, { ...wrapUp, callbackAt: '2026-12-31T10:00:00Z' })).toBe(true);
    expect(Value.Check(WrapUpPayload, { ...wrapUp, callbackAt: '2026-12-31T23:59:60Z' })).toBe(false);
  });
});
