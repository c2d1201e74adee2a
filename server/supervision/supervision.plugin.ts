import fp from 'fastify-plugin';
import type { AppContext } from '../plugins/app-context.js';
import { roleRoom, supervisionRoom } from '../realtime/realtime.events.js';
import { createAgentTimes } from './agent-time.js';
import { createAlerts, liveViewsWithAlerts } from './alerts.js';
import { createLivePublisher } from './live-publisher.js';
import { createSupervisorLegs } from './supervisor-legs.js';
import { createSupervisionRepository } from './supervision.repository.js';
import { supervisionRoutes } from './supervision.routes.js';
import { createSupervisionService } from './supervision.service.js';
import { attachSupervision, emitView } from './supervision.socket.js';

/** How often the live views are recomputed without an event, in milliseconds. */
const LIVE_REFRESH_MS = 1000;

/**
 * The supervisors' live views (pushed on every change of the call path), alerts, and interventions.
 */
export const supervisionPlugin = fp<AppContext>(
  async (app, { config, clock }) => {
    const prefix = `${app.callStatePrefix}supervision:`;
    const repository = createSupervisionRepository(app.db);
    const supervision = createSupervisionService({
      acd: app.acd,
      repository,
      agentTimes: createAgentTimes({ redis: app.redis, prefix }),
      callQueues: app.callQueues,
      agents: app.agents,
      interactions: app.interactions,
      calls: app.calls,
      audit: app.audit,
      supervisorTelephony: app.telephony.supervisor,
      supervisorLegs: createSupervisorLegs({ redis: app.redis, prefix }),
      clock,
      shortAbandonSeconds: config.shortAbandonSeconds,
      timeZone: config.supervisionTimeZone,
    });
    const alerts = createAlerts({
      repository,
      redis: app.redis,
      prefix: `${prefix}alerts:`,
      clock,
      shortAbandonSeconds: config.shortAbandonSeconds,
      notify: (alert) =>
        app.io.to([roleRoom('supervisor'), roleRoom('admin')]).emit('supervision:alert', alert),
      webhook: config.alertWebhook,
      log: app.log,
    });
    const live = createLivePublisher({
      redis: app.redis,
      prefix: `${prefix}live:`,
      compute: liveViewsWithAlerts(supervision, alerts, app.log),
      emit: (view, payload) => emitView(app.io.to(supervisionRoom(view)), view, payload),
      log: app.log,
    });
    app.callPathChanges.onChange(live.markDirty);
    attachSupervision(app.io, live, app.log);
    await app.register(supervisionRoutes, { prefix: '/api/supervision', supervision });
    // Waits grow into alerts without an event, and some changes pass neither through the ACD nor a
    // desk (callback follow-ups, a queue's settings): the views are recomputed every second too.
    let timer: NodeJS.Timeout | undefined;
    app.addHook('onReady', async () => {
      timer = setInterval(live.markDirty, LIVE_REFRESH_MS);
    });
    app.addHook('preClose', async () => {
      clearInterval(timer);
      await live.close();
    });
  },
  {
    name: 'supervision',
    dependencies: [
      'db',
      'audit',
      'realtime',
      'acd',
      'telephony',
      'calls',
      'call-queues',
      'agents',
      'interactions',
    ],
  },
);
