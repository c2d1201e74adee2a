import { wallTime } from '../../contracts/time-zone.js';

export { isTimeZone } from '../../contracts/time-zone.js';

/**
 * The start of the local day that `now` falls in, in an IANA time zone, as a UTC instant. Today's
 * figures of a CallQueue count from its own midnight, so a queue in Asia/Shanghai and one in
 * America/New_York each start their day when their callers do.
 */
export function startOfLocalDay(now: Date, timeZone: string): Date {
  const local = wallTime(now, timeZone);
  const midnightAsUtc = Date.UTC(local.year, local.month - 1, local.day);
  // The offset at midnight may differ from the offset now (a DST change during the day), so it is
  // taken at the first guess and corrected once.
  let guess = midnightAsUtc - offsetMs(new Date(midnightAsUtc), timeZone);
  guess = midnightAsUtc - offsetMs(new Date(guess), timeZone);
  return new Date(guess);
}

/** Local time minus UTC at `at`, in ms. */
function offsetMs(at: Date, timeZone: string): number {
  const p = wallTime(at, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}
