import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../db/connection.js';
import type { Role } from '../../server/auth/auth.schemas.js';

/**
 * Inserts `count` agents with every skill at proficiency 5, each with a live session, and answers
 * their session tokens: hashing thousands of passwords to sign in is not what a benchmark measures.
 */
export function insertSignedInAgents(
  db: Db,
  options: { count: number; role: Role; usernamePrefix: string; now?: Date },
): string[] {
  const now = options.now ?? new Date();
  const tokens: string[] = [];
  db.transaction(() => {
    const skills = db.prepare<[], { id: number }>('SELECT id FROM skills').all();
    const agent = db.prepare(
      `INSERT INTO agents (username, display_name, role, password_hash, sip_address, created_at, updated_at)
       VALUES (?, ?, ?, 'x', ?, ?, ?)`,
    );
    const skill = db.prepare('INSERT INTO agent_skills (agent_id, skill_id, proficiency) VALUES (?, ?, 5)');
    const session = db.prepare(
      'INSERT INTO sessions (token_hash, agent_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
    );
    for (let i = 0; i < options.count; i += 1) {
      const username = `${options.usernamePrefix}${i}`;
      const id = Number(
        agent.run(
          username,
          `Bench ${username}`,
          options.role,
          `sip:${username}@cti.local`,
          now.toISOString(),
          now.toISOString(),
        ).lastInsertRowid,
      );
      for (const { id: skillId } of skills) skill.run(id, skillId);
      const token = randomBytes(32).toString('base64url');
      session.run(
        createHash('sha256').update(token).digest('hex'),
        id,
        now.toISOString(),
        new Date(now.getTime() + 86_400_000).toISOString(),
      );
      tokens.push(token);
    }
  })();
  return tokens;
}
