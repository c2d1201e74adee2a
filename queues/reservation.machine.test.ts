import { describe, expect, it } from 'vitest';
import { IllegalTransitionError } from './errors.js';
import {
  RESERVATION_STATES,
  reservationMachine,
  type ReservationEvent,
  type ReservationState,
} from './reservation.machine.js';

const LEGAL: [ReservationEvent, ReservationState][] = [
  ['accept', 'accepted'],
  ['reject', 'rejected'],
  ['time_out', 'timed_out'],
  ['cancel', 'cancelled'],
];

describe('reservation machine', () => {
  it.each(LEGAL)('pending --%s--> %s', (event, to) => {
    expect(reservationMachine.step('pending', event).to).toBe(to);
  });

  it('settles once: no event moves a settled reservation', () => {
    for (const from of RESERVATION_STATES.filter((s) => s !== 'pending')) {
      for (const [event] of LEGAL) {
        expect(() => reservationMachine.step(from, event)).toThrow(IllegalTransitionError);
      }
    }
  });
});
