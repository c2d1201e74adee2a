import type { FollowUpAction, FollowUpStatus } from '../../contracts/glossary.js';

/**
 * An action the table does not allow from the Follow-up's status. It carries 409, so a route that
 * lets it through answers Conflict: the request was valid, the Follow-up is in the wrong state.
 */
export class IllegalFollowUpTransition extends Error {
  readonly statusCode = 409;
  constructor(
    readonly from: FollowUpStatus,
    readonly action: FollowUpAction,
  ) {
    super(`A follow-up cannot be "${action}" while ${from}`);
    this.name = 'IllegalFollowUpTransition';
  }
}

/**
 * action → (from status → to status). Work starts, then ends done or cancelled; it may also be
 * finished or dropped without being started. A finished one may be reopened (a customer calls to say
 * the problem is back); an open one is already open, so reopen from open is illegal.
 */
const TRANSITIONS: Record<FollowUpAction, Partial<Record<FollowUpStatus, FollowUpStatus>>> = {
  start: { open: 'in_progress' },
  complete: { open: 'done', in_progress: 'done' },
  cancel: { open: 'cancelled', in_progress: 'cancelled' },
  reopen: { done: 'open', cancelled: 'open' },
};

export function nextFollowUpStatus(from: FollowUpStatus, action: FollowUpAction): FollowUpStatus {
  const to = TRANSITIONS[action][from];
  if (!to) throw new IllegalFollowUpTransition(from, action);
  return to;
}

/** The actions allowed from a status, for the console's buttons. */
export function followUpActionsFrom(from: FollowUpStatus): FollowUpAction[] {
  return (Object.keys(TRANSITIONS) as FollowUpAction[]).filter((action) => TRANSITIONS[action][from]);
}
