import { describe, expect, it } from 'vitest';
import type { ReportRow } from '../../server/reports/reports.schemas.js';
import {
  defaultForm,
  drillQuery,
  formToSearch,
  periodEnd,
  presetRange,
  searchToForm,
  summaryQuery,
  type ReportForm,
} from './report-query.js';

const at = (iso: string) => Date.parse(iso);
const range = (form: Partial<ReportForm>, now: string) =>
  presetRange({ ...defaultForm('UTC'), ...form }, at(now));

describe('presetRange', () => {
  it('gives local days in the zone, on quarter hours', () => {
    // 23:30 UTC on 9 March is already 10 March in Kolkata (+05:30).
    expect(range({ preset: 'today', timeZone: 'Asia/Kolkata' }, '2026-03-09T23:30:00Z')).toEqual({
      from: '2026-03-09T18:30:00.000Z',
      to: '2026-03-10T18:30:00.000Z',
    });
    expect(range({ preset: 'yesterday', timeZone: 'America/New_York' }, '2026-03-10T12:00:00Z')).toEqual({
      from: '2026-03-09T04:00:00.000Z',
      to: '2026-03-10T04:00:00.000Z',
    });
  });

  it('keeps DST days 23 or 25 hours long', () => {
    const spring = range({ preset: 'today', timeZone: 'America/Los_Angeles' }, '2026-03-08T20:00:00Z')!;
    expect(spring).toEqual({ from: '2026-03-08T08:00:00.000Z', to: '2026-03-09T07:00:00.000Z' });
    const fall = range({ preset: 'today', timeZone: 'Europe/Berlin' }, '2026-10-25T12:00:00Z')!;
    expect(at(fall.to) - at(fall.from)).toBe(25 * 3600_000);
  });

  it('starts weeks on Monday and covers last 7 / 30 days up to the end of today', () => {
    // Wednesday 11 March 2026.
    expect(range({ preset: 'thisWeek' }, '2026-03-11T10:00:00Z')).toEqual({
      from: '2026-03-09T00:00:00.000Z',
      to: '2026-03-16T00:00:00.000Z',
    });
    expect(range({ preset: 'last7' }, '2026-03-11T10:00:00Z')).toEqual({
      from: '2026-03-05T00:00:00.000Z',
      to: '2026-03-12T00:00:00.000Z',
    });
    expect(range({ preset: 'last30' }, '2026-03-11T10:00:00Z')!.from).toBe('2026-02-10T00:00:00.000Z');
  });

  it('takes last month across a year end, and a custom range with both days included', () => {
    expect(range({ preset: 'lastMonth', timeZone: 'Asia/Tokyo' }, '2026-01-15T00:00:00Z')).toEqual({
      from: '2025-11-30T15:00:00.000Z',
      to: '2025-12-31T15:00:00.000Z',
    });
    expect(
      range({ preset: 'custom', fromDay: '2026-02-01', toDay: '2026-02-01' }, '2026-03-01T00:00:00Z'),
    ).toEqual({
      from: '2026-02-01T00:00:00.000Z',
      to: '2026-02-02T00:00:00.000Z',
    });
    expect(range({ preset: 'custom', fromDay: '2026-02-01', toDay: '' }, '2026-03-01T00:00:00Z')).toBeNull();
    expect(
      range({ preset: 'custom', fromDay: '2026-02-05', toDay: '2026-02-01' }, '2026-03-01T00:00:00Z'),
    ).toBeNull();
  });
});

describe('query building', () => {
  const form: ReportForm = {
    ...defaultForm('Asia/Kolkata'),
    preset: 'custom',
    fromDay: '2026-03-01',
    toDay: '2026-03-31',
    grouping: 'day',
    filters: { ...defaultForm('UTC').filters, queueId: '2', tier: 'gold', lifecycleStage: 'at_risk' },
  };

  it('sends the range, zone, filled filters and an interval or a group', () => {
    expect(summaryQuery(form, 0)).toEqual({
      from: '2026-02-28T18:30:00.000Z',
      to: '2026-03-31T18:30:00.000Z',
      timeZone: 'Asia/Kolkata',
      queueId: '2',
      tier: 'gold',
      lifecycleStage: 'at_risk',
      interval: 'day',
    });
    expect(summaryQuery({ ...form, grouping: 'agent' }, 0)).toMatchObject({ by: 'agent' });
    expect(summaryQuery({ ...form, grouping: 'agent' }, 0)).not.toHaveProperty('interval');
  });

  it('round-trips the form through the address, and drops junk', () => {
    expect(searchToForm(formToSearch(form), 'UTC')).toEqual(form);
    const junk = searchToForm(
      'preset=ever&timeZone=Mars%2FOlympus&queueId=x&tier=tin&lifecycleStage=gone&group=year',
      'UTC',
    );
    expect(junk).toEqual(defaultForm('UTC'));
  });

  it('narrows a drill-down to the row period and its group, within the range', () => {
    const summary = summaryQuery(form, 0)!;
    const row: ReportRow = {
      periodStart: '2026-03-01T18:30:00.000Z',
      periodLabel: '2026-03-02T00:00:00+05:30',
      group: null,
      metrics: {} as ReportRow['metrics'],
    };
    expect(drillQuery(summary, 'abandoned', row)).toEqual({
      from: '2026-03-01T18:30:00.000Z',
      to: '2026-03-02T18:30:00.000Z',
      timeZone: 'Asia/Kolkata',
      queueId: '2',
      tier: 'gold',
      lifecycleStage: 'at_risk',
      metric: 'abandoned',
    });
    const byAgent = summaryQuery({ ...form, grouping: 'agent' }, 0)!;
    const agentRow = { ...row, periodStart: null, group: { id: 7, name: 'Ana' } };
    expect(drillQuery(byAgent, 'answered', agentRow)).toMatchObject({ agentId: '7', from: summary.from });
    expect(drillQuery(byAgent, 'answered', { ...agentRow, group: { id: null, name: null } })).toBeNull();
    expect(drillQuery(byAgent, 'offered')).not.toHaveProperty('by');
    const byStage = summaryQuery({ ...form, grouping: 'lifecycle' }, 0)!;
    expect(
      drillQuery(byStage, 'answered', { ...agentRow, group: { id: 'won_back', name: 'won_back' } }),
    ).toMatchObject({ lifecycleStage: 'won_back' });
  });

  it('ends months and weeks on the zone calendar', () => {
    expect(new Date(periodEnd('2026-02-28T18:30:00.000Z', 'month', 'Asia/Kolkata')).toISOString()).toBe(
      '2026-03-31T18:30:00.000Z',
    );
    expect(new Date(periodEnd('2026-03-02T08:00:00.000Z', 'week', 'America/Los_Angeles')).toISOString()).toBe(
      '2026-03-09T07:00:00.000Z',
    );
  });
});
