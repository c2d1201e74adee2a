import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  createApiTokensRepository,
  createApiTokensService,
  createTokenThrottle,
  type ApiTokensService,
} from '../api-tokens/index.js';
import { auditCredential } from '../audit/index.js';
import { createAuthRepository } from '../auth/auth.repository.js';
import { createAuthService, type AuthService } from '../auth/auth.service.js';
import type { Me, Role } from '../auth/auth.schemas.js';
import { forbidden, tooManyRequests, unauthorized, roleRequired } from '../http/errors.js';
import { boundPort, createOriginPolicy } from '../http/origins.js';
import type { AppContext } from './app-context.js';

export const SESSION_COOKIE = 'cti_session';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route: the roles, or 'public' for no session. Required on every /api route. */
    roles?: readonly Role[] | 'public';
    /**
     * Only a signed-in session may call the route, never an API token (sign-out, managing tokens).
     * Default false.
     */
    sessionOnly?: boolean;
  }
  interface FastifyRequest {
    /** Who acts: the signed-in agent, or for an API token its creator with the token's role. */
    actor: Me | null;
    /** The API token the request authenticated with, or null for a session (or none). */
    apiToken: { id: number; name: string } | null;
  }
  interface FastifyInstance {
    auth: AuthService;
    apiTokens: ApiTokensService;
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

const BEARER = /^Bearer +(\S+) *$/i;

/**
 * Sessions and API tokens: the auth service (read by the sockets and by everything that revokes
 * access), the API token service, and the guard that enforces, for every /api route, the roles it
 * declares and, for state-changing requests from browsers, that the Origin header is ours: with
 * SameSite=Strict cookies this closes cross-site request forgery, and it also refuses login forms
 * posted from other sites.
 *
 * A request is a token request when it carries `Authorization` and no session cookie, on a route
 * that is neither public nor session-only. It skips the Origin check (a browser cannot attach our
 * token to a cross-site request; forgery rides on cookies) and acts as the token's creator with the
 * token's role, re-read on every request so a revoked token is refused at once. A request with a
 * session cookie is a browser's: Origin checked, the Authorization header ignored. Sockets accept
 * sessions only.
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
    const apiTokens = createApiTokensService({
      tokens: createApiTokensRepository(app.db),
      audit: app.audit,
      clock,
      throttle: createTokenThrottle({
        redis: app.redis,
        prefix: `${config.redisPrefix}token-throttle:`,
        clock,
        log: app.log,
        failuresPerMinute: config.loginRateLimitPerMinute,
      }),
    });
    app.decorate('auth', auth);
    app.decorate('apiTokens', apiTokens);
    app.decorate('originAllowed', originAllowed);
    app.decorateRequest('actor', null);
    app.decorateRequest('apiToken', null);

    app.addHook('onRoute', (route) => {
      if (route.url.startsWith('/api') && route.config?.roles === undefined) {
        throw new Error(`Route ${String(route.method)} ${route.url} must declare config.roles`);
      }
    });

    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      const { roles, sessionOnly } = request.routeOptions.config;
      if (roles === undefined) return;
      const session = request.cookies[SESSION_COOKIE];
      const authorization = request.headers.authorization;
      if (!session && authorization !== undefined && roles !== 'public') {
        if (sessionOnly) throw forbidden('This needs a signed-in session; an API token cannot do it');
        const bearer = BEARER.exec(authorization)?.[1] ?? '';
        const result = await apiTokens.authenticate(bearer, request.ip);
        if (!result.ok) {
          if (result.retryAfterSeconds > 0) {
            reply.header('retry-after', String(result.retryAfterSeconds));
            throw tooManyRequests(`Too many refused API tokens: try again in ${result.retryAfterSeconds} s`);
          }
          throw unauthorized('The API token is malformed, unknown, revoked or expired');
        }
        request.actor = result.actor;
        request.apiToken = result.apiToken;
      } else {
        if (STATE_CHANGING.has(request.method) && !originAllowed(request.headers.origin)) {
          throw forbidden('Cross-origin request refused: the Origin header must be this server', {
            code: 'cross_origin',
          });
        }
        request.actor = session ? auth.resolve(session) : null;
      }
      if (roles === 'public') return;
      if (!request.actor) throw unauthorized('Sign in first: no session, or it has expired');
      if (!roles.includes(request.actor.role)) {
        throw roleRequired(roles, request.actor.role);
      }
    });

    // Every audit row the rest of a token's request writes names the token. A callback hook, so
    // the rest of the request (parsing, validation, handler) runs inside the store.
    app.addHook('onRequest', (request, _reply, done) => {
      if (request.apiToken) auditCredential.run({ apiTokenId: request.apiToken.id }, done);
      else done();
    });
  },
  { name: 'auth', dependencies: ['@fastify/cookie', 'db', 'redis', 'audit'] },
);
