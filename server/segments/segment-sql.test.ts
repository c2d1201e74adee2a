import { describe, expect, it } from 'vitest';
import { SegmentFilterError, compileSegmentFilter } from './segment-sql.js';
import type { SegmentFilter } from './segments.schemas.js';

const NOW = Date.parse('2026-11-22T10:00:00.000Z');
const DAY = 86_400_000;
const compile = (filter: SegmentFilter) => compileSegmentFilter(filter, NOW);
const refusal = (filter: unknown) => {
  try {
    compileSegmentFilter(filter as SegmentFilter, NOW);
  } catch (error) {
    expect(error).toBeInstanceOf(SegmentFilterError);
    return (error as SegmentFilterError).message;
  }
  throw new Error('compiled');
};

describe('compileSegmentFilter', () => {
  it('an empty filter is every customer not erased or merged', () => {
    expect(compile({})).toEqual({ where: 'c.erased_at IS NULL AND c.merged_into IS NULL', params: {} });
  });

  it('tiers and stages: any of the values, each a parameter', () => {
    const { where, params } = compile({ tiers: ['gold', 'platinum'], lifecycleStages: ['at_risk'] });
    expect(where).toBe(
      'c.erased_at IS NULL AND c.merged_into IS NULL AND (c.tier IN (@seg_tier0, @seg_tier1)) AND (c.lifecycle_stage IN (@seg_stage0))',
    );
    expect(params).toEqual({ seg_tier0: 'gold', seg_tier1: 'platinum', seg_stage0: 'at_risk' });
  });

  it('tags: values never enter the SQL text, whatever they hold', () => {
    const tag = "vip') OR 1=1 --";
    const { where, params } = compile({ tags: [tag, 'press'] });
    expect(where).not.toContain('vip');
    expect(where).toContain('json_each(c.tags) t WHERE t.value IN (@seg_tag0, @seg_tag1)');
    expect(params).toEqual({ seg_tag0: tag, seg_tag1: 'press' });
  });

  it('value: inclusive bounds on the score, either end alone', () => {
    expect(compile({ value: { min: 10, max: 20 } })).toMatchObject({
      params: { seg_valueMin: 10, seg_valueMax: 20 },
    });
    expect(compile({ value: { min: 10, max: 20 } }).where).toContain(
      'v.score >= @seg_valueMin AND v.score <= @seg_valueMax',
    );
    expect(compile({ value: { max: 5 } }).where).not.toContain('seg_valueMin');
    // A range of one value is allowed.
    expect(compile({ value: { min: 7, max: 7 } }).params).toEqual({ seg_valueMin: 7, seg_valueMax: 7 });
  });

  it('last contact: min days is "nothing since now − min days", max days is "something since now − (max + 1) days"', () => {
    const { where, params } = compile({ lastContactDays: { min: 30, max: 90 } });
    expect(params).toEqual({
      seg_contactBefore: new Date(NOW - 30 * DAY).toISOString(),
      seg_contactSince: new Date(NOW - 91 * DAY).toISOString(),
    });
    expect(where).toContain('c.id NOT IN (SELECT i.customer_id FROM interactions i');
    expect(where).toContain(
      'c.id IN (SELECT i.customer_id FROM interactions i WHERE i.arrived_at > @seg_contactSince)',
    );
    // Zero days: contacted today (max 0) or at any time before now (min 0).
    expect(compile({ lastContactDays: { max: 0 } }).params).toEqual({
      seg_contactSince: new Date(NOW - DAY).toISOString(),
    });
    expect(compile({ lastContactDays: { min: 0 } }).params).toEqual({
      seg_contactBefore: new Date(NOW).toISOString(),
    });
  });

  it('satisfaction: the latest answered survey score per customer', () => {
    const { where, params } = compile({ satisfaction: { min: 1, max: 2 } });
    expect(where).toContain('max(s.ended_at)');
    expect(where).toContain('score >= @seg_satisfactionMin AND score <= @seg_satisfactionMax');
    expect(params).toEqual({ seg_satisfactionMin: 1, seg_satisfactionMax: 2 });
  });

  it('fields combine with AND', () => {
    const { where } = compile({ tiers: ['gold'], value: { min: 1 }, satisfaction: { max: 3 } });
    expect(where.split(') AND (')).toHaveLength(3);
  });

  it('refuses a range whose min is above its max, naming the field', () => {
    expect(refusal({ value: { min: 5, max: 4 } })).toBe('filter.value: min (5) is above max (4)');
    expect(refusal({ lastContactDays: { min: 10, max: 9 } })).toMatch(/^filter\.lastContactDays: /);
    expect(refusal({ satisfaction: { min: 4, max: 2 } })).toMatch(/^filter\.satisfaction: /);
  });

  it('refuses an empty range', () => {
    expect(refusal({ value: {} })).toBe('filter.value: give min, max or both');
  });

  it('refuses a field it has no entry for, naming it', () => {
    expect(refusal({ tiers: ['gold'], favouriteColour: ['red'] })).toBe(
      'filter.favouriteColour: not a segment filter field',
    );
  });

  it('churn risk: inclusive bounds on the lifecycle churn score', () => {
    expect(compile({ churnRisk: { min: 60 } })).toEqual({
      where:
        'c.erased_at IS NULL AND c.merged_into IS NULL AND (c.id IN (SELECT l.customer_id FROM customer_lifecycle l WHERE l.churn_score >= @seg_churnRiskMin))',
      params: { seg_churnRiskMin: 60 },
    });
    expect(refusal({ churnRisk: { min: 90, max: 10 } })).toMatch(/min \(90\) is above max/);
  });
});
