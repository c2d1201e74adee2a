import { describe, expect, it } from 'vitest';
import { runFuzz } from './run.js';
import { CLIENT_EVENT_NAMES } from './socket-events.js';

// A short pass with a fixed seed; `npm run fuzz` runs long ones (see the README's Fuzzing section).
const SEED = 20261206;

describe('the fuzz suite, a short seeded pass', () => {
  it('answers every fuzzed request and socket event: no 5xx, error, hang, crash or refused write', async () => {
    const summary = await runFuzz({ seed: SEED, requests: 200, socketCases: 60 });

    expect(summary.failures).toEqual([]);
    // Every route the app lists and every event of the contract was reached, new ones included.
    expect(summary.routes).toBeGreaterThan(40);
    expect(Object.keys(summary.statuses).filter((route) => route !== 'no such route')).toHaveLength(
      summary.routes,
    );
    expect(summary.eventsSent).toEqual(expect.arrayContaining(CLIENT_EVENT_NAMES));
    expect(summary.httpRefused).toBeGreaterThan(0);
  }, 180_000);
});
