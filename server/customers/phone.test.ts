import { describe, expect, it } from 'vitest';
import { displayPhone, normalizePhone, phoneSearchDigits } from './phone.js';

describe('normalizePhone', () => {
  it.each([
    ['(415) 555-0123', '+14155550123'],
    ['415.555.0123', '+14155550123'],
    ['+1 415 555 0123', '+14155550123'],
    ['1-415-555-0123', '+14155550123'],
    ['+86 138 0013 8000', '+8613800138000'],
    ['0086 138 0013 8000', '+8613800138000'],
    ['8613800138000', '+8613800138000'],
    ['+44 7911 123456', '+447911123456'],
  ])('reads %s as %s with region US', (input, expected) => {
    expect(normalizePhone(input, 'US')).toBe(expected);
  });

  it('uses the default region for national forms', () => {
    expect(normalizePhone('138 0013 8000', 'CN')).toBe('+8613800138000');
    expect(normalizePhone('07911 123456', 'GB')).toBe('+447911123456');
  });

  it.each(['555-0123', 'abc', '', '12', "1' OR '1'='1", '+1 415 555 01234567'])('rejects %j', (input) => {
    expect(normalizePhone(input, 'US')).toBeNull();
  });
});

describe('display and search forms', () => {
  it('formats nationally', () => {
    expect(displayPhone('+14155550123')).toBe('(415) 555-0123');
    expect(displayPhone('+8613800138000')).toBe('138 0013 8000');
  });

  it('keeps the trunk-prefixed national digits searchable', () => {
    expect(phoneSearchDigits('+447911123456')).toBe('447911123456 07911123456');
    expect(phoneSearchDigits('+14155550123')).toBe('14155550123');
  });
});
