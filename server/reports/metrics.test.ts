import { describe, expect, it } from 'vitest';
import { agentTimeMetricsOf, metricsOf } from './metrics.js';
import { COUNTERS, contributionsOf, type ClosedInteraction, type Counters } from './rollups.js';

const at = (time: string) => `2026-11-02T${time}.000Z`;
const call = (fields: Partial<ClosedInteraction>): ClosedInteraction => ({
  direction: 'inbound',
  provider: 'twilio',
  origin: null,
  queueId: 1,
  agentId: 7,
  tier: 'gold',
  lifecycleStage: 'active',
  wrapUpCodeId: null,
  arrivedAt: at('09:59:50'),
  queuedAt: null,
  answeredAt: null,
  endedAt: null,
  wrapUpEndedAt: null,
  outcome: 'answered',
  heldSeconds: 0,
  slTargetSeconds: 20,
  declines: [],
  ...fields,
});

/** A day of seven calls; every expected figure below is worked out by hand in its comment. */
const DAY = [
  // Waited 10 s, talked 270 s + 30 s hold, 60 s wrap-up.
  call({
    queuedAt: at('10:00:00'),
    answeredAt: at('10:00:10'),
    endedAt: at('10:05:10'),
    heldSeconds: 30,
    wrapUpEndedAt: at('10:06:10'),
  }),
  // Waited 40 s (beyond the 20 s target), talked 120 s, 20 s wrap-up, transferred.
  call({
    queuedAt: at('10:10:00'),
    answeredAt: at('10:10:40'),
    endedAt: at('10:12:40'),
    wrapUpEndedAt: at('10:13:00'),
    outcome: 'transferred',
  }),
  // Hung up after 3 s: a short abandon.
  call({ agentId: null, queuedAt: at('11:00:00'), endedAt: at('11:00:03'), outcome: 'abandoned' }),
  // Hung up after 60 s: the longest wait.
  call({ agentId: null, queuedAt: at('11:30:00'), endedAt: at('11:31:00'), outcome: 'abandoned' }),
  // Went to voicemail after 30 s: offered, neither answered nor abandoned.
  call({ agentId: null, queuedAt: at('12:00:00'), endedAt: at('12:00:30'), outcome: 'voicemail' }),
  // Served by the IVR alone.
  call({ agentId: null, queueId: null, endedAt: at('12:30:00'), outcome: 'abandoned' }),
  // A callback kept: waited 5 s, talked 120 s, no wrap-up; one agent let it ring out, one declined it.
  call({
    origin: 'callback',
    direction: 'outbound',
    queuedAt: at('13:00:00'),
    answeredAt: at('13:00:05'),
    endedAt: at('13:02:05'),
    declines: [
      { agentId: 9, reason: 'timed_out', count: 1 },
      { agentId: 8, reason: 'rejected', count: 1 },
    ],
  }),
];

function sum(calls: ClosedInteraction[]): Counters {
  const sums = Object.fromEntries(COUNTERS.map((c) => [c, 0])) as Counters;
  for (const row of calls.flatMap((c) => contributionsOf(c, { shortAbandonSeconds: 5 }))) {
    for (const c of COUNTERS) sums[c] = c === 'wait_max_ms' ? Math.max(sums[c], row[c]) : sums[c] + row[c];
  }
  return sums;
}

describe('report metrics', () => {
  it('gives the hand-computed figures of a scripted day', () => {
    expect(metricsOf(sum(DAY))).toEqual({
      contacts: 7,
      offered: 6,
      answered: 3,
      answeredWithinTarget: 2,
      abandoned: 2,
      shortAbandoned: 1,
      // (2 − 1) ÷ (6 − 1)
      abandonPercent: 20,
      // 2 ÷ (6 − 1)
      serviceLevelPercent: 40,
      // (10 + 40 + 5) ÷ 3
      asaSeconds: 18.3,
      // (270 + 120 + 120 talk + 30 hold + 60 + 20 wrap-up) ÷ 3
      ahtSeconds: 206.7,
      averageTalkSeconds: 170,
      averageHoldSeconds: 10,
      averageAfterCallWorkSeconds: 26.7,
      // (3 + 60) ÷ 2
      averageAbandonWaitSeconds: 31.5,
      longestWaitSeconds: 60,
      handled: 3,
      transfers: 1,
      callbacksRequested: 0,
      callbacksKept: 1,
      callbacksFailed: 0,
      rona: 1,
      declined: 1,
      voicemails: 1,
      // 1 of the 6 new inbound calls (the callback is outbound)
      ivrContainmentPercent: 16.7,
    });
  });

  it('puts ring-outs on the agent who missed the offer', () => {
    const rows = contributionsOf(DAY[6]!, { shortAbandonSeconds: 5 });
    expect(rows.map((r) => [r.agent_id, r.contacts, r.rona, r.declined])).toEqual([
      [7, 1, 0, 0],
      [9, 0, 1, 0],
      [8, 0, 0, 1],
    ]);
  });

  it('has no averages without calls', () => {
    const none = metricsOf(sum([]));
    expect([none.serviceLevelPercent, none.asaSeconds, none.ahtSeconds, none.longestWaitSeconds]).toEqual([
      null,
      null,
      null,
      null,
    ]);
  });

  // Busy 320 min ÷ (320 + 120 available) = 72.7 %; ÷ 480 signed in = 66.7 %.
  it('computes occupancy as the wallboard does and utilisation over signed-in time', () => {
    const minutes = (n: number) => n * 60_000;
    expect(
      agentTimeMetricsOf({
        offline: minutes(600),
        available: minutes(120),
        reserved: minutes(10),
        on_call: minutes(250),
        wrap_up: minutes(60),
        break: minutes(40),
      }),
    ).toEqual({ signedInSeconds: 480 * 60, occupancyPercent: 72.7, utilisationPercent: 66.7 });
  });
});
