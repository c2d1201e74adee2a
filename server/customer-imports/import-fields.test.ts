import { describe, expect, it } from 'vitest';
import { checkRow, proposeMapping } from './import-fields.js';

describe('proposeMapping', () => {
  it('maps English and Chinese headers, full-width and spaced alike, first match wins', () => {
    expect(proposeMapping(['客户姓名', 'ＥＭＡＩＬ', 'Phone Number', 'mobile', '公司', 'Notes'])).toEqual({
      name: 0,
      email: 1,
      phone: 2,
      company: 4,
    });
    expect(proposeMapping(['a', 'b'])).toEqual({});
  });
});

describe('checkRow', () => {
  const mapping = { name: 0, phone: 1, email: 2, tags: 3 };

  it('normalizes the phone to E.164 and splits tags on ASCII and Chinese separators', () => {
    expect(checkRow([' Ann ', '(415) 555-0101', '', 'vip；wholesale, vip'], mapping, 'US')).toEqual({
      row: {
        name: 'Ann',
        phone: '+14155550101',
        email: null,
        company: null,
        language: null,
        tags: ['vip', 'wholesale'],
      },
    });
  });

  it('gives one reason per bad field', () => {
    expect(checkRow(['', '12', 'x@', ''], mapping, 'US')).toEqual({
      errors: [
        { field: 'name', reason: 'is empty' },
        { field: 'phone', reason: 'is not a valid phone number' },
        { field: 'email', reason: 'is not a valid email address' },
      ],
    });
    expect(checkRow(['A\u0000', '+14155550101'], mapping, 'US')).toEqual({
      errors: [{ field: 'name', reason: 'holds a control character' }],
    });
  });
});
