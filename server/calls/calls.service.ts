import type { AckRefusal } from '../../contracts/socket.js';
import { RequestError } from '../http/errors.js';
import { TelephonyCommandError } from '../telephony/index.js';
import { createArrival } from './arrival.js';
import { createCallContext, type CallsServiceDeps } from './call-context.js';
import { createCallLegs } from './call-legs.js';
import { createCallbacks } from './callbacks.js';
import { createDeskCommands } from './desk-commands.js';
import { createOutbound } from './outbound.js';
import { createRouting } from './routing.js';
import { createTimers } from './timers.js';
import { createTransfers } from './transfers.js';
import { createWrapUp } from './wrap-up.js';

export type { CallsServiceDeps } from './call-context.js';
export type { Arrival } from './arrival.js';

/**
 * The provider-neutral call path: interactions, the ACD, offers to agents' desks, and what agents do
 * with calls. Telephony adapters call in with what happened; agents' desks call in with commands.
 * Every step is idempotent or refuses with a typed error, since webhooks repeat and desks race.
 * Each capability lives in its own module around one shared call context (call-context.ts).
 */
export function createCallsService(deps: CallsServiceDeps) {
  const ctx = createCallContext(deps);
  const routing = createRouting(ctx);
  const { dispatch } = routing;
  const arrival = createArrival(ctx);
  const callbacks = createCallbacks(ctx, { dispatch, ivrFinished: arrival.ivrFinished });
  const legs = createCallLegs(ctx, { dispatch, callbackUnanswered: callbacks.callbackUnanswered });
  const transfers = createTransfers(ctx, {
    dispatch,
    offer: routing.offer,
    conversationStarted: legs.conversationStarted,
    keepCallerForSurvey: legs.keepCallerForSurvey,
  });
  const desk = createDeskCommands(ctx, {
    dispatch,
    accept: routing.accept,
    decline: routing.decline,
    callerEnded: legs.callerEnded,
    keepCallerForSurvey: legs.keepCallerForSurvey,
    returnToQueue: legs.returnToQueue,
    transferLegEnded: transfers.transferLegEnded,
  });
  const outbound = createOutbound(ctx, { callerEnded: legs.callerEnded });
  const wrapUp = createWrapUp(ctx, { dispatch, scheduleCallbackCall: callbacks.scheduleCallbackCall });
  const timers = createTimers(ctx, { dispatch });

  return {
    deskState: ctx.deskState,
    push: ctx.push,
    /** For capabilities beside the call path (recordings): the Agent's own live call, and how to address it. */
    ownCall: ctx.ownCall,
    callTarget: ctx.target,

    // A call arrives and goes through the IVR (arrival.ts).
    arrive: arrival.arrive,
    session: arrival.session,
    saveSession: arrival.saveSession,
    identify: arrival.identify,
    ivrProgress: arrival.ivrProgress,
    interactionOf: arrival.interactionOf,
    ownerOfCall: arrival.ownerOfCall,
    transferredCallArrived: arrival.transferredCallArrived,
    ivrFinished: arrival.ivrFinished,
    recordingReady: arrival.recordingReady,
    handedOff: arrival.handedOff,

    // Into a CallQueue and out to an agent (routing.ts).
    dispatch,
    ensureRouted: routing.ensureRouted,
    enqueue: routing.enqueue,
    waitingInfo: routing.waitingInfo,
    signedOut: routing.signedOut,

    // What the provider says about the call's legs (call-legs.ts).
    callerEnded: legs.callerEnded,
    /**
     * The agent's phone refused or never answered the call they accepted, as Kamailio's hook says;
     * true when the call went back to its queue. Offers follow once the caller is held again.
     */
    agentLegFailed: (interactionId: number, failure: string) =>
      ctx.agentLeg.failedAfterAccept(interactionId, failure),
    agentLegEnded: legs.agentLegEnded,
    agentLegAnswered: legs.agentLegAnswered,
    customerAnswered: legs.customerAnswered,
    legJoined: legs.legJoined,

    // Callbacks (callbacks.ts).
    callbackRequested: callbacks.callbackRequested,
    queueCallback: callbacks.queueCallback,

    // What agents do from their desk (desk-commands.ts, outbound.ts).
    setStatus: desk.setStatus,
    planNext: desk.planNext,
    accept: desk.accept,
    reject: desk.reject,
    dial: outbound.dial,
    hold: desk.hold,
    resume: desk.resume,
    providerHoldChanged: desk.providerHoldChanged,
    mute: desk.mute,
    hangUp: desk.hangUp,

    // Blind and warm transfers (transfers.ts, transfer.machine.ts).
    transfer: transfers.transfer,
    consult: transfers.consult,
    completeConsult: transfers.completeConsult,
    cancelConsult: transfers.cancelConsult,
    transferLegAnswered: transfers.transferLegAnswered,
    transferLegEnded: transfers.transferLegEnded,
    transferTargets: transfers.transferTargets,

    // After the call (wrap-up.ts) and as time passes (timers.ts).
    linkCustomer: wrapUp.linkCustomer,
    submitWrapUp: wrapUp.submitWrapUp,
    tick: timers.tick,
  };
}

export type CallsService = ReturnType<typeof createCallsService>;

/** Turns what a desk command threw into the message its ack carries. */
export function deskError(error: unknown): AckRefusal | null {
  if (error instanceof RequestError) return error.toAck();
  if (error instanceof TelephonyCommandError) {
    return { ok: false, error: `The phone system could not do that: ${error.message}`, code: 'conflict' };
  }
  return null;
}
