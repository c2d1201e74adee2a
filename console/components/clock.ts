/**
 * Pure clock arithmetic for timers and countdowns. No DOM, so it runs under unit tests as-is.
 */

/** Whole seconds from `iso` to `now` (ms since the epoch), never negative: a ticking "time in status" or talk time. */
export function secondsSince(iso: string, now: number): number {
  const start = Date.parse(iso);
  if (Number.isNaN(start)) return 0;
  return Math.max(0, Math.floor((now - start) / 1000));
}

/**
 * Whole seconds left until `iso`, rounded up so a countdown shows 0:00 only when time is really up,
 * never negative.
 */
export function secondsUntil(iso: string, now: number): number {
  const end = Date.parse(iso);
  if (Number.isNaN(end)) return 0;
  return Math.max(0, Math.ceil((end - now) / 1000));
}

/** A countdown is urgent in its last seconds; the desk then shows it louder. */
export const URGENT_SECONDS = 10;
