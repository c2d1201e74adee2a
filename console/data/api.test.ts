import { describe, expect, it } from 'vitest';
import { ApiError, isAbortError, withQuery } from './api.js';

describe('withQuery', () => {
  it('appends defined values and leaves out null and undefined', () => {
    expect(
      withQuery('/api/interactions', { customerId: 4, limit: 20, offset: 0, outcome: undefined, to: null }),
    ).toBe('/api/interactions?customerId=4&limit=20&offset=0');
  });

  it('encodes search text and leaves a bare path alone', () => {
    expect(withQuery('/api/customers', { q: '+1 (415) 555-0123 & co' })).toBe(
      '/api/customers?q=%2B1+%28415%29+555-0123+%26+co',
    );
    expect(withQuery('/api/agents')).toBe('/api/agents');
    expect(withQuery('/api/agents', {})).toBe('/api/agents');
  });
});

describe('errors', () => {
  it('tells cancelled requests apart from failures', () => {
    expect(isAbortError(new DOMException('stopped', 'AbortError'))).toBe(true);
    expect(isAbortError(new ApiError(0, ''))).toBe(false);
    expect(isAbortError(new TypeError('Failed to fetch'))).toBe(false);
  });
});
