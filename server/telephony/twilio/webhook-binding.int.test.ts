import { beforeEach, describe, expect, it } from 'vitest';
import { deferred, useTestRedis } from '../../testing/redis.js';
import type { PlacedLeg, TelephonyCommands } from '../telephony.port.js';
import {
  createCallBinding,
  createCallLegs,
  rememberingPlacedLegs,
  type CallLegs,
} from './webhook-binding.js';

const CALLER = `CA${'1'.repeat(32)}`;
const AGENT_LEG = `CA${'2'.repeat(32)}`;
const STRANGER = `CA${'3'.repeat(32)}`;

/** Twilio's commands as far as placing an Agent's leg goes: it resolves when the test says. */
function placingAgent() {
  const started = deferred<void>();
  const answer = deferred<PlacedLeg>();
  const commands = {
    connectAgent: () => {
      started.resolve();
      return answer.promise;
    },
  } as unknown as TelephonyCommands;
  return { commands, started: started.promise, answer };
}

const target = {
  interactionId: 7,
  provider: 'twilio',
  providerCallId: CALLER,
  conferenceName: 'interaction-7',
} as const;

describe('webhook binding', () => {
  const store = useTestRedis('twilio:');
  let legs: CallLegs;

  beforeEach(() => {
    legs = createCallLegs({ redis: store.redis, prefix: store.prefix, pollMs: 5 });
  });

  const binding = () =>
    createCallBinding({
      legs,
      callerLegOf: async (id) => (id === 7 ? CALLER : null),
      interactionOf: (callSid) => (callSid === CALLER ? 7 : null),
    });

  it('knows the caller of an Interaction and the legs placed for it, and nothing else', async () => {
    const agent = placingAgent();
    const commands = rememberingPlacedLegs(agent.commands, legs);
    agent.answer.resolve({ providerCallId: AGENT_LEG });
    await commands.connectAgent({ ...target, agent: { sipAddress: 'sip:ana@cti.test' } });
    const legOfCall = binding();
    expect(await legOfCall(7, CALLER)).toBe('caller');
    expect(await legOfCall(7, AGENT_LEG)).toBe('agent');
    expect(await legOfCall(7, STRANGER)).toBeNull();
    // Another Interaction's URL with this call's callback.
    expect(await legOfCall(8, AGENT_LEG)).toBeNull();
    expect(await legOfCall(8, CALLER)).toBeNull();
  });

  it('binds a callback that overtakes the REST answer placing its leg', async () => {
    const agent = placingAgent();
    const commands = rememberingPlacedLegs(agent.commands, legs);
    const placed = commands.connectAgent({ ...target, agent: { sipAddress: 'sip:ana@cti.test' } });
    await agent.started;
    const early = binding()(7, AGENT_LEG);
    agent.answer.resolve({ providerCallId: AGENT_LEG });
    expect(await early).toBe('agent');
    expect(await placed).toEqual({ providerCallId: AGENT_LEG });
  });

  it('stops waiting for a placement that failed', async () => {
    const patient = createCallLegs({
      redis: store.redis,
      prefix: store.prefix,
      pollMs: 5,
      placingWaitMs: 60_000,
    });
    const agent = placingAgent();
    const commands = rememberingPlacedLegs(agent.commands, patient);
    const placed = commands.connectAgent({ ...target, agent: { sipAddress: 'sip:ana@cti.test' } });
    await agent.started;
    const early = patient.legOf(7, STRANGER);
    agent.answer.reject(new Error('busy signal'));
    await expect(placed).rejects.toThrow('busy signal');
    expect(await early).toBeNull();
  });
});
