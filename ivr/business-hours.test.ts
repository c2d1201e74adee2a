import { describe, expect, it } from 'vitest';
import { isIsoDate, isOpen, isTimeZone, parseWeeklyHours, wallClock } from './business-hours.js';
import type { Calendar } from './ivr.schemas.js';

const at = (iso: string) => new Date(iso);

const newYork: Calendar = {
  timeZone: 'America/New_York',
  hours: ['mon-fri 09:00-18:00', 'sat 10:00-14:00'],
  holidays: ['2025-12-25'],
};

describe('parseWeeklyHours', () => {
  it('reads day ranges, lists and wrapping ranges, Monday first, in minutes', () => {
    expect(parseWeeklyHours('mon-fri 09:00-18:00')).toEqual({
      days: new Set([0, 1, 2, 3, 4]),
      from: 540,
      to: 1080,
    });
    expect(parseWeeklyHours('Mon,wed-thu 08:30-12:00').days).toEqual(new Set([0, 2, 3]));
    expect(parseWeeklyHours('fri-mon 00:00-24:00')).toEqual({
      days: new Set([4, 5, 6, 0]),
      from: 0,
      to: 1440,
    });
  });

  it.each([
    ['weekdays 09:00-18:00', /is not like "mon-fri 09:00-18:00"/],
    ['09:00-18:00', /is not like/],
    ['mon-fry 09:00-18:00', /"fry" is not a day/],
    ['mon 09:60-10:00', /09:60 is not a time of day/],
    ['mon 00:00-24:30', /24:30 is not a time of day/],
    ['mon 18:00-09:00', /closes before it opens/],
  ])('rejects %j', (spec, problem) => {
    expect(() => parseWeeklyHours(spec)).toThrow(problem);
  });
});

describe('isOpen', () => {
  it('opens at the local start and closes at the local end (exclusive)', () => {
    // Monday 2 June 2025, New York on EDT (UTC-4).
    expect(isOpen(newYork, at('2025-06-02T12:59:00Z'))).toBe(false);
    expect(isOpen(newYork, at('2025-06-02T13:00:00Z'))).toBe(true);
    expect(isOpen(newYork, at('2025-06-02T21:59:00Z'))).toBe(true);
    expect(isOpen(newYork, at('2025-06-02T22:00:00Z'))).toBe(false);
    // Saturday 10:30 and Sunday 10:30.
    expect(isOpen(newYork, at('2025-06-07T14:30:00Z'))).toBe(true);
    expect(isOpen(newYork, at('2025-06-08T14:30:00Z'))).toBe(false);
  });

  it('judges one instant by each calendar’s own time zone', () => {
    const shanghai: Calendar = { timeZone: 'Asia/Shanghai', hours: ['mon-fri 09:00-18:00'] };
    // Monday 09:30 in Shanghai is Sunday 21:30 in New York.
    const instant = at('2025-06-02T01:30:00Z');
    expect(isOpen(shanghai, instant)).toBe(true);
    expect(isOpen(newYork, instant)).toBe(false);
  });

  it('is closed all day on a holiday, by the local date', () => {
    expect(isOpen(newYork, at('2025-12-25T15:00:00Z'))).toBe(false);
    expect(isOpen(newYork, at('2025-12-26T15:00:00Z'))).toBe(true);
    const alwaysOpen: Calendar = {
      timeZone: 'Asia/Shanghai',
      hours: ['mon-sun 00:00-24:00'],
      holidays: ['2025-10-01'],
    };
    // 23:00 on 30 September in Shanghai, then 01:00 on 1 October, while UTC is still on 30 September.
    expect(isOpen(alwaysOpen, at('2025-09-30T15:00:00Z'))).toBe(true);
    expect(isOpen(alwaysOpen, at('2025-09-30T17:00:00Z'))).toBe(false);
  });

  it('follows the wall clock across daylight-saving changes', () => {
    // 13:30 UTC is 08:30 on Friday 7 March (EST), and 09:30 on Monday 10 March (EDT, from 9 March).
    expect(isOpen(newYork, at('2025-03-07T13:30:00Z'))).toBe(false);
    expect(isOpen(newYork, at('2025-03-10T13:30:00Z'))).toBe(true);

    // 02:00-03:00 does not exist on 9 March: the clock jumps from 01:59 EST to 03:00 EDT.
    const skipped: Calendar = { timeZone: 'America/New_York', hours: ['sun 02:00-03:00'] };
    expect(wallClock(at('2025-03-09T06:59:00Z'), skipped.timeZone).minutes).toBe(119);
    expect(wallClock(at('2025-03-09T07:00:00Z'), skipped.timeZone).minutes).toBe(180);
    expect(isOpen(skipped, at('2025-03-09T06:59:00Z'))).toBe(false);
    expect(isOpen(skipped, at('2025-03-09T07:00:00Z'))).toBe(false);

    // 01:00-02:00 happens twice on 2 November: once on EDT, once on EST.
    const repeated: Calendar = { timeZone: 'America/New_York', hours: ['sun 01:00-02:00'] };
    expect(isOpen(repeated, at('2025-11-02T05:30:00Z'))).toBe(true);
    expect(isOpen(repeated, at('2025-11-02T06:30:00Z'))).toBe(true);
    expect(isOpen(repeated, at('2025-11-02T07:00:00Z'))).toBe(false);
  });
});

describe('wallClock', () => {
  it('gives the local date, weekday (Monday = 0) and minutes, with midnight as 0', () => {
    expect(wallClock(at('2025-06-01T16:00:00Z'), 'Asia/Shanghai')).toEqual({
      date: '2025-06-02',
      weekday: 0,
      minutes: 0,
    });
  });
});

describe('isTimeZone and isIsoDate', () => {
  it('accept IANA zones and real dates only', () => {
    expect(isTimeZone('Europe/Paris')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('25-12-2025')).toBe(false);
  });
});
