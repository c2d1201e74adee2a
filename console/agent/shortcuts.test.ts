import { describe, expect, it } from 'vitest';
import type { DeskState } from '../../contracts/desk.js';
import {
  ariaKeyShortcut,
  commandForShortcut,
  isTextEntry,
  shortcutFor,
  type KeyInput,
  type KeyTarget,
} from './shortcuts.js';

const press = (key: string, code: string, modifiers: Partial<KeyInput> = {}): KeyInput => ({
  key,
  code,
  altKey: true,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  repeat: false,
  ...modifiers,
});

const button: KeyTarget = { tagName: 'BUTTON' };

describe('desk shortcuts', () => {
  it.each([
    ['a', 'KeyA', 'accept'],
    ['r', 'KeyR', 'reject'],
    ['h', 'KeyH', 'holdResume'],
    ['x', 'KeyX', 'hangUp'],
    ['p', 'KeyP', 'recording'],
    ['A', 'KeyA', 'accept'],
  ])('Alt+%s is %s', (key, code, action) => {
    expect(shortcutFor(press(key, code), button)).toBe(action);
    expect(shortcutFor(press(key, code), null)).toBe(action);
  });

  it('reads the key position when Option on a Mac or an input method changes the character', () => {
    expect(shortcutFor(press('å', 'KeyA'), button)).toBe('accept');
    expect(shortcutFor(press('≈', 'KeyX'), button)).toBe('hangUp');
    expect(shortcutFor(press('Process', 'KeyH'), button)).toBe('holdResume');
  });

  it('follows the letter printed on the key on other layouts (AZERTY A is in the Q position)', () => {
    expect(shortcutFor(press('a', 'KeyQ'), button)).toBe('accept');
    expect(shortcutFor(press('q', 'KeyA'), button)).toBeNull();
  });

  it('ignores other letters, other modifiers, AltGr and held-down keys', () => {
    expect(shortcutFor(press('b', 'KeyB'), button)).toBeNull();
    expect(shortcutFor(press('a', 'KeyA', { altKey: false }), button)).toBeNull();
    expect(shortcutFor(press('a', 'KeyA', { ctrlKey: true }), button)).toBeNull();
    expect(shortcutFor(press('a', 'KeyA', { metaKey: true }), button)).toBeNull();
    expect(shortcutFor(press('A', 'KeyA', { shiftKey: true }), button)).toBeNull();
    expect(shortcutFor(press('a', 'KeyA', { repeat: true }), button)).toBeNull();
    expect(shortcutFor(press('Alt', 'AltLeft'), button)).toBeNull();
  });

  it('does not fire while the agent types in a text field', () => {
    const typing: KeyTarget[] = [
      { tagName: 'TEXTAREA' },
      { tagName: 'INPUT' },
      { tagName: 'INPUT', type: 'text' },
      { tagName: 'INPUT', type: 'search' },
      { tagName: 'INPUT', type: 'datetime-local' },
      { tagName: 'DIV', isContentEditable: true },
      { tagName: 'DIV', role: 'textbox' },
    ];
    for (const target of typing) {
      expect(isTextEntry(target)).toBe(true);
      expect(shortcutFor(press('a', 'KeyA'), target)).toBeNull();
    }
  });

  it('fires on buttons, radios, checkboxes and selects, which take no typed text', () => {
    const free: KeyTarget[] = [
      button,
      { tagName: 'INPUT', type: 'radio' },
      { tagName: 'INPUT', type: 'checkbox' },
      { tagName: 'SELECT' },
      { tagName: 'A' },
      { tagName: 'BODY' },
    ];
    for (const target of free) expect(shortcutFor(press('x', 'KeyX'), target)).toBe('hangUp');
  });

  it('tells assistive technology each button’s shortcut', () => {
    expect(ariaKeyShortcut('accept')).toBe('Alt+A');
    expect(ariaKeyShortcut('reject')).toBe('Alt+R');
    expect(ariaKeyShortcut('holdResume')).toBe('Alt+H');
    expect(ariaKeyShortcut('hangUp')).toBe('Alt+X');
  });
});

describe('what a shortcut does on the desk', () => {
  type Call = NonNullable<DeskState['call']>;
  const callOf = (fields: Partial<Call>): Pick<DeskState, 'offer' | 'call'> => ({
    offer: null,
    call: {
      interactionId: 7,
      answeredAt: '2026-11-22T10:00:00.000Z',
      onHold: false,
      recording: { state: 'recording', onDemand: false },
      ...fields,
    } as Call,
  });

  it('holds, resumes, hangs up and pauses or resumes the recording of the call on the desk', () => {
    expect(commandForShortcut('holdResume', callOf({}))).toEqual({ kind: 'hold', interactionId: 7 });
    expect(commandForShortcut('holdResume', callOf({ onHold: true }))).toEqual({
      kind: 'resume',
      interactionId: 7,
    });
    expect(commandForShortcut('hangUp', callOf({}))).toEqual({ kind: 'hangUp', interactionId: 7 });
    expect(commandForShortcut('recording', callOf({}))).toEqual({
      kind: 'recording',
      interactionId: 7,
      action: 'pause',
    });
    expect(
      commandForShortcut('recording', callOf({ recording: { state: 'off', onDemand: true } })),
    ).toMatchObject({ action: 'start' });
  });

  it('does nothing for Alt+H or Alt+P before the phone answers: Alt+H never falls through to hanging up', () => {
    expect(commandForShortcut('holdResume', callOf({ answeredAt: null }))).toBeNull();
    expect(commandForShortcut('recording', callOf({ answeredAt: null }))).toBeNull();
    expect(commandForShortcut('hangUp', callOf({ answeredAt: null }))).toEqual({
      kind: 'hangUp',
      interactionId: 7,
    });
  });

  it('does nothing without an offer or a call, or with nothing to record', () => {
    expect(commandForShortcut('accept', { offer: null, call: null })).toBeNull();
    expect(commandForShortcut('hangUp', { offer: null, call: null })).toBeNull();
    expect(
      commandForShortcut('recording', callOf({ recording: { state: 'off', onDemand: false } })),
    ).toBeNull();
  });
});
