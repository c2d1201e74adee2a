import { describe, expect, it } from 'vitest';
import { staffingOf } from './staffing.js';

const ms = (time: string) => Date.parse(`2026-11-02T${time}:00.000Z`);

describe('staffing', () => {
  it('puts Erlang C agents needed beside the agents on task in each interval', () => {
    const rows = staffingOf({
      intervals: [ms('10:00'), ms('10:15')],
      // 25 calls in 15 minutes at 180 s each: 5 Erlangs.
      load: new Map([[ms('10:00'), { offered: 25, handled: 25, handleMs: 25 * 180_000 }]]),
      spans: [
        { agentId: 1, status: 'available', startMs: ms('09:50') },
        { agentId: 2, status: 'on_call', startMs: ms('10:05') },
        { agentId: 2, status: 'break', startMs: ms('10:10') },
        { agentId: 1, status: 'offline', startMs: ms('10:20') },
        { agentId: 3, status: 'break', startMs: ms('10:00') },
      ],
      untilMs: ms('10:30'),
      slTargetSeconds: 20,
      slTargetPercent: 80,
    });
    expect(rows).toEqual([
      {
        intervalStart: '2026-11-02T10:00:00.000Z',
        offered: 25,
        ahtSeconds: 180,
        // 7 agents give 74.0 % within 20 s, 8 give 88.0 %.
        agentsNeeded: 8,
        // Agent 1 all 15 minutes, agent 2 five of them.
        agentsStaffed: 1.3,
        // One agent for 5 Erlangs cannot keep up.
        modelServiceLevelPercent: 0,
      },
      {
        intervalStart: '2026-11-02T10:15:00.000Z',
        offered: 0,
        ahtSeconds: 180,
        agentsNeeded: 0,
        agentsStaffed: 0.3,
        modelServiceLevelPercent: null,
      },
    ]);
  });

  it('asks 99.9 % of a 100 % target', () => {
    const [row] = staffingOf({
      intervals: [ms('10:00')],
      load: new Map([[ms('10:00'), { offered: 9, handled: 9, handleMs: 9 * 100_000 }]]),
      spans: [],
      untilMs: ms('10:15'),
      slTargetSeconds: 10,
      slTargetPercent: 100,
    });
    expect(row!.agentsNeeded).toBeGreaterThan(1);
  });
});
