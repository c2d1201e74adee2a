import fp from 'fastify-plugin';
import type { AppContext } from '../plugins/app-context.js';
import { recordingsRoutes } from './recordings.routes.js';
import { createRecordingsService, type RecordingsService } from './recordings.service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Recording controls (pause, resume, on demand, the payment steps' pause) and playback. */
    recordings: RecordingsService;
  }
}

export const recordingsPlugin = fp<AppContext>(
  async (app, { clock }) => {
    const recordings = createRecordingsService({
      calls: app.calls,
      callQueues: app.callQueues,
      interactions: app.interactions,
      telephony: app.telephony.commands,
      media: app.telephony.recordingMedia,
      audit: app.audit,
      clock,
      log: app.log,
    });
    app.decorate('recordings', recordings);
    await app.register(recordingsRoutes, { prefix: '/api', recordings });
  },
  { name: 'recordings', dependencies: ['audit', 'calls', 'call-queues', 'interactions', 'telephony'] },
);
