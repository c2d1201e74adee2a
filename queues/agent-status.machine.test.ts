import { describe, expect, it } from 'vitest';
import {
  AGENT_STATUSES,
  agentStatusMachine,
  type AgentEvent,
  type AgentGuards,
  type AgentStatus,
  LOGIN_REASON,
  RONA_REASON,
  DECLINED_REASON,
} from './agent-status.machine.js';
import { IllegalTransitionError } from './errors.js';

const EVENTS: AgentEvent[] = [
  'login',
  'go_available',
  'take_break',
  'wrap_up_done',
  'logout',
  'reserve',
  'answer',
  'reservation_rejected',
  'reservation_timed_out',
  'reservation_cancelled',
  'hang_up',
  'plan_next',
];

const noPlan: AgentGuards = { wrapUp: false, breakNext: false };
const planned: AgentGuards = { wrapUp: false, breakNext: true };

/** The whole table as [from, event, guards, to, reason]: anything not listed must be illegal. */
const LEGAL: [AgentStatus, AgentEvent, AgentGuards | undefined, AgentStatus, string | undefined][] = [
  ['offline', 'login', undefined, 'break', LOGIN_REASON],
  ['break', 'go_available', undefined, 'available', undefined],
  ['available', 'take_break', undefined, 'break', undefined],
  ['break', 'take_break', undefined, 'break', undefined],
  ['available', 'reserve', undefined, 'reserved', undefined],
  ['reserved', 'answer', undefined, 'on_call', undefined],
  ['reserved', 'reservation_rejected', undefined, 'break', DECLINED_REASON],
  ['reserved', 'reservation_timed_out', undefined, 'break', RONA_REASON],
  ['reserved', 'reservation_cancelled', undefined, 'available', undefined],
  ['reserved', 'reservation_cancelled', planned, 'break', undefined],
  ['on_call', 'hang_up', { wrapUp: true, breakNext: false }, 'wrap_up', undefined],
  ['on_call', 'hang_up', { wrapUp: true, breakNext: true }, 'wrap_up', undefined],
  ['on_call', 'hang_up', noPlan, 'available', undefined],
  ['on_call', 'hang_up', planned, 'break', undefined],
  ['wrap_up', 'wrap_up_done', undefined, 'available', undefined],
  ['wrap_up', 'wrap_up_done', planned, 'break', undefined],
  ['reserved', 'plan_next', undefined, 'reserved', undefined],
  ['on_call', 'plan_next', undefined, 'on_call', undefined],
  ['wrap_up', 'plan_next', undefined, 'wrap_up', undefined],
  ['available', 'logout', undefined, 'offline', undefined],
  ['break', 'logout', undefined, 'offline', undefined],
];

describe('agent status machine', () => {
  it.each(LEGAL)('%s --%s %o--> %s', (from, event, guards, to, reason) => {
    const row = agentStatusMachine.step(from, event, guards);
    expect(row.to).toBe(to);
    expect(row.reason).toBe(reason);
  });

  it('refuses every other event in every status, naming machine, status and event', () => {
    let refused = 0;
    for (const from of AGENT_STATUSES) {
      for (const event of EVENTS) {
        if (LEGAL.some(([f, e]) => f === from && e === event)) continue;
        expect(() => agentStatusMachine.step(from, event, planned)).toThrow(
          expect.objectContaining({ machine: 'agent', from, event }) as Error,
        );
        refused++;
      }
    }
    const legalPairs = new Set(LEGAL.map(([from, event]) => `${from} ${event}`)).size;
    expect(refused).toBe(AGENT_STATUSES.length * EVENTS.length - legalPairs);
  });

  it('refuses a plan for after the call where there is no call', () => {
    for (const from of ['available', 'break', 'offline'] as const) {
      expect(() => agentStatusMachine.step(from, 'plan_next', undefined, 7)).toThrow(
        `agent 7: plan_next is not allowed from ${from}`,
      );
    }
  });

  it('will not hang up without knowing the after-call-work policy', () => {
    expect(() => agentStatusMachine.step('on_call', 'hang_up', undefined, 7)).toThrow(IllegalTransitionError);
    expect(() => agentStatusMachine.step('on_call', 'hang_up', undefined, 7)).toThrow(
      'agent 7: hang_up is not allowed from on_call',
    );
  });
});
