import {
  TelephonyCommandError,
  type CallReader,
  type CallTarget,
  type TelephonyCommands,
  type TelephonyProvider,
} from './telephony.port.js';

/**
 * One TelephonyCommands in front of every configured adapter: each command goes to the adapter that
 * carries the Call (`target.provider`). A Call of a provider that is not configured here fails with
 * `unavailable`, as if that provider were down.
 */
export function createTelephonyRouter(
  adapters: Partial<Record<TelephonyProvider, TelephonyCommands | null>>,
): TelephonyCommands {
  const adapterFor = (target: CallTarget): TelephonyCommands => {
    const adapter = adapters[target.provider];
    if (!adapter)
      throw new TelephonyCommandError(
        'unavailable',
        target.provider,
        `No ${target.provider} adapter is configured`,
      );
    return adapter;
  };
  return {
    connectAgent: async (input) => adapterFor(input).connectAgent(input),
    canRing: async (target, agent) => adapterFor(target).canRing(target, agent),
    dialCustomer: async (input) => adapterFor(input).dialCustomer(input),
    muteAgent: async (target, muted) => adapterFor(target).muteAgent(target, muted),
    hold: async (target) => adapterFor(target).hold(target),
    resume: async (target) => adapterFor(target).resume(target),
    transfer: async (input) => adapterFor(input).transfer(input),
    hangUp: async (target) => adapterFor(target).hangUp(target),
    startSurvey: async (target) => adapterFor(target).startSurvey(target),
    offerAlternative: async (target, alternative) => adapterFor(target).offerAlternative(target, alternative),
    startRecording: async (target) => adapterFor(target).startRecording(target),
    pauseRecording: async (target) => adapterFor(target).pauseRecording(target),
    resumeRecording: async (target) => adapterFor(target).resumeRecording(target),
    stopRecording: async (target) => adapterFor(target).stopRecording(target),
  };
}

/**
 * One CallReader in front of each provider's: a leg is read from the provider that carries its Call.
 * A provider that cannot be read answers `unsupported`, never "no such leg": that would end the Call.
 */
export function createCallReaderRouter(
  readers: Partial<Record<TelephonyProvider, CallReader | null>>,
): CallReader {
  const readerFor = (target: CallTarget): CallReader => {
    const reader = readers[target.provider];
    if (!reader)
      throw new TelephonyCommandError(
        'unsupported',
        target.provider,
        `${target.provider} calls cannot be read`,
      );
    return reader;
  };
  return {
    leg: async (target, providerCallId) => readerFor(target).leg(target, providerCallId),
    bridgeLegs: async (target) => readerFor(target).bridgeLegs(target),
  };
}
