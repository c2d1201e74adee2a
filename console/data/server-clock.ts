/**
 * The server's time as this browser sees it. Offers ring out and wrap-ups end by the server's clock;
 * an agent's PC may be minutes off, so countdowns and timers run on the server's time instead.
 */
let offsetMs = 0;

/** Learns the offset from a time the server just sent (network delay aside, which is small). */
export function syncServerClock(serverTime: string, receivedAtMs = Date.now()): void {
  const serverMs = Date.parse(serverTime);
  if (Number.isFinite(serverMs)) offsetMs = serverMs - receivedAtMs;
}

/** Now, by the server's clock, in ms since the epoch. */
export function serverNow(): number {
  return Date.now() + offsetMs;
}
