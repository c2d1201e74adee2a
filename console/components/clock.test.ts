import { describe, expect, it } from 'vitest';
import { secondsSince, secondsUntil } from './clock.js';

const at = (iso: string) => Date.parse(iso);

describe('clocks', () => {
  it('counts whole seconds in a status, never below zero', () => {
    const since = '2026-11-22T10:00:00.000Z';
    expect(secondsSince(since, at('2026-11-22T10:00:00.000Z'))).toBe(0);
    expect(secondsSince(since, at('2026-11-22T10:00:00.999Z'))).toBe(0);
    expect(secondsSince(since, at('2026-11-22T10:01:15.400Z'))).toBe(75);
    expect(secondsSince(since, at('2026-11-22T11:02:05.000Z'))).toBe(3725);
    // A server clock a little ahead of this one.
    expect(secondsSince(since, at('2026-11-22T09:59:58.000Z'))).toBe(0);
  });

  it('counts down in whole seconds rounded up, reaching 0 only when time is up', () => {
    const expiresAt = '2026-11-22T10:00:15.000Z';
    expect(secondsUntil(expiresAt, at('2026-11-22T10:00:00.000Z'))).toBe(15);
    expect(secondsUntil(expiresAt, at('2026-11-22T10:00:00.001Z'))).toBe(15);
    expect(secondsUntil(expiresAt, at('2026-11-22T10:00:14.001Z'))).toBe(1);
    expect(secondsUntil(expiresAt, at('2026-11-22T10:00:15.000Z'))).toBe(0);
    expect(secondsUntil(expiresAt, at('2026-11-22T10:01:00.000Z'))).toBe(0);
  });

  it('treats an unreadable timestamp as no time', () => {
    expect(secondsSince('not a date', Date.now())).toBe(0);
    expect(secondsUntil('', Date.now())).toBe(0);
  });
});
