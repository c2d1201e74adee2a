import { agentsNeeded, serviceLevel } from './erlang-c.js';
import type { StatusTimes } from './metrics.js';
import { BUCKET_SECONDS } from './rollups.js';

/** A status an agent held from `startMs` until their next one. */
export interface StatusSpan {
  agentId: number;
  status: string;
  startMs: number;
}

/** On task: taking or able to take calls. Breaks and offline are not staffing. */
const ON_TASK = new Set(['available', 'reserved', 'on_call', 'wrap_up']);

export interface StaffingInput {
  /** Start of each 15-minute interval (UTC ms), ascending. */
  intervals: number[];
  /** Offered calls and handle sums per interval start. */
  load: Map<number, { offered: number; handled: number; handleMs: number }>;
  /** Every status change of the queue's agents in range, plus each agent's status at the start, by time. */
  spans: StatusSpan[];
  /** End of known history (now, or the range end): a status still held counts until then. */
  untilMs: number;
  slTargetSeconds: number;
  slTargetPercent: number;
}

export interface StaffingRow {
  intervalStart: string;
  offered: number;
  /** Handle time the model used: the interval's own, or the range's when the interval handled no call. */
  ahtSeconds: number | null;
  /** Erlang C: the fewest agents meeting the queue's target with these arrivals and handle time. */
  agentsNeeded: number;
  /** Mean agents on task (available, ringing, on a call or in wrap-up) over the interval. */
  agentsStaffed: number;
  /** Erlang C service level the staffed agents would give, percent; null without calls. */
  modelServiceLevelPercent: number | null;
}

const round1 = (value: number) => Math.round(value * 10) / 10;

function byAgent(spans: StatusSpan[]): Map<number, StatusSpan[]> {
  const agents = new Map<number, StatusSpan[]>();
  for (const span of spans) {
    const list = agents.get(span.agentId) ?? [];
    list.push(span);
    agents.set(span.agentId, list);
  }
  return agents;
}

/** Milliseconds each agent spent in each status, each status held until the next or `untilMs`. */
export function statusTimesOf(spans: StatusSpan[], untilMs: number): Map<number, StatusTimes> {
  const times = new Map<number, StatusTimes>();
  for (const [agentId, list] of byAgent(spans)) {
    const total: StatusTimes = { offline: 0, available: 0, reserved: 0, on_call: 0, wrap_up: 0, break: 0 };
    list.forEach((span, n) => {
      const end = Math.min(list[n + 1]?.startMs ?? untilMs, untilMs);
      if (end > span.startMs && span.status in total)
        total[span.status as keyof StatusTimes] += end - span.startMs;
    });
    times.set(agentId, total);
  }
  return times;
}

/** Agents needed beside agents staffed, per 15-minute interval. */
export function staffingOf(input: StaffingInput): StaffingRow[] {
  const bucketMs = BUCKET_SECONDS * 1000;
  const onTaskMs = new Map<number, number>();
  for (const spans of byAgent(input.spans).values()) {
    spans.forEach((span, n) => {
      if (!ON_TASK.has(span.status)) return;
      const end = Math.min(spans[n + 1]?.startMs ?? input.untilMs, input.untilMs);
      for (let t = span.startMs - (span.startMs % bucketMs); t < end; t += bucketMs) {
        const overlap = Math.min(end, t + bucketMs) - Math.max(span.startMs, t);
        if (overlap > 0) onTaskMs.set(t, (onTaskMs.get(t) ?? 0) + overlap);
      }
    });
  }
  let handled = 0;
  let handleMs = 0;
  for (const load of input.load.values()) {
    handled += load.handled;
    handleMs += load.handleMs;
  }
  const rangeAht = handled > 0 ? handleMs / handled / 1000 : null;
  // Erlang C never promises 100 %: a 100 % target is asked as 99.9 %.
  const share = Math.min(input.slTargetPercent / 100, 0.999);
  return input.intervals.map((start) => {
    const load = input.load.get(start);
    const offered = load?.offered ?? 0;
    const aht = load && load.handled > 0 ? load.handleMs / load.handled / 1000 : rangeAht;
    const staffed = round1((onTaskMs.get(start) ?? 0) / bucketMs);
    const erlang =
      offered > 0 && aht ? { arrivalsPerSecond: offered / BUCKET_SECONDS, ahtSeconds: aht } : null;
    return {
      intervalStart: new Date(start).toISOString(),
      offered,
      ahtSeconds: aht === null ? null : round1(aht),
      agentsNeeded: erlang ? agentsNeeded(erlang, input.slTargetSeconds, share) : 0,
      agentsStaffed: staffed,
      modelServiceLevelPercent: erlang
        ? round1(serviceLevel(Math.floor(staffed), erlang, input.slTargetSeconds) * 100)
        : null,
    };
  });
}
