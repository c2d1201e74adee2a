import { describe, expect, it } from 'vitest';
import { piecesOf, tablesFor } from './rollup-tables.js';
import { periodsOf } from './time-periods.js';

const s = (iso: string) => Date.parse(iso) / 1000;
const pieces = (from: string, to: string, columns: Parameters<typeof tablesFor>[0] = []) =>
  piecesOf([[s(from), s(to)]], tablesFor(columns)).map((p) => [
    p.table.name,
    new Date(p.start * 1000).toISOString().slice(5, 16),
    new Date(p.end * 1000).toISOString().slice(5, 16),
  ]);

describe('rollup tables', () => {
  it('takes the coarsest table having every column asked for', () => {
    expect(tablesFor([]).map((t) => t.name)).toEqual([
      'report_rollups_daily',
      'report_rollups_hourly',
      'report_rollups',
    ]);
    expect(tablesFor(['agent_id', 'queue_id']).map((t) => t.name)).toEqual([
      'report_agent_rollups_daily',
      'report_agent_rollups_hourly',
      'report_rollups',
    ]);
    expect(tablesFor(['agent_id', 'tier']).map((t) => t.name)).toEqual(['report_rollups']);
    expect(tablesFor(['wrap_up_code_id', 'tier']).map((t) => t.name)).toEqual([
      'report_code_rollups_daily',
      'report_code_rollups_hourly',
      'report_rollups',
    ]);
    expect(tablesFor(['wrap_up_code_id', 'agent_id']).map((t) => t.name)).toEqual(['report_rollups']);
    // Filtered on a queue, its 15-minute buckets come from the table keyed by queue first.
    expect(tablesFor(['queue_id', 'tier'], ['queue_id']).map((t) => t.name)).toEqual([
      'report_rollups_daily',
      'report_rollups_hourly',
      'report_queue_rollups',
    ]);
    expect(tablesFor(['queue_id']).map((t) => t.name)).toEqual([
      'report_rollups_daily',
      'report_rollups_hourly',
      'report_rollups',
    ]);
  });

  it('cuts a Kolkata day into quarter hours, hours and a UTC day', () => {
    // 3 November in Asia/Kolkata: 2 Nov 18:30 to 3 Nov 18:30 UTC.
    expect(pieces('2026-11-02T18:30:00Z', '2026-11-04T18:30:00Z')).toEqual([
      ['report_rollups', '11-02T18:30', '11-02T19:00'],
      ['report_rollups_hourly', '11-02T19:00', '11-03T00:00'],
      ['report_rollups_daily', '11-03T00:00', '11-04T00:00'],
      ['report_rollups_hourly', '11-04T00:00', '11-04T18:00'],
      ['report_rollups', '11-04T18:00', '11-04T18:30'],
    ]);
  });

  it('cuts a 25-hour London day into hours and a UTC day, and a short range into quarter hours', () => {
    // 25 October in Europe/London: from midnight BST (24 Oct 23:00 UTC) to midnight GMT.
    expect(pieces('2026-10-24T23:00:00Z', '2026-10-26T00:00:00Z')).toEqual([
      ['report_rollups_hourly', '10-24T23:00', '10-25T00:00'],
      ['report_rollups_daily', '10-25T00:00', '10-26T00:00'],
    ]);
    expect(pieces('2026-10-25T10:15:00Z', '2026-10-25T10:45:00Z')).toEqual([
      ['report_rollups', '10-25T10:15', '10-25T10:45'],
    ]);
  });

  it('covers each period exactly once, in order', () => {
    const periods: [number, number][] = periodsOf(
      'week',
      Date.parse('2026-09-28T00:00:00Z'),
      Date.parse('2026-11-30T00:00:00Z'),
      'America/New_York',
    ).map((p) => [p.startMs / 1000, p.endMs / 1000]);
    const cut = piecesOf(periods, tablesFor(['queue_id']));
    periods.forEach(([start, end], period) => {
      const mine = cut.filter((p) => p.period === period);
      expect(mine[0]!.start).toBe(start);
      expect(mine.at(-1)!.end).toBe(end);
      mine.slice(1).forEach((p, n) => expect(p.start).toBe(mine[n]!.end));
      for (const p of mine) expect([p.start % p.table.seconds, p.end % p.table.seconds]).toEqual([0, 0]);
    });
  });
});
