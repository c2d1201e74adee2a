import { describe, expect, it } from 'vitest';
import { CALL_STATES, callMachine, type CallEvent, type CallState } from './call.machine.js';

const EVENTS: CallEvent[] = [
  'reserve',
  'answer',
  'reservation_rejected',
  'reservation_timed_out',
  'hang_up',
  'abandon',
  'overflow',
  'voicemail',
  'callback',
  'move',
  'raise_priority',
];

/** The whole table: anything not listed must be illegal. */
const LEGAL: [CallState, CallEvent, CallState][] = [
  ['queued', 'reserve', 'reserved'],
  ['reserved', 'answer', 'connected'],
  ['reserved', 'reservation_rejected', 'queued'],
  ['reserved', 'reservation_timed_out', 'queued'],
  ['connected', 'hang_up', 'ended'],
  ['queued', 'abandon', 'abandoned'],
  ['reserved', 'abandon', 'abandoned'],
  ['queued', 'overflow', 'overflowed'],
  ['queued', 'voicemail', 'voicemail'],
  ['queued', 'callback', 'callback'],
  ['queued', 'move', 'queued'],
  ['queued', 'raise_priority', 'queued'],
];

describe('call machine', () => {
  it.each(LEGAL)('%s --%s--> %s', (from, event, to) => {
    expect(callMachine.step(from, event).to).toBe(to);
  });

  it('refuses every other event in every state', () => {
    for (const from of CALL_STATES) {
      for (const event of EVENTS) {
        if (LEGAL.some(([f, e]) => f === from && e === event)) continue;
        expect(() => callMachine.step(from, event, {}, 42)).toThrow(
          `call 42: ${event} is not allowed from ${from}`,
        );
      }
    }
  });
});
