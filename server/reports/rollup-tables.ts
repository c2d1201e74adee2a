/**
 * The rollup tables and how a report's periods are cut into pieces each table can answer. The
 * 15-minute table has every dimension; coarser tables drop the agent and wrap-up code (per queue), the
 * agent and stage (per code) or the tier, stage and code (per agent), so that a year sums thousands of
 * rows instead of one per call.
 */
import { BUCKET_SECONDS, KEY_COLUMNS, type KeyColumn } from './rollups.js';

export interface RollupTable {
  name: string;
  /** Bucket length in seconds; buckets start on multiples of it (UTC). */
  seconds: number;
  /** Its key, `bucket_start` first. */
  keys: readonly KeyColumn[];
  /** The finer table its maximum (`wait_max_ms`) is taken again from when a correction may lower it. */
  finer: string;
  /**
   * A table keyed first by this column, read only by queries that filter on it: it then wins over
   * the other tables of its bucket length, as the filter reads one contiguous run of its rows.
   */
  filteredBy?: KeyColumn;
}

const HOUR = 3600;
const DAY = 86_400;
const PER_QUEUE: readonly KeyColumn[] = [
  'bucket_start',
  'queue_id',
  'tier',
  'lifecycle_stage',
  'direction',
  'provider',
];
const PER_AGENT: readonly KeyColumn[] = ['bucket_start', 'agent_id', 'queue_id', 'direction', 'provider'];
const PER_CODE: readonly KeyColumn[] = [
  'bucket_start',
  'wrap_up_code_id',
  'queue_id',
  'tier',
  'direction',
  'provider',
];

/**
 * Finest first: each table's maximum is recomputed from one listed before it. Among tables of one
 * bucket length the planner takes the first that has the columns, so the per-queue tables (fewer
 * rows) come before the per-agent ones.
 */
export const ROLLUP_TABLES: readonly RollupTable[] = [
  { name: 'report_rollups', seconds: BUCKET_SECONDS, keys: KEY_COLUMNS, finer: 'report_contributions' },
  { name: 'report_rollups_hourly', seconds: HOUR, keys: PER_QUEUE, finer: 'report_rollups' },
  {
    name: 'report_queue_rollups',
    seconds: BUCKET_SECONDS,
    keys: PER_QUEUE,
    finer: 'report_rollups',
    filteredBy: 'queue_id',
  },
  { name: 'report_code_rollups_hourly', seconds: HOUR, keys: PER_CODE, finer: 'report_rollups' },
  { name: 'report_agent_rollups_hourly', seconds: HOUR, keys: PER_AGENT, finer: 'report_rollups' },
  { name: 'report_rollups_daily', seconds: DAY, keys: PER_QUEUE, finer: 'report_rollups_hourly' },
  { name: 'report_code_rollups_daily', seconds: DAY, keys: PER_CODE, finer: 'report_code_rollups_hourly' },
  {
    name: 'report_agent_rollups_daily',
    seconds: DAY,
    keys: PER_AGENT,
    finer: 'report_agent_rollups_hourly',
  },
];

/** A part of period `period` that `table` answers: buckets in [start, end), both multiples of its length. */
export interface Piece {
  table: RollupTable;
  start: number;
  end: number;
  period: number;
}

/**
 * For each bucket length, the table of that length holding every column in `columns` (those the query
 * filters on among them): one keyed first by a filtered column, else the first listed; longest first.
 */
export function tablesFor(columns: readonly KeyColumn[], filtered: readonly KeyColumn[] = []): RollupTable[] {
  const chosen = new Map<number, RollupTable>();
  const holds = (table: RollupTable) => columns.every((c) => table.keys.includes(c));
  for (const table of ROLLUP_TABLES)
    if (table.filteredBy && filtered.includes(table.filteredBy) && holds(table))
      chosen.set(table.seconds, table);
  for (const table of ROLLUP_TABLES)
    if (!table.filteredBy && !chosen.has(table.seconds) && holds(table)) chosen.set(table.seconds, table);
  return [...chosen.values()].sort((a, b) => b.seconds - a.seconds);
}

/**
 * Cuts each period (unix seconds, [start, end), on quarter hours) into pieces: the longest buckets
 * that fit wholly inside it, shorter ones for the edges. A local week in Asia/Kolkata (Sunday 18:30
 * to Sunday 18:30 UTC) is half an hour of 15-minute buckets, 5 hours, 6 UTC days, 18 hours and half an
 * hour again; a 25-hour DST day in London is an hour and a UTC day. Each bucket is read once, so the
 * sums equal the 15-minute table's exactly.
 */
export function piecesOf(periods: readonly [number, number][], tables: readonly RollupTable[]): Piece[] {
  const pieces: Piece[] = [];
  const cut = (start: number, end: number, level: number, period: number) => {
    if (start >= end) return;
    const table = tables[level]!;
    if (level === tables.length - 1) {
      pieces.push({ table, start, end, period });
      return;
    }
    const first = Math.ceil(start / table.seconds) * table.seconds;
    const last = Math.floor(end / table.seconds) * table.seconds;
    if (first >= last) {
      cut(start, end, level + 1, period);
      return;
    }
    cut(start, first, level + 1, period);
    pieces.push({ table, start: first, end: last, period });
    cut(last, end, level + 1, period);
  };
  periods.forEach(([start, end], period) => cut(start, end, 0, period));
  return pieces;
}
