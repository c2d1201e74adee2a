import { describe, expect, it } from 'vitest';
import { runFuzz } from './run.js';

// A short pass with a fixed seed; `npm run fuzz` runs long ones (see the README's Fuzzing section).
const SEED = 20261206;

describe('the fuzz suite, a short seeded pass', () => {
  it('answers every fuzzed request and socket event: no 5xx, error, hang, crash or refused write', async () => {
    const summary = await runFuzz({ seed: SEED, requests: 200, socketCases: 60 });

    expect(summary.failures).toEqual([]);
    expect(summary.routes).toBeGreaterThan(40);
    expect(summary.httpSent + Object.values(summary.skippedKnown).reduce((a, b) => a + b, 0)).toBeGreaterThan(
      0,
    );
    expect(summary.httpRefused).toBeGreaterThan(0);
    expect(summary.socketSent).toBeGreaterThan(0);
  }, 180_000);
});
