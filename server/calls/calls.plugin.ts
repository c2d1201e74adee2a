import fp from 'fastify-plugin';
import { createJobs, type Jobs } from '../jobs/jobs.js';
import type { AppContext } from '../plugins/app-context.js';
import { agentRoom } from '../realtime/realtime.events.js';
import { createCallSessions } from './call-sessions.js';
import { CALL_JOBS, type CallJobPayloads } from './calls.jobs.js';
import { createCallsService, type CallsService } from './calls.service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The call path: IVR → ACD → offers → desk commands → wrap-up. */
    calls: CallsService;
    /** The call path's delayed work (callbacks) in BullMQ. */
    jobs: Jobs<CallJobPayloads>;
  }
}

/** How often the call path's timers run (offers ringing out, timed after-call work, dispatch), in ms. */
const CALL_TIMERS_MS = 1000;

/**
 * The call path and what it runs on its own: callbacks as jobs (in the same Redis, run by every
 * server process) and its timers. Both stop before the sockets and Redis close, so no call state is
 * written half.
 */
export const callsPlugin = fp<AppContext>(
  async (app, { config, clock, callTimers }) => {
    const prefix = app.callStatePrefix;
    const jobs = createJobs<CallJobPayloads>({
      redisUrl: config.redisUrl,
      prefix: `${prefix}bull`,
      queueName: 'calls',
      log: app.log,
    });
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
    app.decorate('jobs', jobs);
    app.addHook('onReady', async () =>
      jobs.start({ [CALL_JOBS.queueCallback]: (job) => calls.queueCallback(job) }),
    );
    app.addHook('onClose', async () => jobs.close());
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
