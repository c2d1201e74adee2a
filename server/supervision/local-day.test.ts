import { describe, expect, it } from 'vitest';
import { isTimeZone, startOfLocalDay } from './local-day.js';

describe('startOfLocalDay', () => {
  it('is UTC midnight in UTC', () => {
    expect(startOfLocalDay(new Date('2026-11-22T10:00:00Z'), 'UTC').toISOString()).toBe(
      '2026-11-22T00:00:00.000Z',
    );
  });

  it("is the previous UTC evening for a zone ahead of UTC, and the zone's own date", () => {
    // 01:30 in Shanghai on the 23rd is 17:30 UTC on the 22nd.
    expect(startOfLocalDay(new Date('2026-11-22T17:30:00Z'), 'Asia/Shanghai').toISOString()).toBe(
      '2026-11-22T16:00:00.000Z',
    );
    expect(startOfLocalDay(new Date('2026-11-22T15:59:59Z'), 'Asia/Shanghai').toISOString()).toBe(
      '2026-11-21T16:00:00.000Z',
    );
  });

  it('follows daylight saving time on the day it changes', () => {
    // New York leaves DST on 2026-11-01 at 02:00 local: midnight that day is still EDT (UTC−4).
    expect(startOfLocalDay(new Date('2026-11-01T20:00:00Z'), 'America/New_York').toISOString()).toBe(
      '2026-11-01T04:00:00.000Z',
    );
    expect(startOfLocalDay(new Date('2026-11-02T20:00:00Z'), 'America/New_York').toISOString()).toBe(
      '2026-11-02T05:00:00.000Z',
    );
  });

  it('knows real zones from made-up ones', () => {
    expect(isTimeZone('Europe/Paris')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});
