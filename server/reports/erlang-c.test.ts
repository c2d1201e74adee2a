import { describe, expect, it } from 'vitest';
import {
  agentsNeeded,
  averageSpeedOfAnswer,
  erlangB,
  probabilityOfWaiting,
  serviceLevel,
} from './erlang-c.js';

/** The textbook Poisson-sum form, in logs so it holds for large N: an independent check of the recurrence. */
function erlangCBySums(agents: number, a: number): number {
  const logTerm = (k: number) => k * Math.log(a) - lgammaInt(k + 1);
  const top = Math.exp(logTerm(agents)) * (agents / (agents - a));
  let sum = 0;
  for (let k = 0; k < agents; k += 1) sum += Math.exp(logTerm(k));
  return top / (sum + top);
}
const lgammaInt = (n: number) => {
  let s = 0;
  for (let k = 2; k < n; k += 1) s += Math.log(k);
  return s;
};

// 100 calls in 30 minutes, 180 s handle time, 80 % answered in 20 s: the worked example published by
// Call Centre Helper ("Erlang C formula made simple"), 10 Erlangs.
const example = { arrivalsPerSecond: 100 / 1800, ahtSeconds: 180 };

describe('Erlang C', () => {
  it('matches the closed forms of M/M/1 and M/M/2', () => {
    for (const rho of [0.1, 0.5, 0.9]) {
      expect(probabilityOfWaiting(1, rho)).toBeCloseTo(rho, 12);
      expect(probabilityOfWaiting(2, 2 * rho)).toBeCloseTo((2 * rho * rho) / (1 + rho), 12);
    }
    expect(probabilityOfWaiting(3, 2)).toBeCloseTo(4 / 9, 12);
    expect(erlangB(2, 1)).toBeCloseTo(1 / 5, 12);
  });

  it('agrees with the Poisson-sum form from small to large centres', () => {
    for (const [n, a] of [
      [11, 10],
      [13, 10],
      [25, 20.5],
      [110, 100],
      [480, 450],
    ] as const) {
      expect(probabilityOfWaiting(n, a)).toBeCloseTo(erlangCBySums(n, a), 10);
    }
  });

  it('reproduces the published worked example', () => {
    const rows = [11, 12, 13, 14].map((n) => ({
      pw: Math.round(probabilityOfWaiting(n, 10) * 10_000) / 10_000,
      sl: Math.round(serviceLevel(n, example, 20) * 1000) / 10,
    }));
    expect(rows).toEqual([
      { pw: 0.6821, sl: 39.0 },
      { pw: 0.4494, sl: 64.0 },
      { pw: 0.2853, sl: 79.6 },
      { pw: 0.1741, sl: 88.8 },
    ]);
    expect(agentsNeeded(example, 20, 0.8)).toBe(14);
    expect(averageSpeedOfAnswer(14, example)).toBeCloseTo((0.1741 * 180) / 4, 1);
  });

  it('handles no traffic and overload', () => {
    const idle = { arrivalsPerSecond: 0, ahtSeconds: 180 };
    expect(agentsNeeded(idle, 20, 0.8)).toBe(0);
    expect(serviceLevel(0, idle, 20)).toBe(1);
    expect(probabilityOfWaiting(10, 10)).toBe(1);
    expect(serviceLevel(9, example, 20)).toBe(0);
    expect(averageSpeedOfAnswer(10, example)).toBe(Infinity);
    expect(() => agentsNeeded(example, 20, 1)).toThrow(RangeError);
  });

  it('needs more agents for a stricter target and never fewer than the traffic', () => {
    const busy = { arrivalsPerSecond: 2, ahtSeconds: 240 };
    const loose = agentsNeeded(busy, 60, 0.7);
    const strict = agentsNeeded(busy, 10, 0.95);
    expect(loose).toBeGreaterThan(480);
    expect(strict).toBeGreaterThan(loose);
    expect(serviceLevel(strict, busy, 10)).toBeGreaterThanOrEqual(0.95);
    expect(serviceLevel(strict - 1, busy, 10)).toBeLessThan(0.95);
  });
});
