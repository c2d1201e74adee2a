import { defineMachine } from './state-machine.js';

export const CALL_STATES = [
  'queued',
  'reserved',
  'connected',
  'ended',
  'abandoned',
  'overflowed',
  'voicemail',
  'callback',
] as const;
export type CallState = (typeof CALL_STATES)[number];

/** How a waiting call leaves its CallQueue without an agent, besides the caller hanging up. */
export const QUEUE_EXITS = ['overflow', 'voicemail', 'callback'] as const;
export type QueueExit = (typeof QUEUE_EXITS)[number];

export type CallEvent =
  | QueueExit
  | 'reserve'
  | 'answer'
  | 'reservation_rejected'
  | 'reservation_timed_out'
  | 'abandon'
  | 'hang_up'
  | 'move'
  | 'raise_priority'
  | 'agent_leg_failed';

export const callMachine = defineMachine<CallState, CallEvent, object>('call', [
  { event: 'reserve', from: ['queued'], to: 'reserved' },
  { event: 'answer', from: ['reserved'], to: 'connected' },
  { event: 'reservation_rejected', from: ['reserved'], to: 'queued' },
  { event: 'reservation_timed_out', from: ['reserved'], to: 'queued' },
  { event: 'hang_up', from: ['connected'], to: 'ended' },
  // The agent's phone refused, never answered or dropped before talk began: the caller is still there.
  { event: 'agent_leg_failed', from: ['connected'], to: 'queued' },
  { event: 'abandon', from: ['queued', 'reserved'], to: 'abandoned' },
  // 'overflowed' sends the call out of the ACD (another site, a number); moving it to another CallQueue
  // is 'move' and it stays queued.
  { event: 'overflow', from: ['queued'], to: 'overflowed' },
  { event: 'voicemail', from: ['queued'], to: 'voicemail' },
  { event: 'callback', from: ['queued'], to: 'callback' },
  // Only a waiting call moves or gains priority: once it rings an agent, that offer plays out first.
  { event: 'move', from: ['queued'], to: 'queued' },
  { event: 'raise_priority', from: ['queued'], to: 'queued' },
]);
