import { describe, expect, it } from 'vitest';
import type { AgentLive } from '../../contracts/supervision.js';
import {
  filterAgents,
  longestWaitSeconds,
  NO_AGENT_FILTERS,
  occupancyPercent,
  slStanding,
  sortAgents,
  trendPoints,
} from './live-view.js';

const NOW = Date.parse('2026-11-22T10:00:00.000Z');
const DAY = '2026-11-22T00:00:00.000Z';

function agent(fields: Partial<AgentLive> & { agentId: number; displayName: string }): AgentLive {
  return {
    username: fields.displayName.toLowerCase(),
    skills: [],
    queueIds: [],
    status: 'available',
    reason: null,
    nextReason: null,
    statusSince: '2026-11-22T09:59:00.000Z',
    call: null,
    reservationId: null,
    handledToday: 0,
    busyMs: 0,
    staffedMs: 0,
    ...fields,
  };
}

describe('wallboard rules', () => {
  const today = (serviceLevelPercent: number | null) =>
    ({ serviceLevelPercent }) as unknown as Parameters<typeof slStanding>[0]['today'];

  it('colours the service level against the queue target, with a 10-point warning band', () => {
    expect(slStanding({ slTargetPercent: 80, today: today(80) })).toBe('good');
    expect(slStanding({ slTargetPercent: 80, today: today(70) })).toBe('warning');
    expect(slStanding({ slTargetPercent: 80, today: today(69.9) })).toBe('bad');
    expect(slStanding({ slTargetPercent: 80, today: today(null) })).toBe('none');
  });

  it('ticks the longest wait from the oldest caller', () => {
    const waiting = [
      { waitingSince: '2026-11-22T09:59:30.000Z' },
      { waitingSince: '2026-11-22T09:58:15.000Z' },
    ] as Parameters<typeof longestWaitSeconds>[0]['waiting'];
    expect(longestWaitSeconds({ waiting }, NOW)).toBe(105);
    expect(longestWaitSeconds({ waiting: [] }, NOW)).toBe(0);
  });
});

describe('agent grid rules', () => {
  it('adds the current status to the day’s busy and staffed time for occupancy', () => {
    // 30 min busy of 60 min staffed before; on a call for the last 60 s: 31 / 61.
    const onCall = agent({
      agentId: 1,
      displayName: 'A',
      status: 'on_call',
      busyMs: 1_800_000,
      staffedMs: 3_600_000,
    });
    expect(occupancyPercent(onCall, DAY, NOW)).toBe(51);
    const onBreak = { ...onCall, status: 'break' as const };
    expect(occupancyPercent(onBreak, DAY, NOW)).toBe(50);
    expect(occupancyPercent(agent({ agentId: 2, displayName: 'B', status: 'offline' }), DAY, NOW)).toBeNull();
  });

  const ana = agent({
    agentId: 1,
    displayName: 'Ana',
    status: 'on_call',
    skills: ['billing'],
    queueIds: [1],
    handledToday: 3,
  });
  const bob = agent({
    agentId: 2,
    displayName: 'Bob',
    status: 'break',
    skills: ['sales'],
    queueIds: [2],
    handledToday: 5,
    statusSince: '2026-11-22T09:00:00.000Z',
  });
  const cy = agent({
    agentId: 3,
    displayName: 'Cy',
    status: 'available',
    skills: ['billing', 'sales'],
    queueIds: [1, 2],
  });

  it('filters by queue, skill and status together', () => {
    expect(filterAgents([ana, bob, cy], { ...NO_AGENT_FILTERS, queueId: 2 }).map((a) => a.agentId)).toEqual([
      2, 3,
    ]);
    expect(
      filterAgents([ana, bob, cy], { ...NO_AGENT_FILTERS, skill: 'billing' }).map((a) => a.agentId),
    ).toEqual([1, 3]);
    expect(filterAgents([ana, bob, cy], { queueId: 1, skill: 'sales', status: 'available' })).toEqual([cy]);
    expect(filterAgents([ana, bob, cy], NO_AGENT_FILTERS)).toHaveLength(3);
  });

  it('sorts by any column either way, ties by name', () => {
    const ids = (key: Parameters<typeof sortAgents>[1]['key'], descending = false) =>
      sortAgents([bob, cy, ana], { key, descending }, DAY, NOW).map((a) => a.displayName);
    expect(ids('name')).toEqual(['Ana', 'Bob', 'Cy']);
    expect(ids('status')).toEqual(['Ana', 'Cy', 'Bob']);
    expect(ids('timeInStatus', true)).toEqual(['Bob', 'Ana', 'Cy']);
    expect(ids('handledToday', true)).toEqual(['Bob', 'Ana', 'Cy']);
  });
});

describe('trend line', () => {
  it('draws steps over the window, holding the last value until now', () => {
    const samples = [
      { atMs: NOW - 7_200_000, value: 4 },
      { atMs: NOW - 1_800_000, value: 2 },
    ];
    // 4 calls before the window (the scale's top) until half-way, then 2 until now.
    expect(trendPoints(samples, NOW, 3_600_000, 100, 20)).toBe('0,0 50,0 50,10 100,10');
    expect(trendPoints([], NOW, 3_600_000, 100, 20)).toBe('');
    // On a fixed scale: 50 of 100 is half-way up.
    expect(trendPoints([{ atMs: NOW - 1_800_000, value: 50 }], NOW, 3_600_000, 100, 20, 100)).toBe(
      '50,10 100,10',
    );
  });
});
