import { createHash, randomBytes } from 'node:crypto';
import type { AuditLog } from '../audit/index.js';
import type { Clock } from '../clock.js';
import { unauthorized } from '../http/errors.js';
import type { AuthRepository } from './auth.repository.js';
import type { Me } from './auth.schemas.js';
import { hashPassword, verifyPassword } from './passwords.js';

export interface AuthServiceDeps {
  auth: AuthRepository;
  audit: AuditLog;
  clock: Clock;
  /** Session lifetime from login, in hours. */
  sessionTtlHours: number;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export function createAuthService({ auth, audit, clock, sessionTtlHours }: AuthServiceDeps) {
  // Unknown usernames are checked against a throwaway hash so a login takes as long either way and
  // response time does not reveal which usernames exist.
  const decoyHash = hashPassword(randomBytes(16).toString('hex'));

  return {
    async login(
      username: string,
      password: string,
      ip: string,
    ): Promise<{ token: string; me: Me; expiresAt: Date }> {
      const agent = auth.findForLogin(username);
      const ok = await verifyPassword(agent?.passwordHash ?? (await decoyHash), password);
      if (!agent || !ok || !agent.active) {
        audit.record({
          actorAgentId: agent?.id ?? null,
          action: 'session.login_failed',
          entityType: 'session',
          entityId: null,
          ip,
          details: { username: username.slice(0, 64) },
        });
        throw unauthorized('Wrong username or password');
      }
      const now = clock.now();
      const expiresAt = new Date(now.getTime() + sessionTtlHours * 3_600_000);
      const token = randomBytes(32).toString('base64url');
      auth.deleteExpiredSessions(now.toISOString());
      auth.createSession(hashToken(token), agent.id, now.toISOString(), expiresAt.toISOString());
      audit.record({
        actorAgentId: agent.id,
        action: 'session.login',
        entityType: 'session',
        entityId: null,
        ip,
      });
      const { passwordHash: _hash, active: _active, ...me } = agent;
      return { token, me, expiresAt };
    },

    logout(token: string, me: Me, ip: string): void {
      auth.deleteSession(hashToken(token));
      audit.record({
        actorAgentId: me.id,
        action: 'session.logout',
        entityType: 'session',
        entityId: null,
        ip,
      });
    },

    /** Ends every session of the agent (disabled, or their password changed): each must sign in again. */
    endSessionsOf(agentId: number): void {
      auth.deleteSessionsOf(agentId);
    },

    /** The agent behind a session token, or null when the session is unknown, expired or the agent disabled. */
    resolve(token: string): Me | null {
      return auth.findSession(hashToken(token), clock.now().toISOString());
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
