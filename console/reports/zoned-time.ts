/**
 * Wall-clock arithmetic in an IANA time zone with nothing but Intl, so the console needs no date library.
 * Pure: every function takes the zone and instant it works on.
 */

import { wallTime } from '../../contracts/time-zone.js';

export { isTimeZone } from '../../contracts/time-zone.js';

export interface WallClock {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** The wall clock in `timeZone` at the instant `ms`. */
export function wallClockAt(ms: number, timeZone: string): WallClock {
  const { year, month, day, hour, minute } = wallTime(new Date(ms), timeZone);
  return { year, month, day, hour, minute };
}

function offsetMs(ms: number, timeZone: string): number {
  const wall = wallClockAt(ms, timeZone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  return asUtc - Math.floor(ms / 60_000) * 60_000;
}

/**
 * The instant the wall clock in `timeZone` reads `wall`. Out-of-range fields roll over (day 32 is the
 * next month's 1st). A time skipped by a DST change resolves to the instant after the gap.
 */
export function instantOf(wall: WallClock, timeZone: string): number {
  const guess = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  const first = guess - offsetMs(guess, timeZone);
  const second = guess - offsetMs(first, timeZone);
  return Math.max(first, second);
}

/** Local midnight of the day `addDays` after the local day of `ms`. */
export function startOfDay(ms: number, timeZone: string, addDays = 0): number {
  const wall = wallClockAt(ms, timeZone);
  return instantOf(
    { year: wall.year, month: wall.month, day: wall.day + addDays, hour: 0, minute: 0 },
    timeZone,
  );
}

/** 0 = Monday … 6 = Sunday, of a calendar date. */
export function weekdayOf(year: number, month: number, day: number): number {
  return (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7;
}

const QUARTER_HOUR_MS = 15 * 60_000;

/** Down to the quarter hour; the API takes only quarter hours, which every current zone's midnight is. */
export function floorToQuarterHour(ms: number): number {
  return Math.floor(ms / QUARTER_HOUR_MS) * QUARTER_HOUR_MS;
}
