import { wallTime } from '../../contracts/time-zone.js';
import { BUCKET_SECONDS } from './rollups.js';

export { isTimeZone } from '../../contracts/time-zone.js';

export const INTERVALS = ['15min', 'hour', 'day', 'week', 'month'] as const;
export type Interval = (typeof INTERVALS)[number];

/**
 * The longest range each interval may cover: beyond these a report has more rows than a person
 * reads, and a year at 15 minutes would scan and send 35,000 periods.
 */
export const MAX_RANGE_DAYS: Record<Interval, number> = {
  '15min': 31,
  hour: 92,
  day: 400,
  week: 1100,
  month: 1900,
};

/** Wall-clock fields of `atMs` in `timeZone`, with the zone's offset then. */
function wall(atMs: number, timeZone: string) {
  const local = wallTime(new Date(atMs), timeZone);
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  return {
    ...local,
    /** Local time minus UTC, in ms. */
    offsetMs: asUtc - Math.floor(atMs / 1000) * 1000,
  };
}

/** The instant a local wall-clock time (given as if it were UTC) happens; the offset is taken twice for DST days. */
function instantOf(wallAsUtcMs: number, timeZone: string): number {
  let guess = wallAsUtcMs - wall(wallAsUtcMs, timeZone).offsetMs;
  guess = wallAsUtcMs - wall(guess, timeZone).offsetMs;
  return guess;
}

/** The start of the local period `atMs` falls in. */
export function periodStart(interval: Interval, atMs: number, timeZone: string): number {
  if (interval === '15min') return atMs - (((atMs % 900_000) + 900_000) % 900_000);
  const local = wall(atMs, timeZone);
  if (interval === 'hour') {
    // Offsets are whole quarter hours, so the local hour starts where local time is a whole hour.
    const localMs = atMs + local.offsetMs;
    return atMs - (((localMs % 3_600_000) + 3_600_000) % 3_600_000);
  }
  const day = interval === 'week' ? local.day - local.weekday : interval === 'month' ? 1 : local.day;
  return instantOf(Date.UTC(local.year, local.month - 1, day), timeZone);
}

/** A step past the next period's start but short of the one after it, whatever DST does. */
const STRIDE_MS: Record<Interval, number> = {
  '15min': 900_000,
  hour: 3_600_000,
  day: 25 * 3_600_000,
  week: 7 * 86_400_000 + 3_600_000,
  month: 32 * 86_400_000,
};

export interface Period {
  /** UTC, ms; a quarter hour. */
  startMs: number;
  endMs: number;
}

/** The local periods covering [fromMs, toMs), the first and last clipped to the range. */
export function periodsOf(interval: Interval, fromMs: number, toMs: number, timeZone: string): Period[] {
  const periods: Period[] = [];
  let start = fromMs;
  while (start < toMs) {
    const aligned = periodStart(interval, start, timeZone);
    const next =
      interval === '15min' || interval === 'hour'
        ? aligned + STRIDE_MS[interval]
        : periodStart(interval, aligned + STRIDE_MS[interval], timeZone);
    const end = Math.min(next, toMs);
    periods.push({ startMs: start, endMs: end });
    start = end;
  }
  return periods;
}

/** `2026-03-08T03:00:00-07:00`: the local wall clock of an instant with its offset, for labels. */
export function localIso(atMs: number, timeZone: string): string {
  const { offsetMs } = wall(atMs, timeZone);
  const local = new Date(atMs + offsetMs).toISOString().slice(0, 19);
  const sign = offsetMs < 0 ? '-' : '+';
  const minutes = Math.abs(offsetMs) / 60_000;
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${local}${sign}${hh}:${mm}`;
}

/** True when `atMs` starts a rollup bucket: reports cannot split one. */
export const onBucket = (atMs: number) => atMs % (BUCKET_SECONDS * 1000) === 0;
