import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const NOT_SPA = /^\/(api|docs|health|metrics|twilio)(\/|$)|\.[a-z0-9]+$/i;

/**
 * Serves the built console (dist/console) and answers any other GET with its index.html, so the
 * console's own routes (/customers/42) survive a reload.
 */
export const consolePlugin = fp<{ root: string }>(
  async (app, { root }) => {
    const built = existsSync(join(root, 'index.html'));
    // wildcard: files are looked up per request, so a rebuilt console is served without a restart.
    if (built) await app.register(fastifyStatic, { root, wildcard: true });
    app.setNotFoundHandler((request, reply) => {
      if (request.method !== 'GET' || NOT_SPA.test(request.url.split('?')[0]!)) {
        return reply.code(404).send({
          statusCode: 404,
          error: 'Not Found',
          message: `No route ${request.method} ${request.url.split('?')[0]}`,
          code: 'no_such_route',
        });
      }
      if (!built) {
        return reply
          .code(404)
          .type('text/plain')
          .send('The console is not built: run `npm run build:console`.');
      }
      return reply.sendFile('index.html');
    });
  },
  { name: 'console' },
);
