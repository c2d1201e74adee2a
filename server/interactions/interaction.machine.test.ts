import { describe, expect, it } from 'vitest';
import { IllegalInteractionTransition, nextInteractionState, outcomeOfEnd } from './interaction.machine.js';

describe('interaction state machine', () => {
  it('walks an answered call through every state', () => {
    let state = nextInteractionState('ivr', 'ivr_left');
    state = nextInteractionState(state, 'queued');
    expect(state).toBe('queued');
    state = nextInteractionState(state, 'offered');
    expect(nextInteractionState(state, 'offer_declined')).toBe('queued');
    state = nextInteractionState(state, 'answered');
    expect(state).toBe('connected');
    state = nextInteractionState(state, 'ended');
    expect(state).toBe('wrap_up');
    expect(nextInteractionState(state, 'wrap_up_submitted')).toBe('completed');
  });

  it('ends a call that never reached an agent without wrap-up', () => {
    expect(nextInteractionState('queued', 'ended')).toBe('completed');
    expect(nextInteractionState('ivr', 'ended')).toBe('completed');
    expect(nextInteractionState('offered', 'ended')).toBe('completed');
  });

  it.each([
    ['completed', 'ended'],
    ['completed', 'answered'],
    ['wrap_up', 'answered'],
    ['ivr', 'offered'],
    ['connected', 'offered'],
    ['queued', 'wrap_up_submitted'],
  ] as const)('refuses %s + %s with a typed error', (from, event) => {
    expect(() => nextInteractionState(from, event)).toThrow(IllegalInteractionTransition);
  });

  it('derives the outcome of an end', () => {
    expect(outcomeOfEnd('connected', null)).toBe('answered');
    expect(outcomeOfEnd('queued', null)).toBe('abandoned');
    expect(outcomeOfEnd('connected', 'transferred')).toBe('transferred');
    expect(outcomeOfEnd('ivr', 'voicemail')).toBe('voicemail');
  });
});
