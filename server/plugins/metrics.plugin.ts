import fp from 'fastify-plugin';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What benchmarks count besides requests (`BENCH_COUNTERS`): each call is one statement or message. */
export interface WorkCounters {
  sqliteStatement: () => void;
  socketMessage: (direction: 'in' | 'out') => void;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The app's Prometheus registry: domains register their own metrics in it (server/crm-lookup). */
    metricsRegistry: Registry;
    /** Null unless `BENCH_COUNTERS` is on. */
    workCounters: WorkCounters | null;
  }
}

function workCounters(registry: Registry): WorkCounters {
  const statements = new Counter({
    name: 'cti_sqlite_statements_total',
    help: 'SQLite statements run by the main connection (BENCH_COUNTERS)',
    registers: [registry],
  });
  const messages = new Counter({
    name: 'cti_socketio_messages_total',
    help: 'socket.io messages sent to (out) or received from (in) consoles (BENCH_COUNTERS)',
    labelNames: ['direction'],
    registers: [registry],
  });
  const sent = messages.labels('out');
  const received = messages.labels('in');
  return {
    sqliteStatement: () => statements.inc(),
    socketMessage: (direction) => (direction === 'out' ? sent : received).inc(),
  };
}

/**
 * Prometheus metrics at GET /metrics: process defaults plus HTTP request durations by route, and
 * with `countWork` the statements and socket messages of {@link WorkCounters}.
 */
export const metricsPlugin = fp<{ countWork: boolean }>(
  async (app, { countWork }) => {
    // One registry per app, so several apps in one test process do not collide.
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: 'cti_' });
    app.decorate('metricsRegistry', registry);
    app.decorate('workCounters', countWork ? workCounters(registry) : null);
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
