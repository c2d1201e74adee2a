import { describe, expect, it } from 'vitest';
import { TelephonyCommandError, type CallTarget, type TelephonyCommands } from './telephony.port.js';
import { createTelephonyRouter } from './telephony.router.js';

/** An adapter that only records which of its commands ran. */
function recordingAdapter(calls: string[], name: string): TelephonyCommands {
  const record = (command: string) => async () => {
    calls.push(`${name}.${command}`);
    return command === 'connectAgent'
      ? { providerCallId: name }
      : command === 'startRecording'
        ? { recordingRef: name }
        : null;
  };
  return new Proxy({} as TelephonyCommands, { get: (_target, command: string) => record(command) });
}

const target = (provider: CallTarget['provider']): CallTarget => ({
  interactionId: 7,
  provider,
  providerCallId: 'call-7',
  conferenceName: 'interaction-7-1',
});

describe('the telephony router', () => {
  it('sends each command to the adapter that carries the call', async () => {
    const calls: string[] = [];
    const router = createTelephonyRouter({
      twilio: recordingAdapter(calls, 'twilio'),
      sip: recordingAdapter(calls, 'sip'),
    });
    await router.hangUp(target('sip'));
    await router.hold(target('twilio'));
    expect(
      await router.connectAgent({ ...target('sip'), agent: { sipAddress: 'sip:ana@cti.test' } }),
    ).toEqual({
      providerCallId: 'sip',
    });
    expect(calls).toEqual(['sip.hangUp', 'twilio.hold', 'sip.connectAgent']);
  });

  it('fails a call of a provider it has no adapter for as unavailable', async () => {
    const router = createTelephonyRouter({ twilio: null, sip: recordingAdapter([], 'sip') });
    const failure = await router.hangUp(target('twilio')).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TelephonyCommandError);
    expect(failure).toMatchObject({ failure: 'unavailable', provider: 'twilio' });
  });
});
