/**
 * Pure helpers for the desk's view: statuses, callers and command errors. No DOM and no
 * global language state, so they run under unit tests as-is.
 */
import type { AgentStatus } from '../../contracts/glossary.js';
import type { DeskCall, DeskState } from '../../contracts/desk.js';
import { codedMessage } from '../app/errors.js';
import { DeskCommandError } from '../data/desk.data.js';
import { hasMessage, type UiMessage } from '../i18n/i18n.js';

/** The statuses an agent may pick; the others (reserved, on call, wrap-up) follow from the calls. */
export type SettableStatus = 'available' | 'break' | 'offline';

/** What the status picker shows for a status: the statuses it cannot set have no option, so nothing is selected. */
export function settableStatus(status: AgentStatus): SettableStatus | null {
  return status === 'available' || status === 'break' || status === 'offline' ? status : null;
}

export { RONA_REASON } from '../../contracts/glossary.js';

/**
 * A break reason in words: ours when we have a translation (`breakReason.<reason>`, e.g. "rona" is
 * "Missed call"), otherwise the reason as configured, with underscores as spaces.
 */
export function breakReasonMessage(reason: string): UiMessage {
  const key = `breakReason.${reason}`;
  if (hasMessage(key)) return { key };
  const text = reason.replaceAll('_', ' ').trim();
  return { text: text.charAt(0).toUpperCase() + text.slice(1) };
}

/** Who is calling, as the desk names them: the customer, else the number, else null (a withheld number). */
export function callerLabel(call: Pick<DeskCall, 'pop'>): string | null {
  return call.pop.customer?.name ?? call.pop.callerNumber;
}

/** Links for an unknown caller: a create form prefilled with their number, and a search for it. */
export function unknownCallerLinks(callerNumber: string | null): { create: string; search: string } {
  if (!callerNumber) return { create: '/customers/new', search: '/customers' };
  return {
    create: `/customers/new?${new URLSearchParams({ phone: callerNumber }).toString()}`,
    search: `/customers?${new URLSearchParams({ q: callerNumber }).toString()}`,
  };
}

/** What to tell the agent about a failed desk command: the server's reason as written, or ours. */
export function deskErrorMessage(error: unknown): UiMessage {
  if (!(error instanceof DeskCommandError)) {
    console.error(error);
    return { key: 'desk.error.unexpected' };
  }
  switch (error.reason) {
    case 'refused':
      return error.message ? codedMessage(error.coded, error.message) : { key: 'desk.error.unexpected' };
    case 'timeout':
      return { key: 'desk.error.timeout' };
    case 'offline':
      return { key: 'desk.error.offline' };
  }
}

/** The call in progress or in wrap-up whose caller is not yet known, if any: the one to link a customer to. */
export function unknownCurrentCall(state: DeskState | null): DeskCall | null {
  const call = state?.call ?? state?.wrapUp ?? null;
  return call && call.pop.customer === null ? call : null;
}
