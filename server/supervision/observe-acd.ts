import type { Acd } from '../../queues/index.js';

/** The ACD methods that change waiting calls, agents or reservations. */
const CHANGES = [
  'setAgentProfile',
  'agentEvent',
  'planNext',
  'endWrapUp',
  'enqueue',
  'offerToAgent',
  'startOutbound',
  'abandon',
  'leaveQueue',
  'moveToQueue',
  'raisePriority',
  'dispatch',
  'acceptReservation',
  'rejectReservation',
  'expireReservations',
  'endCall',
  'requeue',
  'expireWrapUps',
] as const satisfies readonly (keyof Acd)[];

/** The ACD methods that change none of that (a queue's settings are not a live figure). */
type Reads =
  | 'upsertQueue'
  | 'getAgent'
  | 'getCall'
  | 'getReservation'
  | 'snapshot'
  | 'position'
  | 'estimatedWaitSeconds'
  | 'checkInvariants';

// A method added to the ACD must be sorted into CHANGES or Reads, or this stops compiling.
type Unsorted = Exclude<keyof Acd, (typeof CHANGES)[number] | Reads>;
export const EVERY_ACD_METHOD_SORTED: [Unsorted] extends [never] ? true : Unsorted = true;

/**
 * The same ACD, telling `changed` after each change it makes, so the live views follow the ACD's
 * events instead of polling it. The sweeps (dispatch, expiries) run every second and usually change
 * nothing: an empty answer from them is not a change.
 */
export function observeAcd(acd: Acd, changed: () => void): Acd {
  const observed: Record<string, unknown> = { ...acd };
  for (const name of CHANGES) {
    const method = (acd[name] as (...args: unknown[]) => Promise<unknown>).bind(acd);
    observed[name] = async (...args: unknown[]) => {
      const result = await method(...args);
      if (!Array.isArray(result) || result.length > 0) changed();
      return result;
    };
  }
  return observed as Acd;
}
