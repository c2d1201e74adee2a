import { describe, expect, it } from 'vitest';
import type { ReportRow } from '../../server/reports/reports.schemas.js';
import { hourOfWeek } from './hour-of-week.js';

const row = (label: string, offered: number, within: number, short = 0): ReportRow => ({
  periodStart: null,
  periodLabel: label,
  group: null,
  metrics: { offered, answeredWithinTarget: within, shortAbandoned: short } as ReportRow['metrics'],
});

describe('hourOfWeek', () => {
  it('folds hours onto local weekday and hour, summing before taking service level', () => {
    const cells = hourOfWeek([
      // Mondays 9 and 16 March 2026, 10:00 local.
      row('2026-03-09T10:00:00+05:30', 10, 8),
      row('2026-03-16T10:00:00+05:30', 12, 6, 2),
      // Sunday 15 March, 23:00.
      row('2026-03-15T23:00:00-07:00', 1, 0),
    ]);
    expect(cells[0]![10]).toEqual({ offered: 22, serviceLevelPercent: 70 });
    expect(cells[6]![23]).toEqual({ offered: 1, serviceLevelPercent: 0 });
    expect(cells[3]![3]).toEqual({ offered: 0, serviceLevelPercent: null });
  });
});
