import { describe, expect, it } from 'vitest';
import { en, type MessageKey } from './en.js';
import {
  formatDateTime,
  formatDuration,
  formatRelative,
  interpolate,
  languageName,
  matchUiLanguage,
  placeholders,
} from './format.js';
import { zhCN } from './zh-CN.js';

/** Strings that are rightly the same in both languages: each language's own name. */
const SAME_IN_BOTH: readonly MessageKey[] = ['language.en', 'language.zh-CN'];

const keys = Object.keys(en) as MessageKey[];

describe('zh-CN dictionary', () => {
  it('has exactly the English keys', () => {
    expect(Object.keys(zhCN).sort()).toEqual([...keys].sort());
  });

  it.each(keys)('translates %s', (key) => {
    const translation = zhCN[key];
    expect(translation.trim()).not.toBe('');
    if (!SAME_IN_BOTH.includes(key)) expect(translation).not.toBe(en[key]);
  });

  it.each(keys)('keeps the placeholders of %s', (key) => {
    expect(placeholders(zhCN[key])).toEqual(placeholders(en[key]));
  });

  it('allowlists only strings that really are the same', () => {
    for (const key of SAME_IN_BOTH) expect(zhCN[key]).toBe(en[key]);
  });
});

describe('interpolate', () => {
  it('fills placeholders, repeatedly and in any order', () => {
    expect(interpolate('Showing {shown} of {total}', { shown: 20, total: 57 })).toBe('Showing 20 of 57');
    expect(interpolate('{a}-{b}-{a}', { a: 'x', b: 'y' })).toBe('x-y-x');
  });

  it('leaves unknown placeholders visible and text without parameters untouched', () => {
    expect(interpolate('Due {date}', {})).toBe('Due {date}');
    expect(interpolate('Due {date}')).toBe('Due {date}');
  });

  it('lists placeholders once each, sorted', () => {
    expect(placeholders('{to} of {total}, {to}')).toEqual(['to', 'total']);
    expect(placeholders('none')).toEqual([]);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0:00'],
    [5, '0:05'],
    [59, '0:59'],
    [60, '1:00'],
    [75, '1:15'],
    [599, '9:59'],
    [3600, '1:00:00'],
    [3725, '1:02:05'],
    [90061, '25:01:01'],
  ])('%i s is %s', (seconds, expected) => {
    expect(formatDuration(seconds)).toBe(expected);
  });

  it('rounds fractions and clamps negatives', () => {
    expect(formatDuration(74.6)).toBe('1:15');
    expect(formatDuration(-3)).toBe('0:00');
  });
});

describe('dates', () => {
  const iso = '2025-03-12T14:03:00Z';

  // ICU versions differ in which space they put before "PM"; the words and order are what matter.
  const spaced = (text: string) => text.replace(/\s/gu, ' ');

  it('formats date and time for each console language', () => {
    expect(spaced(formatDateTime(iso, 'en', 'UTC'))).toBe('Mar 12, 2025, 2:03 PM');
    expect(spaced(formatDateTime(iso, 'zh-CN', 'UTC'))).toBe('2025年3月12日 14:03');
  });

  it('says how long ago in words', () => {
    const now = new Date('2025-03-15T14:03:00Z');
    expect(formatRelative(iso, now, 'en')).toBe('3 days ago');
    expect(formatRelative(iso, now, 'zh-CN')).toBe('3天前');
    expect(formatRelative('2025-03-14T14:03:00Z', now, 'en')).toBe('yesterday');
    expect(formatRelative('2025-03-15T14:02:50Z', now, 'en')).toBe('this minute');
  });
});

describe('languages', () => {
  it('names customer languages in the viewer language, falling back to the tag', () => {
    expect(languageName('en-US', 'en')).toBe('American English');
    expect(languageName('zh-CN', 'zh-CN')).toBe('中文（中国）');
    expect(languageName('not a tag!', 'en')).toBe('not a tag!');
  });

  it('picks the console language from the browser preferences', () => {
    expect(matchUiLanguage(['zh-TW', 'en'])).toBe('zh-CN');
    expect(matchUiLanguage(['fr-FR', 'en-GB'])).toBe('en');
    expect(matchUiLanguage(['fr-FR'])).toBe('en');
    expect(matchUiLanguage([])).toBe('en');
  });
});
