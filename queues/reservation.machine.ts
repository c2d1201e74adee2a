import { defineMachine } from './state-machine.js';

export const RESERVATION_STATES = ['pending', 'accepted', 'rejected', 'timed_out', 'cancelled'] as const;
export type ReservationState = (typeof RESERVATION_STATES)[number];
export type ReservationEvent = 'accept' | 'reject' | 'time_out' | 'cancel';

export const reservationMachine = defineMachine<ReservationState, ReservationEvent, object>('reservation', [
  { event: 'accept', from: ['pending'], to: 'accepted' },
  { event: 'reject', from: ['pending'], to: 'rejected' },
  { event: 'time_out', from: ['pending'], to: 'timed_out' },
  { event: 'cancel', from: ['pending'], to: 'cancelled' },
]);
