import { describe, expect, it } from 'vitest';
import { isTimeZone, localIso, periodsOf } from './time-periods.js';

const ms = (iso: string) => Date.parse(iso);
const labels = (periods: { startMs: number }[], zone: string) =>
  periods.map((p) => localIso(p.startMs, zone));

describe('report periods', () => {
  it('starts Kolkata hours and days on the half hour UTC', () => {
    const hours = periodsOf('hour', ms('2026-11-01T18:30:00Z'), ms('2026-11-01T21:30:00Z'), 'Asia/Kolkata');
    expect(hours.map((p) => new Date(p.startMs).toISOString())).toEqual([
      '2026-11-01T18:30:00.000Z',
      '2026-11-01T19:30:00.000Z',
      '2026-11-01T20:30:00.000Z',
    ]);
    expect(labels(hours, 'Asia/Kolkata')[0]).toBe('2026-11-02T00:00:00+05:30');
    const days = periodsOf('day', ms('2026-11-01T18:30:00Z'), ms('2026-11-03T18:30:00Z'), 'Asia/Kolkata');
    expect(days).toHaveLength(2);
    expect(days[1]!.startMs).toBe(ms('2026-11-02T18:30:00Z'));
  });

  it('gives DST days 23 and 25 hours and repeats no hour label wrongly', () => {
    const zone = 'America/New_York';
    const days = periodsOf('day', ms('2026-03-07T05:00:00Z'), ms('2026-03-10T04:00:00Z'), zone);
    expect(days.map((d) => (d.endMs - d.startMs) / 3_600_000)).toEqual([24, 23, 24]);
    const fall = periodsOf('day', ms('2026-10-31T04:00:00Z'), ms('2026-11-02T05:00:00Z'), zone);
    expect(fall.map((d) => (d.endMs - d.startMs) / 3_600_000)).toEqual([24, 25]);
    const hours = periodsOf('hour', ms('2026-11-01T04:00:00Z'), ms('2026-11-01T08:00:00Z'), zone);
    expect(labels(hours, zone)).toEqual([
      '2026-11-01T00:00:00-04:00',
      '2026-11-01T01:00:00-04:00',
      '2026-11-01T01:00:00-05:00',
      '2026-11-01T02:00:00-05:00',
    ]);
  });

  it('clips the first and last period to the range and starts weeks on Monday', () => {
    const weeks = periodsOf('week', ms('2026-11-04T00:00:00Z'), ms('2026-11-20T00:00:00Z'), 'UTC');
    expect(weeks.map((w) => new Date(w.startMs).toISOString().slice(0, 10))).toEqual([
      '2026-11-04',
      '2026-11-09',
      '2026-11-16',
    ]);
    const months = periodsOf('month', ms('2026-01-15T00:00:00Z'), ms('2026-03-31T22:00:00Z'), 'Europe/Paris');
    expect(labels(months, 'Europe/Paris')).toEqual([
      '2026-01-15T01:00:00+01:00',
      '2026-02-01T00:00:00+01:00',
      '2026-03-01T00:00:00+01:00',
    ]);
  });

  it('knows real zones only', () => {
    expect(isTimeZone('Asia/Kolkata')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});
