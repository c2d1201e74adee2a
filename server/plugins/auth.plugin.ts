import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createAuthRepository } from '../auth/auth.repository.js';
import { createAuthService, type AuthService } from '../auth/auth.service.js';
import type { Me, Role } from '../auth/auth.schemas.js';
import { forbidden, unauthorized } from '../http/errors.js';
import { boundPort, createOriginPolicy } from '../http/origins.js';
import type { AppContext } from './app-context.js';

export const SESSION_COOKIE = 'cti_session';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route: the roles, or 'public' for no session. Required on every /api route. */
    roles?: readonly Role[] | 'public';
  }
  interface FastifyRequest {
    actor: Me | null;
  }
  interface FastifyInstance {
    auth: AuthService;
    /** Whether an Origin header names a configured origin of ours (see createOriginPolicy). */
    originAllowed: (origin: string | undefined) => boolean;
  }
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const ALL_ROLES: readonly Role[] = ['agent', 'supervisor', 'admin'];
export const SUPERVISORS: readonly Role[] = ['supervisor', 'admin'];
export const ADMINS: readonly Role[] = ['admin'];

/** The signed-in agent of a route that requires a session. */
export function actorOf(request: FastifyRequest): Me {
  if (!request.actor) throw unauthorized('Sign in first');
  return request.actor;
}

/**
 * Sessions: the auth service (read by the sockets and by everything that revokes access) and the
 * guard that enforces, for every /api route, the roles it declares and, for state-changing requests, that the
 * Origin header is ours: with SameSite=Strict cookies this closes cross-site request forgery, and
 * it also refuses login forms posted from other sites.
 */
export const authPlugin = fp<AppContext>(
  async (app, { config, clock }) => {
    const auth = createAuthService({
      auth: createAuthRepository(app.db),
      audit: app.audit,
      clock,
      sessionTtlHours: config.sessionTtlHours,
    });
    const originAllowed = createOriginPolicy(config.allowedOrigins, () => boundPort(app.server));
    app.decorate('auth', auth);
    app.decorate('originAllowed', originAllowed);
    app.decorateRequest('actor', null);

    app.addHook('onRoute', (route) => {
      if (route.url.startsWith('/api') && route.config?.roles === undefined) {
        throw new Error(`Route ${String(route.method)} ${route.url} must declare config.roles`);
      }
    });

    app.addHook('onRequest', async (request: FastifyRequest, _reply: FastifyReply) => {
      const roles = request.routeOptions.config.roles;
      if (roles === undefined) return;
      if (STATE_CHANGING.has(request.method)) {
        if (!originAllowed(request.headers.origin)) {
          throw forbidden('Cross-origin request refused: the Origin header must be this server');
        }
      }
      const token = request.cookies[SESSION_COOKIE];
      request.actor = token ? auth.resolve(token) : null;
      if (roles === 'public') return;
      if (!request.actor) throw unauthorized('Sign in first: no session, or it has expired');
      if (!roles.includes(request.actor.role)) {
        throw forbidden(`This needs the role ${roles.join(' or ')}; you are ${request.actor.role}`);
      }
    });
  },
  { name: 'auth', dependencies: ['@fastify/cookie', 'db', 'audit'] },
);
