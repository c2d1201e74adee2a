/** Pure rules of the wallboard and the agent grid: colours, ticking figures, filters and sorting. */
import type { AgentStatus } from '../../contracts/glossary.js';
import type { AgentLive, QueueLive } from '../../contracts/supervision.js';
import { AGENT_STATUS_ORDER } from '../data/vocabulary.js';

/**
 * How a queue's (or one tier's) service level stands against its target: `good` at or above it, `warning` within
 * 10 points below, `bad` further down, `none` before any call was decided today.
 */
export type SlStanding = 'good' | 'warning' | 'bad' | 'none';

export const WARNING_BAND_POINTS = 10;

export function slStanding(queue: {
  slTargetPercent: number;
  today: Pick<QueueLive['today'], 'serviceLevelPercent'>;
}): SlStanding {
  const sl = queue.today.serviceLevelPercent;
  if (sl === null) return 'none';
  if (sl >= queue.slTargetPercent) return 'good';
  return sl >= queue.slTargetPercent - WARNING_BAND_POINTS ? 'warning' : 'bad';
}

const secondsBetween = (fromIso: string, nowMs: number) =>
  Math.max(0, Math.floor((nowMs - Date.parse(fromIso)) / 1000));

/** Seconds the longest-waiting caller has waited by now; 0 when nobody waits. */
export function longestWaitSeconds(queue: Pick<QueueLive, 'waiting'>, nowMs: number): number {
  return queue.waiting.reduce(
    (longest, call) => Math.max(longest, secondsBetween(call.waitingSince, nowMs)),
    0,
  );
}

export function timeInStatusSeconds(agent: Pick<AgentLive, 'statusSince'>, nowMs: number): number {
  return secondsBetween(agent.statusSince, nowMs);
}

const BUSY: readonly AgentStatus[] = ['reserved', 'on_call', 'wrap_up'];
const STAFFED: readonly AgentStatus[] = [...BUSY, 'available'];

/**
 * Occupancy today in percent: busy (ringing, on a call, wrap-up) ÷ staffed (busy or available), the
 * server's totals before the current status plus the current status so far. Null before any staffed time.
 */
export function occupancyPercent(
  agent: Pick<AgentLive, 'busyMs' | 'staffedMs' | 'status' | 'statusSince'>,
  dayStartIso: string,
  nowMs: number,
): number | null {
  const current = Math.max(0, nowMs - Math.max(Date.parse(agent.statusSince), Date.parse(dayStartIso)));
  const busy = agent.busyMs + (BUSY.includes(agent.status) ? current : 0);
  const staffed = agent.staffedMs + (STAFFED.includes(agent.status) ? current : 0);
  return staffed > 0 ? Math.round((busy / staffed) * 100) : null;
}

export interface AgentFilters {
  queueId: number | null;
  skill: string | null;
  status: AgentStatus | null;
}

export const NO_AGENT_FILTERS: AgentFilters = { queueId: null, skill: null, status: null };

export function filterAgents(agents: readonly AgentLive[], filters: AgentFilters): AgentLive[] {
  return agents.filter(
    (agent) =>
      (filters.queueId === null || agent.queueIds.includes(filters.queueId)) &&
      (filters.skill === null || agent.skills.includes(filters.skill)) &&
      (filters.status === null || agent.status === filters.status),
  );
}

export type AgentSortKey = 'name' | 'status' | 'timeInStatus' | 'handledToday' | 'occupancy';
export interface AgentSort {
  key: AgentSortKey;
  descending: boolean;
}

/** Sorted copy; ties keep name order, so rows do not jump when the key is equal. */
export function sortAgents(
  agents: readonly AgentLive[],
  sort: AgentSort,
  dayStartIso: string,
  nowMs: number,
): AgentLive[] {
  const value = (agent: AgentLive): number | string => {
    switch (sort.key) {
      case 'name':
        return agent.displayName.toLocaleLowerCase();
      case 'status':
        return AGENT_STATUS_ORDER.indexOf(agent.status);
      case 'timeInStatus':
        return timeInStatusSeconds(agent, nowMs);
      case 'handledToday':
        return agent.handledToday;
      case 'occupancy':
        return occupancyPercent(agent, dayStartIso, nowMs) ?? -1;
    }
  };
  const byName = (a: AgentLive, b: AgentLive) => a.displayName.localeCompare(b.displayName);
  return [...agents].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    const order = x < y ? -1 : x > y ? 1 : 0;
    return (sort.descending ? -order : order) || byName(a, b);
  });
}

/** Skills present on the grid, for its filter. */
export const skillsOf = (agents: readonly AgentLive[]) =>
  [...new Set(agents.flatMap((agent) => agent.skills))].sort((a, b) => a.localeCompare(b));

export interface TrendSample {
  atMs: number;
  value: number;
}

/**
 * SVG polyline points of a step chart of `samples` over the `windowMs` before `nowMs`, in a
 * `width` × `height` box, 0 at the bottom and `top` at the top (default: the largest value, at
 * least 1). The last value holds until now.
 */
export function trendPoints(
  samples: readonly TrendSample[],
  nowMs: number,
  windowMs: number,
  width: number,
  height: number,
  top?: number,
): string {
  const start = nowMs - windowMs;
  const inWindow = samples.filter((s) => s.atMs >= start);
  const before = samples.filter((s) => s.atMs < start).at(-1);
  const steps = before ? [{ atMs: start, value: before.value }, ...inWindow] : inWindow;
  if (steps.length === 0) return '';
  const max = top ?? Math.max(1, ...steps.map((s) => s.value));
  const x = (atMs: number) => Math.round(((atMs - start) / windowMs) * width * 10) / 10;
  const y = (value: number) => Math.round((height - (value / max) * height) * 10) / 10;
  const points: string[] = [];
  steps.forEach((step, index) => {
    if (index > 0) points.push(`${x(step.atMs)},${y(steps[index - 1]!.value)}`);
    points.push(`${x(step.atMs)},${y(step.value)}`);
  });
  points.push(`${width},${y(steps.at(-1)!.value)}`);
  return points.join(' ');
}
