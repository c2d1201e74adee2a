import { describe, expect, it } from 'vitest';
import { NO_FILTERS, toListQuery } from './interaction-filters.js';

describe('toListQuery', () => {
  it('sends only paging when nothing is filtered', () => {
    expect(toListQuery(NO_FILTERS, 0, 25)).toEqual({ offset: 0, limit: 25 });
  });

  it('turns select values into typed filters and ignores junk', () => {
    expect(toListQuery({ ...NO_FILTERS, queueId: '3', agentId: '12', outcome: 'abandoned' }, 50, 25)).toEqual(
      {
        offset: 50,
        limit: 25,
        queueId: 3,
        agentId: 12,
        outcome: 'abandoned',
      },
    );
    expect(toListQuery({ ...NO_FILTERS, queueId: 'x', agentId: '0', outcome: 'lost' }, 0, 25)).toEqual({
      offset: 0,
      limit: 25,
    });
  });

  it('covers whole local days from the start of "from" to the end of "to"', () => {
    const query = toListQuery({ ...NO_FILTERS, from: '2025-03-12', to: '2025-03-12' }, 0, 25);
    expect(query.from).toBe(new Date(2025, 2, 12).toISOString());
    expect(query.to).toBe(new Date(2025, 2, 12, 23, 59, 59, 999).toISOString());
  });
});
