import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { serverNow } from '../data/server-clock.js';

const TICK_MS = 1000;
const ticking = new Set<TickController>();
let timer: ReturnType<typeof setInterval> | undefined;

function tick(): void {
  const now = serverNow();
  for (const controller of ticking) controller.advance(now);
}

/**
 * Re-renders its element once a second while connected, for timers and countdowns. All elements share
 * one interval, so every clock on the page ticks together.
 */
export class TickController implements ReactiveController {
  /** The time of the latest tick by the server's clock, in ms since the epoch. */
  now = serverNow();

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {
    this.now = serverNow();
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
