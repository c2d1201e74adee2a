import { describe, expect, it } from 'vitest';
import type { ScreenPop } from '../../contracts/customer.js';
import { DeskCommandError } from '../data/desk.data.js';
import { en } from '../i18n/en.js';
import { interpolate } from '../i18n/format.js';
import { zhCN } from '../i18n/zh-CN.js';
import {
  breakReasonMessage,
  callerLabel,
  deskErrorMessage,
  settableStatus,
  unknownCallerLinks,
} from './desk-view.js';

describe('statuses', () => {
  it('lets the picker show only the statuses an agent can pick', () => {
    expect(settableStatus('available')).toBe('available');
    expect(settableStatus('break')).toBe('break');
    expect(settableStatus('offline')).toBe('offline');
    expect(settableStatus('reserved')).toBeNull();
    expect(settableStatus('on_call')).toBeNull();
    expect(settableStatus('wrap_up')).toBeNull();
  });

  it('names a missed call and known reasons in our words, and others as configured', () => {
    expect(breakReasonMessage('rona')).toEqual({ key: 'breakReason.rona' });
    expect(breakReasonMessage('lunch')).toEqual({ key: 'breakReason.lunch' });
    expect(breakReasonMessage('team_meeting')).toEqual({ text: 'Team meeting' });
  });
});

describe('callers', () => {
  const pop = (overrides: Partial<ScreenPop>): ScreenPop => ({
    callerNumber: '+14155550123',
    customer: null,
    recentInteractions: [],
    openFollowUps: [],
    lastSurvey: null,
    ...overrides,
  });

  it('names the customer, else the number, else nothing for a withheld number', () => {
    const customer = { name: 'Olivia Carter' } as ScreenPop['customer'];
    expect(callerLabel({ pop: pop({ customer }) })).toBe('Olivia Carter');
    expect(callerLabel({ pop: pop({}) })).toBe('+14155550123');
    expect(callerLabel({ pop: pop({ callerNumber: null }) })).toBeNull();
  });

  it('links an unknown caller to a prefilled create form and a search for the number', () => {
    expect(unknownCallerLinks('+14155550123')).toEqual({
      create: '/customers/new?phone=%2B14155550123',
      search: '/customers?q=%2B14155550123',
    });
    expect(unknownCallerLinks(null)).toEqual({ create: '/customers/new', search: '/customers' });
  });
});

describe('command errors', () => {
  it('shows the server’s reason as written and explains timeouts and lost connections', () => {
    expect(deskErrorMessage(new DeskCommandError('refused', 'This offer has expired'))).toEqual({
      text: 'This offer has expired',
    });
    expect(deskErrorMessage(new DeskCommandError('timeout'))).toEqual({ key: 'desk.error.timeout' });
    expect(deskErrorMessage(new DeskCommandError('offline'))).toEqual({ key: 'desk.error.offline' });
  });

  it('says a coded refusal in the console’s words, in English and Chinese, with the server’s params', () => {
    const refusal = new DeskCommandError('refused', 'Unknown break reason "karaoke"', {
      code: 'unknown_break_reason',
      params: { reason: 'karaoke' },
    });
    const message = deskErrorMessage(refusal);
    expect(message).toEqual({
      key: 'error.code.unknown_break_reason',
      params: { reason: 'karaoke', detail: 'Unknown break reason "karaoke"' },
    });
    if (!('key' in message)) throw new Error('expected a key');
    expect(interpolate(en[message.key], message.params)).toBe('There is no break reason “karaoke”.');
    expect(interpolate(zhCN[message.key], message.params)).toBe('没有“karaoke”这个休息原因。');
    // A code the console has no words for (a newer server's) shows the server's text as written.
    const newer = new DeskCommandError('refused', 'Queue is frozen', {
      code: 'queue_frozen' as never,
    });
    expect(deskErrorMessage(newer)).toEqual({ text: 'Queue is frozen' });
  });
});
