// The call path's public surface. Where a call is…
//   arriving and identified ........ arrival.ts
//   queued, offered, accepted ...... routing.ts (waiting rules: queue-wait.ts)
//   answered or ended by a leg ..... call-legs.ts (agent-leg.ts, answer-evidence.ts)
//   handled from the desk .......... desk-commands.ts, outbound.ts, desk-state.ts
//   transferred or consulted ....... transfers.ts, transfer-parts.ts, transfer.machine.ts
//   called back .................... callbacks.ts
//   wrapped up ..................... wrap-up.ts
//   moved along by time ............ timers.ts
// All of them share call-context.ts; calls.service.ts composes them.
export {
  createCallsService,
  deskError,
  type Arrival,
  type CallsService,
  type CallsServiceDeps,
} from './calls.service.js';
export { createCallSessions, newSession, type CallSession, type CallSessions } from './call-sessions.js';
export { CALL_JOBS, type CallJobPayloads, type CallbackJob } from './calls.jobs.js';
export { attachDesk, type RecordingControl } from './desk.socket.js';
export { callsRoutes, type CallsRoutesOptions } from './calls.routes.js';
export type { TransferTargets, DialBody } from './calls.schemas.js';
