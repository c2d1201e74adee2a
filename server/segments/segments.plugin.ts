import fp from 'fastify-plugin';
import type { AppContext } from '../plugins/app-context.js';
import { createSegmentsRepository } from './segments.repository.js';
import { segmentsRoutes } from './segments.routes.js';
import { createSegmentsService, type SegmentsService } from './segments.service.js';

declare module 'fastify' {
  interface FastifyInstance {
    segments: SegmentsService;
  }
}

/**
 * Saved customer filters under /api/segments. Registered before the customers plugin, whose list
 * filters by segment (`GET /api/customers?segment=`); the reports read a segment's SQL themselves.
 */
export const segmentsPlugin = fp<AppContext>(
  async (app, { clock }) => {
    const segments = createSegmentsService({
      segments: createSegmentsRepository(app.db),
      audit: app.audit,
      clock,
    });
    app.decorate('segments', segments);
    await app.register(segmentsRoutes, { prefix: '/api/segments', segments });
  },
  { name: 'segments', dependencies: ['db', 'audit', 'auth'] },
);
