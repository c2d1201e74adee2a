/** Hourly report rows folded onto a week: the heatmap's cells. Pure, so it is unit-tested. */
import type { ReportRow } from '../../server/reports/reports.schemas.js';
import { weekdayOf } from './zoned-time.js';

export interface HeatCell {
  offered: number;
  /** Null when no call counts towards service level in this hour of the week. */
  serviceLevelPercent: number | null;
}

/** Local wall clock of a `periodLabel` such as 2026-03-08T03:00:00-07:00. */
const LABEL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):/;

/**
 * 7 × 24 cells, Monday first, by the local hour each period started in. Service level is summed before
 * dividing (within target ÷ (offered − short abandons)), as the report defines it, not averaged.
 */
export function hourOfWeek(rows: readonly ReportRow[]): HeatCell[][] {
  const sums = Array.from({ length: 7 }, () =>
    Array.from({ length: 24 }, () => ({ offered: 0, within: 0, base: 0 })),
  );
  for (const row of rows) {
    const match = LABEL.exec(row.periodLabel ?? '');
    if (!match) continue;
    const weekday = weekdayOf(Number(match[1]), Number(match[2]), Number(match[3]));
    const cell = sums[weekday]?.[Number(match[4])];
    if (!cell) continue;
    cell.offered += row.metrics.offered;
    cell.within += row.metrics.answeredWithinTarget;
    cell.base += row.metrics.offered - row.metrics.shortAbandoned;
  }
  return sums.map((day) =>
    day.map(({ offered, within, base }) => ({
      offered,
      serviceLevelPercent: base > 0 ? (100 * within) / base : null,
    })),
  );
}
