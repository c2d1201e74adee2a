/**
 * The wrap-up form's rules, pure: which fields a code needs and what the server will be sent. The
 * server checks again; this explains mistakes before the agent waits for it.
 */
import type { WrapUpCode } from '../../contracts/call-queue.js';
import type { WrapUpPayload } from '../../contracts/desk.js';
import type { MessageKey } from '../i18n/i18n.js';

export interface WrapUpDraft {
  codeId: number | null;
  notes: string;
  /** The datetime-local control's value ("2026-11-22T14:30"), in the agent's time zone; '' when empty. */
  callbackAt: string;
}

export const EMPTY_DRAFT: WrapUpDraft = { codeId: null, notes: '', callbackAt: '' };

/** The server's limit on wrap-up notes (WrapUpPayload), in characters. */
export const NOTES_MAX_LENGTH = 5000;

export type WrapUpField = 'code' | 'callbackAt' | 'notes';
export type WrapUpErrors = Partial<Record<WrapUpField, MessageKey>>;

export type WrapUpResult = { ok: true; payload: WrapUpPayload } | { ok: false; errors: WrapUpErrors };

export interface WrapUpContext {
  interactionId: number;
  codes: readonly WrapUpCode[];
  codeRequired: boolean;
  now: Date;
}

/** The codes an agent may pick: inactive ones are kept by the server for history only. */
export function selectableCodes(codes: readonly WrapUpCode[]): WrapUpCode[] {
  return codes.filter((code) => code.active);
}

/** True when the chosen code schedules a callback, so a callback time is needed. */
export function needsCallbackTime(codes: readonly WrapUpCode[], codeId: number | null): boolean {
  return codes.some((code) => code.id === codeId && code.action === 'schedule_callback');
}

const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/;

/** A datetime-local value as an instant (read in the agent's time zone), or null when it is not one. */
export function parseLocalDateTime(value: string): Date | null {
  if (!LOCAL_DATE_TIME.test(value)) return null;
  // Without an offset, the ISO form is read as local time, which is what the control shows.
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** An instant as a datetime-local value in the agent's time zone, to the minute (for the control's `min`). */
export function toLocalDateTime(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}`
  );
}

/** Checks the draft; the errors are listed in the form's order, so the first one is where focus goes. */
export function validateWrapUp(draft: WrapUpDraft, context: WrapUpContext): WrapUpResult {
  const errors: WrapUpErrors = {};
  const codes = selectableCodes(context.codes);
  const code = codes.find((candidate) => candidate.id === draft.codeId) ?? null;
  if (draft.codeId !== null && !code) errors.code = 'wrapUp.codeUnknown';
  else if (context.codeRequired && !code) errors.code = 'wrapUp.codeRequired';

  let callbackAt: string | undefined;
  if (code?.action === 'schedule_callback') {
    const when = parseLocalDateTime(draft.callbackAt);
    if (draft.callbackAt.trim() === '') errors.callbackAt = 'wrapUp.callbackRequired';
    else if (!when) errors.callbackAt = 'wrapUp.callbackInvalid';
    else if (when.getTime() <= context.now.getTime()) errors.callbackAt = 'wrapUp.callbackPast';
    else callbackAt = when.toISOString();
  }

  const notes = draft.notes.trim();
  if (notes.length > NOTES_MAX_LENGTH) errors.notes = 'wrapUp.notesTooLong';

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const payload: WrapUpPayload = {
    interactionId: context.interactionId,
    wrapUpCodeId: code?.id ?? null,
    notes,
  };
  if (callbackAt) payload.callbackAt = callbackAt;
  return { ok: true, payload };
}
