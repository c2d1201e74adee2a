/** `closed`: requests go out; `open`: none does until the cool-down ends; `half_open`: one trial is out. */
export type BreakerState = 'closed' | 'open' | 'half_open';

export interface CircuitBreakerOptions {
  /** Failures in a row that open the breaker. */
  failures: number;
  /** How long it stays open before one trial request, in ms. */
  cooldownMs: number;
  /** Told of every change, for the metrics. */
  onChange?: (state: BreakerState) => void;
}

/**
 * Stops asking a peer that keeps failing, so every offered call does not wait out its timeout: after
 * `failures` failures in a row it opens; after the cool-down one request is let through (half open);
 * its success closes the breaker, its failure opens it for another cool-down.
 */
export function createCircuitBreaker({ failures, cooldownMs, onChange }: CircuitBreakerOptions) {
  let state: BreakerState = 'closed';
  let failuresInARow = 0;
  let openedAtMs = 0;

  const moveTo = (next: BreakerState) => {
    if (next === state) return;
    state = next;
    onChange?.(next);
  };

  return {
    /** Whether a request may go out at `nowMs`; in half-open state only the first caller is let through. */
    allow(nowMs: number): boolean {
      if (state === 'closed') return true;
      if (state === 'open' && nowMs - openedAtMs >= cooldownMs) {
        moveTo('half_open');
        return true;
      }
      return false;
    },

    succeeded(): void {
      failuresInARow = 0;
      moveTo('closed');
    },

    failed(nowMs: number): void {
      failuresInARow += 1;
      if (state === 'half_open' || failuresInARow >= failures) {
        openedAtMs = nowMs;
        moveTo('open');
      }
    },

    get state(): BreakerState {
      return state;
    },
  };
}

export type CircuitBreaker = ReturnType<typeof createCircuitBreaker>;
