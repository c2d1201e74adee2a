import type { ReactiveController, ReactiveControllerHost } from 'lit';

const TICK_MS = 1000;
const ticking = new Set<TickController>();
let timer: ReturnType<typeof setInterval> | undefined;

function tick(): void {
  const now = Date.now();
  for (const controller of ticking) controller.advance(now);
}

/**
 * Re-renders its element once a second while connected, for timers and countdowns. All elements share
 * one interval, so every clock on the page ticks together.
 */
export class TickController implements ReactiveController {
  /** The time of the latest tick, in ms since the epoch. */
  now = Date.now();

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {
    this.now = Date.now();
    ticking.add(this);
    timer ??= setInterval(tick, TICK_MS);
  }

  hostDisconnected(): void {
    ticking.delete(this);
    if (ticking.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  }

  /** Called by the shared interval. */
  advance(now: number): void {
    this.now = now;
    this.host.requestUpdate();
  }
}
