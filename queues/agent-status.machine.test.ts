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
];

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
  ['on_call', 'hang_up', { wrapUp: true }, 'wrap_up', undefined],
  ['on_call', 'hang_up', { wrapUp: false }, 'available', undefined],
  ['wrap_up', 'wrap_up_done', undefined, 'available', undefined],
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
        expect(() => agentStatusMachine.step(from, event, { wrapUp: false })).toThrow(
          expect.objectContaining({ machine: 'agent', from, event }) as Error,
        );
        refused++;
      }
    }
    const legalPairs = new Set(LEGAL.map(([from, event]) => `${from} ${event}`)).size;
    expect(refused).toBe(AGENT_STATUSES.length * EVENTS.length - legalPairs);
  });

  it('will not hang up without knowing the after-call-work policy', () => {
    expect(() => agentStatusMachine.step('on_call', 'hang_up', undefined, 7)).toThrow(IllegalTransitionError);
    expect(() => agentStatusMachine.step('on_call', 'hang_up', undefined, 7)).toThrow(
      'agent 7: hang_up is not allowed from on_call',
    );
  });
});
