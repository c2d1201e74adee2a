import { ApiError } from '../data/api.js';
import type { ErrorParams } from '../../contracts/errors.js';
import { hasMessage, type MessageKey, type UiMessage } from '../i18n/i18n.js';

/**
 * What to tell the user about a failed call. Statuses whose meaning the caller knows (e.g. 404 "this
 * customer does not exist") map to our translated text; otherwise the server's message is shown as
 * written, since it says precisely what was wrong (an invalid phone number, a duplicate).
 */
export function toUiMessage(error: unknown, byStatus: Partial<Record<number, MessageKey>> = {}): UiMessage {
  if (!(error instanceof ApiError)) {
    console.error(error);
    return { key: 'error.server', params: { status: '—' } };
  }
  const known = byStatus[error.status];
  if (known) return { key: known };
  if (error.status === 0) return { key: 'error.network' };
  if (error.status === 403 && !error.message) return { key: 'error.forbidden' };
  if (error.status >= 500 || !error.message) return { key: 'error.server', params: { status: error.status } };
  return codedMessage(error.coded, error.message);
}

/**
 * A refusal in the console's words when its code has them (`error.code.<code>`, filled with the
 * server's params and its English text as `detail`), else the server's text as written.
 */
export function codedMessage(coded: { code: string; params?: ErrorParams } | null, text: string): UiMessage {
  const key = coded && `error.code.${coded.code}`;
  if (!key || !hasMessage(key)) return { text };
  return { key, params: { ...coded.params, detail: text } };
}

/**
 * Runs a command the user gave, for an element with one error message: `show(null)` clears the last
 * error first, and a failure is shown instead of thrown.
 */
export async function attempt(
  command: () => Promise<void>,
  show: (error: UiMessage | null) => void,
): Promise<void> {
  show(null);
  try {
    await command();
  } catch (error) {
    show(toUiMessage(error));
  }
}
