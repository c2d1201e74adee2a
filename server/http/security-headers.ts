import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * Security headers on every response (@fastify/helmet), with a Content-Security-Policy that fits
 * the console: its own bundle only (no inline script or style: Lit adopts constructed stylesheets),
 * the API and socket.io on the same origin, and the SIP edge's WebSocket when there is one. Nobody
 * may frame it (clickjacking on the desk's buttons).
 *
 * @param sipWebSocketUrl where softphones connect (SIP_WS_URL), or null without a SIP edge.
 */
export async function registerSecurityHeaders(
  app: FastifyInstance,
  sipWebSocketUrl: string | null,
): Promise<void> {
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      // Helmet's defaults add upgrade-insecure-requests, which breaks a plain-http installation on a LAN.
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'", ...(sipWebSocketUrl ? [new URL(sipWebSocketUrl).origin] : [])],
        mediaSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // frame-ancestors says it for current browsers, X-Frame-Options for old ones.
    frameguard: { action: 'deny' },
  });
}
