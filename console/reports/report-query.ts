/**
 * The Reports page's form as API queries, and back from the address bar. Pure, so it is unit-tested;
 * the same query string drives the JSON routes, the CSV links and the drill-down page.
 */
import type { ReportRow } from '../../server/reports/reports.schemas.js';
import { LIFECYCLE_STAGES, TIERS } from '../data/vocabulary.js';
import {
  floorToQuarterHour,
  instantOf,
  isTimeZone,
  startOfDay,
  wallClockAt,
  weekdayOf,
} from './zoned-time.js';

export const PRESETS = ['today', 'yesterday', 'thisWeek', 'last7', 'last30', 'lastMonth', 'custom'] as const;
export type Preset = (typeof PRESETS)[number];

export const INTERVALS = ['15min', 'hour', 'day', 'week', 'month'] as const;
export type Interval = (typeof INTERVALS)[number];
export const GROUPS = ['queue', 'agent', 'tier', 'lifecycle', 'code'] as const;
export type Group = (typeof GROUPS)[number];
/** A row is a local period or a group. */
export type Grouping = Interval | Group;
export const GROUPINGS: readonly Grouping[] = [...INTERVALS, ...GROUPS];

export const PROVIDERS = ['twilio', 'sip', 'demo'] as const;
export const DIRECTIONS = ['inbound', 'outbound'] as const;

/** The filters the report routes share; '' means all. */
export const FILTER_NAMES = [
  'queueId',
  'agentId',
  'tier',
  'lifecycleStage',
  'wrapUpCodeId',
  'provider',
  'direction',
  'segmentId',
] as const;
export type FilterName = (typeof FILTER_NAMES)[number];

export interface ReportForm {
  preset: Preset;
  /** Custom range as `<input type="date">` values, both days included. */
  fromDay: string;
  toDay: string;
  timeZone: string;
  grouping: Grouping;
  filters: Record<FilterName, string>;
}

/** What the report routes take, as query-string values. */
export type ApiQuery = Record<string, string>;

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function defaultForm(timeZone: string): ReportForm {
  return {
    preset: 'today',
    fromDay: '',
    toDay: '',
    timeZone,
    grouping: 'hour',
    filters: {
      queueId: '',
      agentId: '',
      tier: '',
      lifecycleStage: '',
      wrapUpCodeId: '',
      provider: '',
      direction: '',
      segmentId: '',
    },
  };
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function dayStart(value: string, timeZone: string, addDays: number): number | null {
  const match = DAY.exec(value);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return instantOf({ year, month, day: day + addDays, hour: 0, minute: 0 }, timeZone);
}

/**
 * The preset's range in `timeZone`: `from` inclusive, `to` exclusive, both local midnights on quarter
 * hours. Day presets end at the end of today; weeks start on Monday. Null for an incomplete custom range.
 */
export function presetRange(
  form: Pick<ReportForm, 'preset' | 'fromDay' | 'toDay' | 'timeZone'>,
  now: number,
): { from: string; to: string } | null {
  const zone = form.timeZone;
  const today = startOfDay(now, zone);
  const tomorrow = startOfDay(now, zone, 1);
  let from: number | null;
  let to: number | null;
  switch (form.preset) {
    case 'today':
      [from, to] = [today, tomorrow];
      break;
    case 'yesterday':
      [from, to] = [startOfDay(now, zone, -1), today];
      break;
    case 'thisWeek': {
      const wall = wallClockAt(now, zone);
      const monday = startOfDay(now, zone, -weekdayOf(wall.year, wall.month, wall.day));
      [from, to] = [monday, startOfDay(monday, zone, 7)];
      break;
    }
    case 'last7':
      [from, to] = [startOfDay(now, zone, -6), tomorrow];
      break;
    case 'last30':
      [from, to] = [startOfDay(now, zone, -29), tomorrow];
      break;
    case 'lastMonth': {
      const wall = wallClockAt(now, zone);
      from = instantOf({ year: wall.year, month: wall.month - 1, day: 1, hour: 0, minute: 0 }, zone);
      to = instantOf({ year: wall.year, month: wall.month, day: 1, hour: 0, minute: 0 }, zone);
      break;
    }
    case 'custom':
      from = dayStart(form.fromDay, zone, 0);
      to = dayStart(form.toDay, zone, 1);
      break;
  }
  if (from === null || to === null || from >= to) return null;
  return {
    from: new Date(floorToQuarterHour(from)).toISOString(),
    to: new Date(floorToQuarterHour(to)).toISOString(),
  };
}

/** The filters as API parameters, left out when empty. */
export function filterQuery(filters: Record<FilterName, string>): ApiQuery {
  const query: ApiQuery = {};
  for (const name of FILTER_NAMES) if (filters[name] !== '') query[name] = filters[name];
  return query;
}

/** The `/api/reports/summary` query of the form, or null while the custom range is incomplete. */
export function summaryQuery(form: ReportForm, now: number): ApiQuery | null {
  const range = presetRange(form, now);
  if (!range) return null;
  const grouping = (GROUPS as readonly string[]).includes(form.grouping) ? 'by' : 'interval';
  return { ...range, timeZone: form.timeZone, ...filterQuery(form.filters), [grouping]: form.grouping };
}

const pick = <T extends string>(list: readonly T[], value: string | null, fallback: T): T =>
  (list as readonly string[]).includes(value ?? '') ? (value as T) : fallback;

/** The form as the page's address, so a report can be bookmarked and shared. */
export function formToSearch(form: ReportForm): string {
  const params = new URLSearchParams({ preset: form.preset, timeZone: form.timeZone, group: form.grouping });
  if (form.preset === 'custom') {
    params.set('fromDay', form.fromDay);
    params.set('toDay', form.toDay);
  }
  for (const [name, value] of Object.entries(filterQuery(form.filters))) params.set(name, value);
  return params.toString();
}

/** The form from an address; anything unknown falls back to the defaults. */
export function searchToForm(search: string, timeZone: string): ReportForm {
  const params = new URLSearchParams(search);
  const form = defaultForm(timeZone);
  const zone = params.get('timeZone');
  const day = (name: string) => (DAY.test(params.get(name) ?? '') ? (params.get(name) ?? '') : '');
  const id = (name: string) =>
    /^[1-9]\d{0,15}$/.test(params.get(name) ?? '') ? (params.get(name) ?? '') : '';
  const oneOf = (list: readonly string[], name: string) => pick(list, params.get(name), '');
  return {
    preset: pick(PRESETS, params.get('preset'), form.preset),
    fromDay: day('fromDay'),
    toDay: day('toDay'),
    timeZone: zone && isTimeZone(zone) ? zone : timeZone,
    grouping: pick(GROUPINGS, params.get('group'), form.grouping),
    filters: {
      queueId: id('queueId'),
      agentId: id('agentId'),
      tier: oneOf(TIERS, 'tier'),
      lifecycleStage: oneOf(LIFECYCLE_STAGES, 'lifecycleStage'),
      wrapUpCodeId: id('wrapUpCodeId'),
      provider: oneOf(PROVIDERS, 'provider'),
      direction: oneOf(DIRECTIONS, 'direction'),
      segmentId: id('segmentId'),
    },
  };
}

const GROUP_FILTER: Record<Group, FilterName> = {
  queue: 'queueId',
  agent: 'agentId',
  tier: 'tier',
  lifecycle: 'lifecycleStage',
  code: 'wrapUpCodeId',
};

/** The end of the local period starting at `start`, exclusive. */
export function periodEnd(start: string, interval: Interval, timeZone: string): number {
  const ms = Date.parse(start);
  if (interval === '15min') return ms + 15 * 60_000;
  if (interval === 'hour') return ms + 60 * 60_000;
  const wall = wallClockAt(ms, timeZone);
  const next = { ...wall, hour: 0, minute: 0 };
  if (interval === 'day') next.day += 1;
  else if (interval === 'week') next.day += 7;
  else next.month += 1;
  return instantOf(next, timeZone);
}

/**
 * The query of the interactions behind one figure of `row` (or of the totals without a row): the
 * report's range narrowed to the row's period, and its group added as a filter. Null when the row's
 * group is "none" (no queue, unknown tier or stage…), which no filter can select.
 */
export function drillQuery(summary: ApiQuery, metric: string, row?: ReportRow): ApiQuery | null {
  const { interval, by, ...base } = summary;
  // A segment filters the summary only: the drill-down reads the rollups' contributions by key, which
  // have no customer (server/segments/README.md).
  if (base.segmentId) return null;
  const query: ApiQuery = { ...base, metric };
  if (!row) return query;
  if (row.periodStart && interval) {
    const end = periodEnd(row.periodStart, interval as Interval, base.timeZone ?? 'UTC');
    query.from = new Date(Math.max(Date.parse(row.periodStart), Date.parse(base.from ?? ''))).toISOString();
    query.to = new Date(Math.min(end, Date.parse(base.to ?? ''))).toISOString();
  }
  if (row.group && by) {
    if (row.group.id === null) return null;
    query[GROUP_FILTER[by as Group]] = String(row.group.id);
  }
  return query;
}

export function toSearch(query: ApiQuery): string {
  return new URLSearchParams(query).toString();
}
