import fp from 'fastify-plugin';
import { loadFlows } from '../../ivr/index.js';
import type { AppContext } from '../plugins/app-context.js';
import { agentRoom } from '../realtime/realtime.events.js';
import { createCallSessions } from './call-sessions.js';
import { CALL_JOBS } from './calls.jobs.js';
import { createCallsService, type CallsService } from './calls.service.js';
import { createIvrRun } from './ivr-run.js';
import type { CallEvents } from '../telephony/index.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The call path: IVR → ACD → offers → desk commands → wrap-up. */
    calls: CallsService;
    /** What the telephony adapters report to: the call path and the IVR run beside it. */
    callEvents: CallEvents;
  }
}

/** How often the call path's timers run (offers ringing out, timed after-call work, dispatch), in ms. */
const CALL_TIMERS_MS = 1000;

/**
 * The call path and what it runs on its own: the callback jobs it adds (the worker starts once the
 * app is ready) and its timers, which stop before the jobs, sockets and Redis close.
 */
export const callsPlugin = fp<AppContext>(
  async (app, { config, clock, callTimers, flowsDir }) => {
    const prefix = app.callStatePrefix;
    const { jobs } = app;
    const sessions = createCallSessions({ redis: app.redis, prefix: `${prefix}calls:` });
    const calls = createCallsService({
      acd: app.acd,
      jobs,
      sessions,
      interactions: app.interactions,
      customers: app.customers,
      callQueues: app.callQueues,
      agents: app.agents,
      followUps: app.followUps,
      surveys: app.surveys,
      telephony: app.telephony.commands,
      callReader: app.telephony.callReader,
      breakReasons: config.breakReasons,
      pushDesk: (agentId, state) => {
        app.io.to(agentRoom(agentId)).emit('desk:state', state);
        app.callPathChanges.notify();
      },
      clock,
      log: app.log,
      crm: app.crmLookup,
    });
    app.decorate('calls', calls);
    // A survey ends after its call, while the Agent may still see the caller's pop in wrap-up.
    app.surveys.onCompleted((survey) => app.customers.screenPopChanged(survey.customerId));
    const ivrRun = createIvrRun({
      sessions,
      flows: await loadFlows(flowsDir),
      clock,
      calls,
      // Recordings are built on the call path, so they are looked up when a sensitive step is reached.
      onSensitiveStep: (interactionId, sensitive) => app.recordings.sensitiveStep(interactionId, sensitive),
      log: app.log,
    });
    app.decorate('callEvents', { ...calls, ...ivrRun });
    app.addHook('onReady', async () =>
      jobs.start({ [CALL_JOBS.queueCallback]: (job) => calls.queueCallback(job) }),
    );
    if (!callTimers) return;
    let timer: NodeJS.Timeout | undefined;
    app.addHook('onReady', async () => {
      timer = setInterval(() => {
        calls.tick().catch((error: unknown) => app.log.error({ err: error }, 'call timers failed'));
      }, CALL_TIMERS_MS);
    });
    app.addHook('preClose', async () => clearInterval(timer));
  },
  {
    name: 'calls',
    dependencies: [
      'call-state',
      'acd',
      'realtime',
      'telephony',
      'interactions',
      'customers',
      'call-queues',
      'agents',
      'follow-ups',
      'surveys',
      'crm-lookup',
    ],
  },
);
