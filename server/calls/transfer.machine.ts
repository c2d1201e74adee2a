import type { CallSession } from './call-sessions.js';

/**
 * Where a call's transfer stands, on the Interaction the transferring Agent holds.
 * - `idle`: never transferred or consulted.
 * - `ringing` / `talking`: a consultation (warm transfer) whose far end rings / has answered; the
 *   caller holds and the Agent is still on the call.
 * - `handed_over` / `bridged`: the Agent left the caller with the far end (a completed consultation,
 *   or a blind transfer to a number), which has not answered / has answered. Nobody of ours is on
 *   the call, so the far end hanging up ends it.
 * - `dropped`: a consultation ended without a hand-over; the Agent is back with the caller. Unlike
 *   `idle`, the Agent's own leg no longer ends the call when it hangs up (the consultation took that
 *   power from it), so its end is the caller's.
 * A blind transfer to a CallQueue or an Agent goes on in a new Interaction and needs no state here.
 */
export const TRANSFER_STATES = ['idle', 'ringing', 'talking', 'handed_over', 'bridged', 'dropped'] as const;
export type TransferState = (typeof TRANSFER_STATES)[number];

export type TransferEvent =
  'consult_placed' | 'blind_placed' | 'answered' | 'completed' | 'cancelled' | 'leg_ended';

interface TransferTransition {
  readonly event: TransferEvent;
  readonly from: readonly TransferState[];
  readonly to: TransferState;
}

export const TRANSFER_TRANSITIONS: readonly TransferTransition[] = [
  { event: 'consult_placed', from: ['idle', 'dropped'], to: 'ringing' },
  // The desk hides blind transfer during a consultation; the server lets one replace it, as it always has.
  { event: 'blind_placed', from: ['idle', 'dropped', 'ringing', 'talking'], to: 'handed_over' },
  { event: 'answered', from: ['ringing'], to: 'talking' },
  { event: 'answered', from: ['handed_over'], to: 'bridged' },
  // The Agent may hand the caller over before the far end answers; it answers into the caller's bridge.
  { event: 'completed', from: ['ringing'], to: 'handed_over' },
  { event: 'completed', from: ['talking'], to: 'bridged' },
  { event: 'cancelled', from: ['ringing', 'talking'], to: 'dropped' },
  { event: 'leg_ended', from: ['ringing', 'talking'], to: 'dropped' },
];

/** An event the transfer table does not allow from the current state; nothing changed. */
export class IllegalTransferTransition extends Error {
  override name = 'IllegalTransferTransition';
  constructor(
    readonly from: TransferState,
    readonly event: TransferEvent,
  ) {
    super(`transfer: ${event} is not allowed from ${from}`);
  }
}

const rowOf = (from: TransferState, event: TransferEvent) =>
  TRANSFER_TRANSITIONS.find((row) => row.event === event && row.from.includes(from));

/** Whether `event` applies from `from`: a provider's repeated or late callback is then ignored. */
export const transferAllows = (from: TransferState, event: TransferEvent): boolean =>
  rowOf(from, event) !== undefined;

export function nextTransferState(from: TransferState, event: TransferEvent): TransferState {
  const row = rowOf(from, event);
  if (!row) throw new IllegalTransferTransition(from, event);
  return row.to;
}

/** The Agent talks to, or is ringing, whom they consult while the caller holds. */
export const isConsulting = (state: TransferState): boolean => state === 'ringing' || state === 'talking';

/** The Agent left the caller with the far end. */
export const isHandedOver = (state: TransferState): boolean => state === 'handed_over' || state === 'bridged';

type Consult = CallSession['consult'];
/** The far end of a transfer: whom (a number, or an Agent's name), on which leg, and the consulted Agent's part. */
export type TransferLeg = Pick<NonNullable<Consult>, 'label' | 'legId' | 'childId'>;

/*
 * The session keeps the state in the shape it always had (`consult` absent, null, or a leg with
 * `answered` and `completed`): live sessions in Redis outlive a deploy, and the Twilio reconciler
 * reads those flags. Only this module maps between the two.
 */

export function transferStateOf(consult: Consult | undefined): TransferState {
  if (consult === undefined) return 'idle';
  if (consult === null) return 'dropped';
  if (consult.completed) return consult.answered ? 'bridged' : 'handed_over';
  return consult.answered ? 'talking' : 'ringing';
}

function encode(state: TransferState, leg: TransferLeg | null): Consult | undefined {
  if (state === 'idle') return undefined;
  if (state === 'dropped' || !leg) return null;
  const { label, legId, childId } = leg;
  return {
    label,
    legId,
    childId,
    answered: state === 'talking' || state === 'bridged',
    completed: isHandedOver(state),
  };
}

/** The session's `consult` after a transfer leg was placed. Throws IllegalTransferTransition. */
export function placeTransfer(
  consult: Consult | undefined,
  event: 'consult_placed' | 'blind_placed',
  leg: TransferLeg,
): Consult {
  return encode(nextTransferState(transferStateOf(consult), event), leg) ?? null;
}

/** The session's `consult` after `event`. Throws IllegalTransferTransition. */
export function advanceTransfer(
  consult: Consult | undefined,
  event: Exclude<TransferEvent, 'consult_placed' | 'blind_placed'>,
): Consult {
  return encode(nextTransferState(transferStateOf(consult), event), consult ?? null) ?? null;
}
