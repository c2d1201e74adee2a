import type { CallQueue } from '../call-queues/call-queues.schemas.js';
import type { CallSession, CallSessions } from '../calls/call-sessions.js';

/** A CallQueue as the service returns it: no overflow, no max wait, no after-call work unless given. */
export function aCallQueue(fields: Partial<CallQueue> & Pick<CallQueue, 'id'>): CallQueue {
  return {
    name: `queue ${fields.id}`,
    timeZone: 'UTC',
    priority: 0,
    priorityRules: {},
    strategy: 'longest_idle',
    slTargetSeconds: 20,
    slTargetPercent: 80,
    tierTargets: {},
    maxWaitSeconds: null,
    maxWaitAction: 'voicemail',
    overflowAfterSeconds: null,
    overflowQueueId: null,
    joinEmpty: true,
    leaveWhenEmpty: false,
    acwPolicy: 'none',
    acwSeconds: null,
    wrapUpCodeSetId: null,
    recordingPolicy: 'none',
    surveyEnabled: false,
    skills: [],
    ...fields,
  };
}

/** Call sessions in memory, for unit tests of the call path that need no Redis. */
export function inMemorySessions(initial: CallSession[] = []): Pick<
  CallSessions,
  'get' | 'put' | 'update'
> & {
  all: Map<number, CallSession>;
} {
  const all = new Map(initial.map((session) => [session.interactionId, session]));
  return {
    all,
    get: (interactionId) => Promise.resolve(all.get(interactionId) ?? null),
    put: (session) => {
      all.set(session.interactionId, session);
      return Promise.resolve();
    },
    update: (interactionId, change) => {
      const session = all.get(interactionId);
      if (!session) return Promise.resolve(null);
      const next = { ...session, ...change(session) };
      all.set(interactionId, next);
      return Promise.resolve(next);
    },
  };
}
