import type { Counters } from './rollups.js';

/**
 * Report figures from summed rollup counters. Pure: the same sums always give the same figures.
 * The definitions are the live wallboard's (supervision.repository.ts) over closed calls; README.md
 * beside this file gives each formula.
 */
export interface Metrics {
  contacts: number;
  offered: number;
  answered: number;
  answeredWithinTarget: number;
  abandoned: number;
  shortAbandoned: number;
  /** (abandoned − short abandons) ÷ (offered − short abandons), percent. */
  abandonPercent: number | null;
  /** Answered within the queue's target ÷ (offered − short abandons), percent. */
  serviceLevelPercent: number | null;
  asaSeconds: number | null;
  /** (talk + hold + after-call work) ÷ handled calls. */
  ahtSeconds: number | null;
  averageTalkSeconds: number | null;
  averageHoldSeconds: number | null;
  averageAfterCallWorkSeconds: number | null;
  averageAbandonWaitSeconds: number | null;
  longestWaitSeconds: number | null;
  handled: number;
  transfers: number;
  callbacksRequested: number;
  callbacksKept: number;
  callbacksFailed: number;
  rona: number;
  declined: number;
  voicemails: number;
  /** Calls that ended in the IVR (no queue, voicemail or callback) ÷ new inbound calls, percent. */
  ivrContainmentPercent: number | null;
}

/** One decimal, as the wallboard shows. */
const round1 = (value: number) => Math.round(value * 10) / 10;
const percent = (part: number, whole: number) => (whole > 0 ? round1((part / whole) * 100) : null);
const meanSeconds = (ms: number, count: number) => (count > 0 ? round1(ms / count / 1000) : null);

export function metricsOf(sums: Counters): Metrics {
  const decided = sums.offered - sums.short_abandoned;
  return {
    contacts: sums.contacts,
    offered: sums.offered,
    answered: sums.answered,
    answeredWithinTarget: sums.answered_in_sl,
    abandoned: sums.abandoned,
    shortAbandoned: sums.short_abandoned,
    abandonPercent: percent(sums.abandoned - sums.short_abandoned, decided),
    serviceLevelPercent: percent(sums.answered_in_sl, decided),
    asaSeconds: meanSeconds(sums.answer_wait_ms, sums.answered),
    ahtSeconds: meanSeconds(sums.talk_ms + sums.hold_ms + sums.acw_ms, sums.handled),
    averageTalkSeconds: meanSeconds(sums.talk_ms, sums.handled),
    averageHoldSeconds: meanSeconds(sums.hold_ms, sums.handled),
    averageAfterCallWorkSeconds: meanSeconds(sums.acw_ms, sums.handled),
    averageAbandonWaitSeconds: meanSeconds(sums.abandon_wait_ms, sums.abandoned),
    longestWaitSeconds: sums.offered > 0 ? round1(sums.wait_max_ms / 1000) : null,
    handled: sums.handled,
    transfers: sums.transfers,
    callbacksRequested: sums.callbacks_requested,
    callbacksKept: sums.callbacks_kept,
    callbacksFailed: sums.callbacks_failed,
    rona: sums.rona,
    declined: sums.declined,
    voicemails: sums.voicemails,
    ivrContainmentPercent: percent(sums.ivr_contained, sums.ivr_entered),
  };
}

/** Milliseconds an agent spent in each AgentStatus over a period. */
export type StatusTimes = Record<
  'offline' | 'available' | 'reserved' | 'on_call' | 'wrap_up' | 'break',
  number
>;

export interface AgentTimeMetrics {
  signedInSeconds: number;
  /** Busy (reserved, on a call, wrap-up) ÷ (busy + available), percent: the wallboard's occupancy. */
  occupancyPercent: number | null;
  /** Busy ÷ signed in (every status but offline, breaks included), percent. */
  utilisationPercent: number | null;
}

export function agentTimeMetricsOf(times: StatusTimes): AgentTimeMetrics {
  const busy = times.reserved + times.on_call + times.wrap_up;
  const signedIn = busy + times.available + times.break;
  return {
    signedInSeconds: Math.round(signedIn / 1000),
    occupancyPercent: percent(busy, busy + times.available),
    utilisationPercent: percent(busy, signedIn),
  };
}
