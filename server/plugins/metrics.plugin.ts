import fp from 'fastify-plugin';
import { Histogram, Registry, collectDefaultMetrics } from 'prom-client';

declare module 'fastify' {
  interface FastifyInstance {
    /** The app's Prometheus registry: domains register their own metrics in it (server/crm-lookup). */
    metricsRegistry: Registry;
  }
}

/** Prometheus metrics at GET /metrics: process defaults plus HTTP request durations by route. */
export const metricsPlugin = fp(
  async (app) => {
    // One registry per app, so several apps in one test process do not collide.
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: 'cti_' });
    app.decorate('metricsRegistry', registry);
    const requestDuration = new Histogram({
      name: 'cti_http_request_duration_seconds',
      help: 'HTTP request duration by method, route and status code',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers: [registry],
    });

    app.addHook('onResponse', async (request, reply) => {
      requestDuration.observe(
        {
          method: request.method,
          // The route pattern, never the raw URL: ids and search text must not become labels.
          route: request.routeOptions.url ?? 'unmatched',
          status_code: String(reply.statusCode),
        },
        reply.elapsedTime / 1000,
      );
    });

    app.get('/metrics', { schema: { hide: true } }, async (_request, reply) =>
      reply.type(registry.contentType).send(await registry.metrics()),
    );
  },
  { name: 'metrics' },
);
