import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ALL_ROLES, SESSION_COOKIE, actorOf } from '../plugins/auth.plugin.js';
import { errors } from '../http/common.schemas.js';
import { tooManyRequests } from '../http/errors.js';
import type { AuthService } from './auth.service.js';
import type { LoginThrottle } from './login-throttle.js';
import { LoginBody, SignedIn, type Me } from './auth.schemas.js';

export interface AuthRoutesOptions {
  auth: AuthService;
  /** Limits password guessing per client IP and per account. */
  throttle: LoginThrottle;
  /** Send the cookie only over HTTPS (when the public URL is https). */
  secureCookie: boolean;
  /** Called after sign-out, to close the agent's live connections. */
  onSignedOut: (agentId: number) => Promise<void>;
  /** Whether this user's console has a softphone to start (see `SignedIn.softphone`). */
  softphoneOf: (agentId: number) => boolean;
}

export const authRoutes: FastifyPluginAsyncTypebox<AuthRoutesOptions> = async (
  app,
  { auth, throttle, secureCookie, onSignedOut, softphoneOf },
) => {
  const signedIn = (me: Me): SignedIn => ({ ...me, softphone: softphoneOf(me.id) });

  app.post(
    '/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in; sets the httpOnly session cookie',
        body: LoginBody,
        response: { 200: SignedIn, ...errors(400, 401, 403, 429) },
      },
      config: { roles: 'public' },
    },
    async (request, reply) => {
      const { username, password } = request.body;
      const waitSeconds = await throttle.attempt(username, request.ip);
      if (waitSeconds > 0) {
        reply.header('retry-after', String(waitSeconds));
        throw tooManyRequests(`Too many sign-in attempts: try again in ${waitSeconds} s`);
      }
      const { token, me, expiresAt } = await auth.login(username, password, request.ip);
      await throttle.succeeded(username);
      reply.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'strict',
        secure: secureCookie,
        path: '/',
        expires: expiresAt,
      });
      return signedIn(me);
    },
  );

  app.post(
    '/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign out; ends the session',
        response: { 204: {}, ...errors(401, 403) },
      },
      // Signing out ends a browser session; an API token is revoked instead.
      config: { roles: ALL_ROLES, sessionOnly: true },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      auth.logout(request.cookies[SESSION_COOKIE] ?? '', actor, request.ip);
      await onSignedOut(actor.id);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send();
    },
  );

  app.get(
    '/me',
    {
      schema: { tags: ['auth'], summary: 'The signed-in agent', response: { 200: SignedIn, ...errors(401) } },
      config: { roles: ALL_ROLES },
    },
    async (request) => signedIn(actorOf(request)),
  );
};
