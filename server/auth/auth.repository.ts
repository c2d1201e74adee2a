import type { Db } from '../../db/connection.js';
import type { Me, Role, UiLanguage } from './auth.schemas.js';

interface AgentLoginRow {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  ui_language: UiLanguage;
  password_hash: string;
  active: number;
}

const toMe = (row: Omit<AgentLoginRow, 'password_hash' | 'active'>): Me => ({
  id: row.id,
  username: row.username,
  displayName: row.display_name,
  role: row.role,
  uiLanguage: row.ui_language,
});

export function createAuthRepository(db: Db) {
  const statements = {
    byUsername: db.prepare<[string], AgentLoginRow>(
      'SELECT id, username, display_name, role, ui_language, password_hash, active FROM agents WHERE username = ?',
    ),
    insertSession: db.prepare(
      'INSERT INTO sessions (token_hash, agent_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
    ),
    session: db.prepare<[string, string], Omit<AgentLoginRow, 'password_hash' | 'active'>>(
      `SELECT a.id, a.username, a.display_name, a.role, a.ui_language
       FROM sessions s JOIN agents a ON a.id = s.agent_id
       WHERE s.token_hash = ? AND s.expires_at > ? AND a.active = 1`,
    ),
    deleteSession: db.prepare('DELETE FROM sessions WHERE token_hash = ?'),
    deleteExpired: db.prepare('DELETE FROM sessions WHERE expires_at <= ?'),
    deleteOfAgent: db.prepare('DELETE FROM sessions WHERE agent_id = ?'),
  };

  return {
    findForLogin(username: string): (Me & { passwordHash: string; active: boolean }) | null {
      const row = statements.byUsername.get(username);
      return row ? { ...toMe(row), passwordHash: row.password_hash, active: row.active === 1 } : null;
    },
    createSession(tokenHash: string, agentId: number, createdAt: string, expiresAt: string): void {
      statements.insertSession.run(tokenHash, agentId, createdAt, expiresAt);
    },
    findSession(tokenHash: string, now: string): Me | null {
      const row = statements.session.get(tokenHash, now);
      return row ? toMe(row) : null;
    },
    deleteSession(tokenHash: string): void {
      statements.deleteSession.run(tokenHash);
    },
    deleteSessionsOf(agentId: number): void {
      statements.deleteOfAgent.run(agentId);
    },
    deleteExpiredSessions(now: string): void {
      statements.deleteExpired.run(now);
    },
  };
}

export type AuthRepository = ReturnType<typeof createAuthRepository>;
