import type { InteractionState, InteractionOutcome } from './interactions.schemas.js';

/**
 * The life of an Interaction. Hold, resume, recording and transfer happen inside `connected` and are
 * timeline events, not states. Outcomes are decided by the event that ends the call.
 */
/**
 * `unreachable`: the Agent's softphone was not registered when they accepted. `phone_failed`: their
 * phone refused, never answered or dropped the call after they accepted, before talk began.
 */
export type OfferDeclinedReason = 'rejected' | 'timed_out' | 'cancelled' | 'unreachable' | 'phone_failed';

export type InteractionEvent =
  | { type: 'ivr_left' }
  | { type: 'queued'; queueId: number }
  | { type: 'offered'; agentId: number }
  | { type: 'offer_declined'; agentId: number; reason: OfferDeclinedReason }
  | { type: 'answered'; agentId: number }
  | { type: 'ended'; outcome: Exclude<InteractionOutcome, 'answered'> | null }
  | { type: 'wrap_up_submitted'; wrapUpCodeId: number | null; notes: string | null };

export type InteractionEventType = InteractionEvent['type'];

export class IllegalInteractionTransition extends Error {
  constructor(
    readonly from: InteractionState,
    readonly event: InteractionEventType,
  ) {
    super(`Interaction cannot take "${event}" while ${from}`);
    this.name = 'IllegalInteractionTransition';
  }
}

/** event → (from state → to state). `ended` from `connected` goes to wrap-up; elsewhere the call is over. */
const TRANSITIONS: Record<InteractionEventType, Partial<Record<InteractionState, InteractionState>>> = {
  ivr_left: { ivr: 'ivr' },
  queued: { ivr: 'queued', queued: 'queued' },
  offered: { queued: 'offered' },
  offer_declined: { offered: 'queued' },
  answered: { offered: 'connected', queued: 'connected' },
  ended: { ivr: 'completed', queued: 'completed', offered: 'completed', connected: 'wrap_up' },
  wrap_up_submitted: { wrap_up: 'completed' },
};

export function nextInteractionState(from: InteractionState, event: InteractionEventType): InteractionState {
  const to = TRANSITIONS[event][from];
  if (!to) throw new IllegalInteractionTransition(from, event);
  return to;
}

/** The outcome an `ended` event leaves: a call that was answered is `answered` unless said otherwise. */
export function outcomeOfEnd(
  from: InteractionState,
  outcome: Exclude<InteractionOutcome, 'answered'> | null,
): InteractionOutcome {
  if (outcome) return outcome;
  return from === 'connected' ? 'answered' : 'abandoned';
}
