import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TIER_BOOST_SECONDS,
  headStartSeconds,
  priorityScore,
  TIERS,
  type Tier,
  type TierBoost,
  waitingSortKey,
} from './priority.js';

const T0 = Date.parse('2026-11-22T10:00:00.000Z');
const BOOST: TierBoost = { platinum: 120, gold: 60, silver: 20, bronze: 0 };

const waitingCall = (tier: Tier, enqueuedAtMs: number, raisedSeconds = 0, queuePriority = 0) => ({
  tier,
  enqueuedAtMs,
  raisedSeconds,
  headStartSeconds: headStartSeconds(queuePriority, BOOST, tier),
});
type WaitingCall = ReturnType<typeof waitingCall>;

const byScoreAt = (calls: WaitingCall[], nowMs: number) =>
  [...calls]
    .sort((a, b) => priorityScore({ ...b, nowMs }) - priorityScore({ ...a, nowMs }))
    .map((c) => c.tier);
const bySortKey = (calls: WaitingCall[]) =>
  [...calls].sort((a, b) => waitingSortKey(a) - waitingSortKey(b)).map((c) => c.tier);

describe('priority', () => {
  it('adds queue priority, tier boost, raised seconds and seconds waited', () => {
    expect(headStartSeconds(5, BOOST, 'gold')).toBe(65);
    expect(
      priorityScore({ enqueuedAtMs: T0, headStartSeconds: 65, raisedSeconds: 10, nowMs: T0 + 30_000 }),
    ).toBe(105);
  });

  it('serves a platinum caller before a bronze one who has waited less than the boost difference', () => {
    const calls = [waitingCall('bronze', T0), waitingCall('platinum', T0 + 119_000)];
    expect(byScoreAt(calls, T0 + 119_000)).toEqual(['platinum', 'bronze']);
    expect(bySortKey(calls)).toEqual(['platinum', 'bronze']);
  });

  it('never starves bronze: waiting longer than the boost difference puts it first', () => {
    const calls = [waitingCall('platinum', T0 + 121_000), waitingCall('bronze', T0)];
    expect(byScoreAt(calls, T0 + 121_000)).toEqual(['bronze', 'platinum']);
    expect(byScoreAt(calls, T0 + 3_600_000)).toEqual(['bronze', 'platinum']);
    expect(bySortKey(calls)).toEqual(['bronze', 'platinum']);
  });

  it('orders by sort key exactly as by score at any later moment, so Redis never rescores', () => {
    const calls = Array.from({ length: 40 }, (_, i) =>
      waitingCall(TIERS[i % 4]!, T0 + ((i * 7919) % 300) * 1000, (i * 31) % 50, (i % 3) * 10),
    );
    for (const nowMs of [T0 + 300_000, T0 + 301_000, T0 + 7_200_000]) {
      expect(byScoreAt(calls, nowMs)).toEqual(bySortKey(calls));
      for (const c of calls) expect(priorityScore({ ...c, nowMs }) * 1000).toBe(nowMs - waitingSortKey(c));
    }
  });

  it('ranks the default tiers in order', () => {
    const boosts = TIERS.map((tier) => DEFAULT_TIER_BOOST_SECONDS[tier]);
    expect([...boosts].sort((a, b) => b - a)).toEqual(boosts);
  });
});
