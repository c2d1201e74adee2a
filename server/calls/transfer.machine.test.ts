import { describe, expect, it } from 'vitest';
import {
  IllegalTransferTransition,
  TRANSFER_STATES,
  advanceTransfer,
  nextTransferState,
  placeTransfer,
  transferAllows,
  transferStateOf,
  type TransferEvent,
  type TransferState,
} from './transfer.machine.js';

const EVENTS: TransferEvent[] = [
  'consult_placed',
  'blind_placed',
  'answered',
  'completed',
  'cancelled',
  'leg_ended',
];

const LEGAL: [TransferState, TransferEvent, TransferState][] = [
  ['idle', 'consult_placed', 'ringing'],
  ['dropped', 'consult_placed', 'ringing'],
  ['idle', 'blind_placed', 'handed_over'],
  ['dropped', 'blind_placed', 'handed_over'],
  ['ringing', 'blind_placed', 'handed_over'],
  ['talking', 'blind_placed', 'handed_over'],
  ['ringing', 'answered', 'talking'],
  ['handed_over', 'answered', 'bridged'],
  ['ringing', 'completed', 'handed_over'],
  ['talking', 'completed', 'bridged'],
  ['ringing', 'cancelled', 'dropped'],
  ['talking', 'cancelled', 'dropped'],
  ['ringing', 'leg_ended', 'dropped'],
  ['talking', 'leg_ended', 'dropped'],
];

const leg = { label: '+12125550199', legId: 'CA-far', childId: 7 };

describe('transfer machine', () => {
  it.each(LEGAL)('%s --%s--> %s', (from, event, to) => {
    expect(nextTransferState(from, event)).toBe(to);
    expect(transferAllows(from, event)).toBe(true);
  });

  it('refuses every other event with a typed error, naming the state and the event', () => {
    const legal = new Set(LEGAL.map(([from, event]) => `${from}/${event}`));
    const illegal = TRANSFER_STATES.flatMap((from) =>
      EVENTS.filter((event) => !legal.has(`${from}/${event}`)).map((event) => [from, event] as const),
    );
    expect(illegal.length).toBe(TRANSFER_STATES.length * EVENTS.length - LEGAL.length);
    for (const [from, event] of illegal) {
      expect(transferAllows(from, event)).toBe(false);
      const error = (() => {
        try {
          nextTransferState(from, event);
        } catch (caught) {
          return caught;
        }
      })();
      expect(error).toBeInstanceOf(IllegalTransferTransition);
      expect(error).toMatchObject({ from, event });
    }
  });

  it('reads the state from the session in the shape the reconciler reads', () => {
    expect(transferStateOf(undefined)).toBe('idle');
    expect(transferStateOf(null)).toBe('dropped');
    expect(transferStateOf({ ...leg, answered: false, completed: false })).toBe('ringing');
    expect(transferStateOf({ ...leg, answered: true, completed: false })).toBe('talking');
    expect(transferStateOf({ ...leg, answered: false, completed: true })).toBe('handed_over');
    expect(transferStateOf({ ...leg, answered: true, completed: true })).toBe('bridged');
  });

  it('walks a warm transfer through the session: placed, answered, completed', () => {
    const ringing = placeTransfer(undefined, 'consult_placed', leg);
    expect(ringing).toEqual({ ...leg, answered: false, completed: false });
    const talking = advanceTransfer(ringing, 'answered');
    expect(talking).toEqual({ ...leg, answered: true, completed: false });
    expect(advanceTransfer(talking, 'completed')).toEqual({ ...leg, answered: true, completed: true });
  });

  it('a dropped consultation is null on the session, and a new one may start after it', () => {
    const dropped = advanceTransfer(placeTransfer(undefined, 'consult_placed', leg), 'cancelled');
    expect(dropped).toBeNull();
    expect(placeTransfer(dropped, 'consult_placed', { ...leg, legId: 'CA-next' })).toMatchObject({
      legId: 'CA-next',
      answered: false,
    });
  });

  it('a blind transfer to a number leaves the caller handed over, its answer bridges them', () => {
    const handedOver = placeTransfer(undefined, 'blind_placed', { ...leg, childId: null });
    expect(handedOver).toEqual({ ...leg, childId: null, answered: false, completed: true });
    expect(transferStateOf(advanceTransfer(handedOver, 'answered'))).toBe('bridged');
    expect(() => advanceTransfer(handedOver, 'cancelled')).toThrow(IllegalTransferTransition);
    expect(() => advanceTransfer(undefined, 'answered')).toThrow(IllegalTransferTransition);
  });
});
