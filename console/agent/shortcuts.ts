import type { DeskState, RecordingAction } from '../../contracts/desk.js';
import { recordingToggle } from './recording.js';

/**
 * The desk's keyboard shortcuts: Alt (Option on a Mac) with a letter. Pure, so the mapping is tested
 * without a browser. They do not fire while the agent types in a text field, where Alt+letter may be
 * how a character is entered.
 */

export type DeskShortcut = 'accept' | 'reject' | 'holdResume' | 'hangUp' | 'recording';

/** In the order the help lists them. */
export const DESK_SHORTCUTS: readonly { action: DeskShortcut; letter: string }[] = [
  { action: 'accept', letter: 'A' },
  { action: 'reject', letter: 'R' },
  { action: 'holdResume', letter: 'H' },
  { action: 'hangUp', letter: 'X' },
  { action: 'recording', letter: 'P' },
];

/** The `aria-keyshortcuts` value of an action's button, e.g. "Alt+A". */
export function ariaKeyShortcut(action: DeskShortcut): string {
  const shortcut = DESK_SHORTCUTS.find((entry) => entry.action === action);
  return shortcut ? `Alt+${shortcut.letter}` : '';
}

/** The parts of a KeyboardEvent the mapping reads. */
export interface KeyInput {
  key: string;
  code: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  repeat: boolean;
}

/** The element the key was pressed in (the innermost one, inside shadow roots). */
export interface KeyTarget {
  tagName: string;
  /** An input's `type`. */
  type?: string;
  isContentEditable?: boolean;
  role?: string | null;
}

/** Input types that take no typed text: keys pressed on them are free for shortcuts. */
const NON_TEXT_INPUTS = new Set([
  'button',
  'checkbox',
  'color',
  'file',
  'image',
  'radio',
  'range',
  'reset',
  'submit',
]);
const TEXT_ROLES = new Set(['textbox', 'searchbox', 'combobox', 'spinbutton']);

export function isTextEntry(target: KeyTarget | null): boolean {
  if (!target) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName.toUpperCase();
  if (tag === 'TEXTAREA') return true;
  if (tag === 'INPUT') return !NON_TEXT_INPUTS.has((target.type ?? 'text').toLowerCase());
  if (tag === 'SELECT') return false;
  return target.role ? TEXT_ROLES.has(target.role) : false;
}

/**
 * The letter of a key press. The character wins when it is a plain letter (so the letter printed on
 * the key counts on any layout, AZERTY included); otherwise the key's position does, since Option on a
 * Mac turns Option+A into "å" and an input method may report "Process".
 */
function letterOf(event: KeyInput): string | null {
  if (/^[a-z]$/i.test(event.key)) return event.key.toUpperCase();
  const match = /^Key([A-Z])$/.exec(event.code);
  return match?.[1] ?? null;
}

/** The desk action a key press asks for, or null when it is not one of ours or the agent is typing. */
export function shortcutFor(event: KeyInput, target: KeyTarget | null): DeskShortcut | null {
  // Ctrl+Alt is AltGr on Windows layouts, which types characters.
  if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || event.repeat) return null;
  if (isTextEntry(target)) return null;
  const letter = letterOf(event);
  return DESK_SHORTCUTS.find((shortcut) => shortcut.letter === letter)?.action ?? null;
}

/** What a shortcut asks the desk to send, given what the desk shows now. */
export type DeskKeyCommand =
  | { kind: 'accept' | 'reject'; reservationId: number }
  | { kind: 'hold' | 'resume' | 'hangUp'; interactionId: number }
  | { kind: 'recording'; interactionId: number; action: RecordingAction };

/**
 * The command behind a shortcut, or null when it does not apply now: no offer to accept, no call,
 * or a call whose phone has not answered yet (nothing to hold or record).
 */
export function commandForShortcut(
  action: DeskShortcut,
  { offer, call }: Pick<DeskState, 'offer' | 'call'>,
): DeskKeyCommand | null {
  switch (action) {
    case 'accept':
    case 'reject':
      return offer ? { kind: action, reservationId: offer.reservationId } : null;
    case 'holdResume':
      if (!call?.answeredAt) return null;
      return { kind: call.onHold ? 'resume' : 'hold', interactionId: call.interactionId };
    case 'hangUp':
      return call ? { kind: 'hangUp', interactionId: call.interactionId } : null;
    case 'recording': {
      const toggle = call?.answeredAt ? recordingToggle(call.recording) : null;
      return call && toggle ? { kind: 'recording', interactionId: call.interactionId, action: toggle } : null;
    }
  }
}
