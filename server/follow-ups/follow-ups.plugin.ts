import fp from 'fastify-plugin';
import { FOLLOW_UP_EVENTS } from '../../contracts/follow-up-events.js';
import { createJobs, type Jobs } from '../jobs/jobs.js';
import type { AppContext } from '../plugins/app-context.js';
import { agentRoom, roleRoom } from '../realtime/realtime.events.js';
import {
  FOLLOW_UP_JOBS,
  REMINDER_CRON,
  REMINDER_SCHEDULER_ID,
  type FollowUpJobPayloads,
} from './follow-ups.jobs.js';
import { createFollowUpsRepository } from './follow-ups.repository.js';
import { followUpsRoutes } from './follow-ups.routes.js';
import { createFollowUpsService, type FollowUpsService, type Recipients } from './follow-ups.service.js';
import { createTeams } from './teams.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Follow-ups as work; other domains' rules call `createByRule`. */
    followUps: FollowUpsService;
    /** The reminder schedule's queue (read by tests and operations). */
    followUpJobs: Jobs<FollowUpJobPayloads>;
  }
}

/**
 * Follow-ups: the service other domains call, the REST routes, and the reminder sweep. The sweep is
 * a BullMQ schedule in a queue of its own, so one process runs each minute's sweep; a sweep claims
 * every reminder in the database before pushing it, so even two sweeps at once send it once.
 */
export const followUpsPlugin = fp<AppContext>(
  async (app, { config, clock }) => {
    const rooms = (to: Recipients) => [
      ...to.agentIds.map(agentRoom),
      ...(to.supervisors ? [roleRoom('supervisor'), roleRoom('admin')] : []),
    ];
    const followUps = createFollowUpsService({
      repository: createFollowUpsRepository(app.db),
      customerExists: (customerId) => app.customers.tierOf(customerId) !== null,
      customerOfInteraction: (interactionId) => {
        try {
          return app.interactions.facts(interactionId).customerId;
        } catch {
          return undefined;
        }
      },
      teams: createTeams(app.agents, app.callQueues),
      audit: app.audit,
      clock,
      events: app.webhookEvents,
      push: {
        // socket.io's to([]) would mean everyone: an empty list sends nothing.
        changed(to, followUpId) {
          // The customer's open follow-ups are on the screen pop of their calls.
          app.customers.screenPopChanged(null);
          const names = rooms(to);
          if (names.length > 0) app.io.to(names).emit(FOLLOW_UP_EVENTS.changed, { followUpId });
        },
        reminder(to, reminder) {
          const names = rooms(to);
          if (names.length > 0) app.io.to(names).emit(FOLLOW_UP_EVENTS.reminder, reminder);
        },
      },
    });
    app.decorate('followUps', followUps);

    const jobs = createJobs<FollowUpJobPayloads>({
      redisUrl: config.redisUrl,
      prefix: `${app.callStatePrefix}bull`,
      queueName: 'follow-ups',
      log: app.log,
      concurrency: 1,
    });
    app.addHook('onClose', async () => jobs.close());
    app.addHook('onReady', async () =>
      jobs.start({
        [FOLLOW_UP_JOBS.sweepReminders]: async () => {
          const sent = followUps.sweepReminders();
          if (sent > 0) app.log.info({ sent }, 'follow-up reminders sent');
        },
      }),
    );
    await jobs.repeat(REMINDER_SCHEDULER_ID, REMINDER_CRON, FOLLOW_UP_JOBS.sweepReminders, {});
    app.decorate('followUpJobs', jobs);
    await app.register(followUpsRoutes, { prefix: '/api', followUps });
  },
  {
    name: 'follow-ups',
    dependencies: [
      'db',
      'audit',
      'auth',
      'realtime',
      'call-state',
      'interactions',
      'customers',
      'agents',
      'call-queues',
      'webhook-outbox',
    ],
  },
);
