import { describe, expect, it } from 'vitest';
import { qualifies } from './qualification.js';

describe('qualifies', () => {
  const billing4 = [{ skill: 'billing', proficiency: 4 }];
  it('needs every required skill at or above its proficiency', () => {
    expect(qualifies(billing4, [{ skill: 'billing', minProficiency: 4 }])).toBe(true);
    expect(qualifies(billing4, [{ skill: 'billing', minProficiency: 5 }])).toBe(false);
    expect(
      qualifies(billing4, [
        { skill: 'billing', minProficiency: 1 },
        { skill: 'french', minProficiency: 1 },
      ]),
    ).toBe(false);
  });
  it('lets anyone take a queue that requires no skill', () => {
    expect(qualifies([], [])).toBe(true);
  });
});
