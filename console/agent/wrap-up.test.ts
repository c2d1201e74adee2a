import { describe, expect, it } from 'vitest';
import type { WrapUpCode } from '../../contracts/call-queue.js';
import {
  EMPTY_DRAFT,
  needsCallbackTime,
  parseLocalDateTime,
  toLocalDateTime,
  validateWrapUp,
  type WrapUpContext,
  type WrapUpDraft,
} from './wrap-up.js';

function code(id: number, overrides: Partial<WrapUpCode> = {}): WrapUpCode {
  return {
    id,
    setId: 1,
    setName: 'Support',
    code: `CODE_${id}`,
    label: `Code ${id}`,
    action: 'none',
    actionLifecycleStage: null,
    followUp: null,
    active: true,
    ...overrides,
  };
}

const resolved = code(1, { label: 'Resolved' });
const callback = code(2, { label: 'Call back', action: 'schedule_callback' });
const retired = code(3, { active: false });

// Local wall-clock times, as the datetime-local control gives them, whatever zone the test runs in.
const now = new Date(2026, 10, 22, 10, 0);
const context = (overrides: Partial<WrapUpContext> = {}): WrapUpContext => ({
  interactionId: 42,
  codes: [resolved, callback, retired],
  codeRequired: true,
  now,
  ...overrides,
});
const draft = (overrides: Partial<WrapUpDraft>): WrapUpDraft => ({ ...EMPTY_DRAFT, ...overrides });

describe('wrap-up validation', () => {
  it('sends the code and trimmed notes', () => {
    expect(validateWrapUp(draft({ codeId: 1, notes: '  Reset the router.  ' }), context())).toEqual({
      ok: true,
      payload: { interactionId: 42, wrapUpCodeId: 1, notes: 'Reset the router.' },
    });
  });

  it('requires a code when the queue does, and sends none when it does not', () => {
    expect(validateWrapUp(draft({ notes: 'x' }), context())).toEqual({
      ok: false,
      errors: { code: 'wrapUp.codeRequired' },
    });
    expect(validateWrapUp(draft({}), context({ codeRequired: false }))).toEqual({
      ok: true,
      payload: { interactionId: 42, wrapUpCodeId: null, notes: '' },
    });
  });

  it('refuses a code that is retired or not in the queue’s set', () => {
    expect(validateWrapUp(draft({ codeId: 3 }), context())).toMatchObject({
      errors: { code: 'wrapUp.codeUnknown' },
    });
    expect(validateWrapUp(draft({ codeId: 99 }), context({ codeRequired: false }))).toMatchObject({
      errors: { code: 'wrapUp.codeUnknown' },
    });
  });

  it('requires a future callback time for a code that schedules a callback, and sends it as an instant', () => {
    expect(needsCallbackTime([resolved, callback], 2)).toBe(true);
    expect(needsCallbackTime([resolved, callback], 1)).toBe(false);
    expect(needsCallbackTime([resolved, callback], null)).toBe(false);

    expect(validateWrapUp(draft({ codeId: 2 }), context())).toMatchObject({
      errors: { callbackAt: 'wrapUp.callbackRequired' },
    });
    expect(validateWrapUp(draft({ codeId: 2, callbackAt: 'tomorrow' }), context())).toMatchObject({
      errors: { callbackAt: 'wrapUp.callbackInvalid' },
    });
    expect(validateWrapUp(draft({ codeId: 2, callbackAt: '2026-11-22T10:00' }), context())).toMatchObject({
      errors: { callbackAt: 'wrapUp.callbackPast' },
    });
    expect(validateWrapUp(draft({ codeId: 2, callbackAt: '2026-11-22T14:30' }), context())).toEqual({
      ok: true,
      payload: {
        interactionId: 42,
        wrapUpCodeId: 2,
        notes: '',
        callbackAt: new Date(2026, 10, 22, 14, 30).toISOString(),
      },
    });
  });

  it('ignores a callback time left over from a code that needs none', () => {
    expect(validateWrapUp(draft({ codeId: 1, callbackAt: '2020-01-01T00:00' }), context())).toEqual({
      ok: true,
      payload: { interactionId: 42, wrapUpCodeId: 1, notes: '' },
    });
  });

  it('reports every problem at once', () => {
    expect(validateWrapUp(draft({ notes: 'x'.repeat(5001) }), context())).toEqual({
      ok: false,
      errors: { code: 'wrapUp.codeRequired', notes: 'wrapUp.notesTooLong' },
    });
  });
});

describe('datetime-local values', () => {
  it('round-trips local wall-clock time to the minute', () => {
    const date = new Date(2026, 0, 5, 9, 7, 42);
    expect(toLocalDateTime(date)).toBe('2026-01-05T09:07');
    expect(parseLocalDateTime('2026-01-05T09:07')?.getTime()).toBe(new Date(2026, 0, 5, 9, 7).getTime());
  });

  it('accepts seconds and rejects other shapes', () => {
    expect(parseLocalDateTime('2026-01-05T09:07:30')).not.toBeNull();
    expect(parseLocalDateTime('2026-01-05')).toBeNull();
    expect(parseLocalDateTime('2026-01-05T09:07Z')).toBeNull();
    expect(parseLocalDateTime('2026-13-45T99:99')).toBeNull();
  });
});
