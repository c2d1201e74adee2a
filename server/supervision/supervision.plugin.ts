import fp from 'fastify-plugin';
import { createTeams } from '../follow-ups/index.js';
import type { AppContext } from '../plugins/app-context.js';
import { roleRoom, supervisionRoom } from '../realtime/realtime.events.js';
import { createAgentTimes } from './agent-time.js';
import { createAlerts, liveViewsWithAlerts } from './alerts.js';
import { attachDeskBacklog, backlogOf, type DeskBacklog, type DeskBacklogRooms } from './backlog.js';
import { createLivePublisher } from './live-publisher.js';
import { createSupervisorLegs } from './supervisor-legs.js';
import { createSupervisionRepository } from './supervision.repository.js';
import { supervisionRoutes } from './supervision.routes.js';
import { createSupervisionService } from './supervision.service.js';
import type { AgentsLive, QueuesLive } from './supervision.schemas.js';
import { attachSupervision, emitView, type SupervisionViews } from './supervision.socket.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The desks' backlog rooms, moved when an agent's or a queue's skills change. */
    deskBacklog: DeskBacklogRooms;
  }
}

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
    const views = liveViewsWithAlerts(supervision, alerts, app.log);
    let lastQueues: QueuesLive | null = null;
    const live = createLivePublisher<SupervisionViews>({
      redis: app.redis,
      prefix: `${prefix}live:`,
      compute: {
        queues: async () => (lastQueues = await views.queues()),
        agents: views.agents,
        // The desks' view is cut from the supervisors' queues view, not computed again.
        backlog: async () => backlogOf(lastQueues ?? (lastQueues = await views.queues())),
      },
      emit: (view, payload) => {
        if (view === 'backlog') deskBacklog.emit(payload as DeskBacklog);
        else emitView(app.io.to(supervisionRoom(view)), view, payload as QueuesLive | AgentsLive);
      },
      log: app.log,
    });
    const teams = createTeams(app.agents, app.callQueues);
    const deskBacklog = attachDeskBacklog({
      io: app.io,
      queueIdsOf: (agentId) => teams.queueIdsOf(agentId),
      agents: app.agents,
      callQueues: app.callQueues,
      latest: () => live.latest('backlog'),
      log: app.log,
    });
    app.decorate('deskBacklog', deskBacklog);
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
