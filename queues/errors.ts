/** Which state machine refused an event. */
export type MachineName = 'agent' | 'reservation' | 'call';

/** Base of every error the ACD raises for a request it cannot carry out. */
export class AcdError extends Error {
  override name = 'AcdError';
}

/** An event that the machine's transition table does not allow from the current state; nothing changed. */
export class IllegalTransitionError extends AcdError {
  override name = 'IllegalTransitionError';
  constructor(
    readonly machine: MachineName,
    readonly from: string,
    readonly event: string,
    /** The agent, interaction or reservation id, when the machine belongs to one. */
    readonly id?: number,
    message = `${machine}${id === undefined ? '' : ` ${id}`}: ${event} is not allowed from ${from}`,
  ) {
    super(message);
  }
}

/**
 * The reservation rang out before the agent answered or rejected it. It is timed out by the time this is
 * thrown (by this very request when no sweep got there first): the call is back in its queue at its
 * original place and the agent is on break for RONA.
 */
export class ReservationExpiredError extends IllegalTransitionError {
  override name = 'ReservationExpiredError';
  constructor(reservationId: number, event: string) {
    super(
      'reservation',
      'timed_out',
      event,
      reservationId,
      `Reservation ${reservationId} expired before it was answered; the call went back to its queue`,
    );
  }
}

/** The caller hung up while the reservation was ringing; nothing is left to answer. */
export class ReservationCancelledError extends IllegalTransitionError {
  override name = 'ReservationCancelledError';
  constructor(reservationId: number, event: string) {
    super(
      'reservation',
      'cancelled',
      event,
      reservationId,
      `Reservation ${reservationId} was cancelled: the caller hung up while it rang`,
    );
  }
}

/** An agent tried to answer or reject a reservation offered to someone else; nothing changed. */
export class ReservationNotYoursError extends AcdError {
  override name = 'ReservationNotYoursError';
  constructor(
    readonly reservationId: number,
    readonly agentId: number,
  ) {
    super(`Reservation ${reservationId} was not offered to agent ${agentId}`);
  }
}

/** A CallQueue, Agent, Call or Reservation the ACD does not know; nothing changed. */
export class NotFoundError extends AcdError {
  override name = 'NotFoundError';
  constructor(
    readonly entity: 'CallQueue' | 'Agent' | 'Call' | 'Reservation',
    readonly id: number,
  ) {
    super(`${entity} ${id} is not known to the ACD`);
  }
}
