import { describe, expect, it } from 'vitest';
import type { DrillItem } from './reports.schemas.js';
import { interactionColumns } from './export.js';
import { localIso } from './time-periods.js';

describe('the interactions export', () => {
  it('writes arrival times as localIso does, across DST changes and in quarter- and half-hour zones', () => {
    for (const timeZone of [
      'UTC',
      'America/New_York',
      'Europe/Paris',
      'Asia/Kolkata',
      'Australia/Lord_Howe',
      'Pacific/Chatham',
    ]) {
      const arrivedAt = interactionColumns(timeZone).find((column) => column.header === 'arrivedAt')!;
      const wrong: string[] = [];
      // Every 7 min 13 s through a year, in order as the drill-down reads them.
      for (
        let at = Date.parse('2026-01-01T00:00:00Z');
        at < Date.parse('2027-01-01T00:00:00Z');
        at += 433_000
      ) {
        const row = { arrivedAt: new Date(at).toISOString() } as DrillItem;
        if (arrivedAt.cell(row) !== localIso(at, timeZone)) wrong.push(row.arrivedAt);
      }
      expect(wrong, timeZone).toEqual([]);
    }
  });
});
