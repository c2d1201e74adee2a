import fp from 'fastify-plugin';
import type { AppContext } from '../plugins/app-context.js';
import { agentRoom } from '../realtime/realtime.events.js';
import { createCallSessions } from './call-sessions.js';
import { CALL_JOBS } from './calls.jobs.js';
import { createCallsService, type CallsService } from './calls.service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The call path: IVR → ACD → offers → desk commands → wrap-up. */
    calls: CallsService;
  }
}

/** How often the call path's timers run (offers ringing out, timed after-call work, dispatch), in ms. */
const CALL_TIMERS_MS = 1000;

/**
 * The call path and what it runs on its own: the callback jobs it adds (the worker starts once the
 * app is ready) and its timers, which stop before the jobs, sockets and Redis close.
 */
export const callsPlugin = fp<AppContext>(
  async (app, { config, clock, callTimers }) => {
    const prefix = app.callStatePrefix;
    const { jobs } = app;
    const calls = createCallsService({
      acd: app.acd,
      jobs,
      sessions: createCallSessions({ redis: app.redis, prefix: `${prefix}calls:` }),
      interactions: app.interactions,
      customers: app.customers,
      callQueues: app.callQueues,
      agents: app.agents,
      telephony: app.telephony.commands,
      callReader: app.telephony.callReader,
      breakReasons: config.breakReasons,
      pushDesk: (agentId, state) => {
        app.io.to(agentRoom(agentId)).emit('desk:state', state);
        app.callPathChanges.notify();
      },
      clock,
      log: app.log,
    });
    app.decorate('calls', calls);
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
    ],
  },
);
