import type { FastifyBaseLogger } from 'fastify';
import {
  flowForNumber,
  initialState,
  inSensitiveStep,
  IvrStateError,
  step,
  type Effect,
  type Flow,
  type FlowCatalog,
  type IvrOutcome,
  type IvrState,
  type StepInput,
} from '../../ivr/index.js';
import type { Clock } from '../clock.js';
import type { CallEvents, IvrAnswer, IvrLinks, IvrReply } from '../telephony/index.js';
import type { CallSession, CallSessions } from './call-sessions.js';

export interface IvrRunDeps {
  /** The run is the only writer of a session's `ivr` and `lastTwiml`. */
  sessions: Pick<CallSessions, 'get' | 'update'>;
  flows: FlowCatalog;
  clock: Clock;
  /** What the IVR's lookups and outcomes do in the rest of the call path. */
  calls: Pick<CallEvents, 'enqueue' | 'callbackRequested' | 'ivrFinished' | 'dispatch'> & {
    /** Looks the caller up by caller ID or keyed-in digits and records who it is. */
    identify(interactionId: number, effect: Effect): number | null;
    /** Records the walk so far (every step, so a caller who hangs up mid-flow leaves their last node). */
    ivrProgress(
      interactionId: number,
      progress: { flowId: string; path: readonly string[]; end: IvrOutcome['kind'] | null },
    ): void;
  };
  /** The caller entered (true) or left (false) an IVR node marked `sensitive`: pause or resume recording. */
  onSensitiveStep?: (interactionId: number, sensitive: boolean) => Promise<void>;
  log: FastifyBaseLogger;
}

/**
 * The IVR's walk for a live call: from the caller's answer to the next prompt or the flow's end, with
 * the lookups and the outcome (queue, callback, voicemail) done on the way. One call per provider
 * request, so an adapter never reads or writes the IVR state itself.
 */
export function createIvrRun({ sessions, flows, clock, calls, onSensitiveStep, log }: IvrRunDeps) {
  async function run(
    session: CallSession,
    flow: Flow,
    state: IvrState,
    input: StepInput,
    links: IvrLinks,
  ): Promise<IvrReply> {
    const { interactionId } = session;
    const context = {
      now: clock.now(),
      callerNumber: session.callerNumber ?? '',
      actionUrl: (nodeId: string) => links.answerUrl(nodeId),
      recordingCallbackUrl: links.recordingUrl,
    };
    let result = step(flow, state, input, context);
    while (result.effect) {
      const customerId = calls.identify(interactionId, result.effect);
      result = step(flow, result.state, { identified: customerId === null ? null : { customerId } }, context);
    }
    const { awaiting, path } = result.state;
    calls.ivrProgress(interactionId, {
      flowId: flow.id,
      path,
      end: awaiting.kind === 'finished' ? awaiting.outcome.kind : null,
    });
    const sensitive = inSensitiveStep(flow, result.state);
    // Before the provider gets the prompt that asks for the digits (or moves on), so none reach a recording.
    if (sensitive !== inSensitiveStep(flow, state)) await onSensitiveStep?.(interactionId, sensitive);
    const answers = result.state.answers;
    switch (result.outcome?.kind) {
      // The document says the route node's prompt and redirects back; that answer parks the caller.
      case 'enqueue':
        await calls.enqueue(interactionId, {
          queueName: result.outcome.queue,
          priorityBoostSeconds: result.outcome.priorityBoost,
          ivrAnswers: answers,
        });
        break;
      case 'callback_requested':
        await calls.callbackRequested(interactionId, answers, result.outcome.queue);
        break;
      case 'voicemail':
        await calls.ivrFinished(interactionId, 'voicemail', answers);
        break;
      case 'transfer':
        await calls.ivrFinished(interactionId, 'transferred', answers);
        break;
      default:
        break;
    }
    // Only the IVR's own fields: the outcome above wrote the queue's in between.
    await sessions.update(interactionId, () => ({ ivr: result.state, lastTwiml: result.twiml }));
    if (result.outcome?.kind === 'enqueue')
      setImmediate(
        () => void calls.dispatch().catch((err: unknown) => log.error({ err }, 'dispatch failed')),
      );
    return { kind: 'document', document: result.twiml };
  }

  return {
    async startIvr(interactionId: number, dialled: string, links: IvrLinks): Promise<IvrReply> {
      const session = await sessions.get(interactionId);
      if (!session) return { kind: 'gone' };
      const flow = flowForNumber(flows, dialled);
      return run(session, flow, initialState(flow), {}, links);
    },

    async ivrStep(interactionId: number, answer: IvrAnswer, links: IvrLinks): Promise<IvrReply> {
      const session = await sessions.get(interactionId);
      const ivr = session?.ivr;
      if (!session || !ivr) return { kind: 'gone' };
      if (ivr.awaiting.kind === 'finished') {
        if (session.queueEmpty) return { kind: 'queue_empty', alternative: session.queueEmpty };
        if (ivr.awaiting.outcome.kind === 'enqueue') return { kind: 'queued' };
      }
      const flow = flows.flows.get(ivr.flowId);
      if (!flow) return { kind: 'gone' };
      try {
        return await run(session, flow, ivr, answer, links);
      } catch (error) {
        if (!(error instanceof IvrStateError)) throw error;
        // A retried answer to a step the call has passed: it hears the last prompt again.
        log.warn({ interactionId, err: error.message }, 'IVR answer out of turn');
        return session.lastTwiml === null
          ? { kind: 'gone' }
          : { kind: 'document', document: session.lastTwiml };
      }
    },
  };
}

export type IvrRun = ReturnType<typeof createIvrRun>;
