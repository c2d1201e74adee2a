import { wallTime } from '../contracts/time-zone.js';
import type { Calendar } from './ivr.schemas.js';

export { isTimeZone } from '../contracts/time-zone.js';

/** Monday first, as people write hours ("mon-fri"). */
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** One line of weekly hours: on these weekdays (0 = Monday), open from `from` until before `to`, in minutes. */
export interface WeeklyHours {
  days: ReadonlySet<number>;
  from: number;
  to: number;
}

const SPEC = /^([a-z]{3}(?:-[a-z]{3})?(?:,[a-z]{3}(?:-[a-z]{3})?)*)\s+(\d{2}):(\d{2})-(\d{2}):(\d{2})$/;

function day(name: string): number {
  const index = DAYS.indexOf(name as (typeof DAYS)[number]);
  if (index < 0) throw new RangeError(`"${name}" is not a day (${DAYS.join(', ')})`);
  return index;
}

function minutes(hours: string, mins: string): number {
  const value = Number(hours) * 60 + Number(mins);
  if (Number(mins) > 59 || value > 24 * 60) throw new RangeError(`${hours}:${mins} is not a time of day`);
  return value;
}

/**
 * Parses "mon-fri 09:00-18:00", "sat 10:00-14:00" or "mon,wed-thu 08:00-12:00". A range may wrap ("fri-mon").
 * Hours do not cross midnight: write "fri 22:00-24:00" and "sat 00:00-06:00".
 * @throws RangeError naming what is wrong.
 */
export function parseWeeklyHours(spec: string): WeeklyHours {
  const match = SPEC.exec(spec.trim().toLowerCase());
  if (!match) throw new RangeError(`"${spec}" is not like "mon-fri 09:00-18:00"`);
  const [, dayList = '', fromH = '', fromM = '', toH = '', toM = ''] = match;
  const days = new Set<number>();
  for (const range of dayList.split(',')) {
    const [first = '', last = first] = range.split('-');
    const end = day(last);
    for (let d = day(first); ; d = (d + 1) % 7) {
      days.add(d);
      if (d === end) break;
    }
  }
  const from = minutes(fromH, fromM);
  const to = minutes(toH, toM);
  if (from >= to) throw new RangeError(`"${spec}" closes before it opens`);
  return { days, from, to };
}

/** True for a real calendar date written YYYY-MM-DD. */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  return new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
}

/** The wall clock in `timeZone` at `instant`: ISO date, weekday (0 = Monday) and minutes since midnight. */
export function wallClock(
  instant: Date,
  timeZone: string,
): { date: string; weekday: number; minutes: number } {
  const wall = wallTime(instant, timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    date: `${wall.year}-${pad(wall.month)}-${pad(wall.day)}`,
    weekday: wall.weekday,
    minutes: wall.hour * 60 + wall.minute,
  };
}

/**
 * Whether the calendar is open at `instant`. Hours are local wall-clock times, so a daylight-saving change
 * moves them with the clock; a local time skipped by the change is simply never reached.
 */
export function isOpen(calendar: Calendar, instant: Date): boolean {
  const now = wallClock(instant, calendar.timeZone);
  if (calendar.holidays?.includes(now.date)) return false;
  return calendar.hours
    .map(parseWeeklyHours)
    .some((hours) => hours.days.has(now.weekday) && now.minutes >= hours.from && now.minutes < hours.to);
}
