import type { Db } from '../../db/connection.js';
import type { Agent, AgentSkill } from './agents.schemas.js';

interface AgentRow {
  id: number;
  username: string;
  display_name: string;
  role: Agent['role'];
  sip_address: string | null;
  phone_number: string | null;
  audio_target: Agent['audioTarget'];
  auto_accept: number;
  ui_language: Agent['uiLanguage'];
  active: number;
  skills: string;
  languages: string;
}

const SELECT = `SELECT a.id, a.username, a.display_name, a.role, a.sip_address, a.phone_number, a.audio_target,
    a.auto_accept, a.ui_language, a.active,
    (SELECT json_group_array(json_object('skill', s.name, 'proficiency', x.proficiency))
       FROM agent_skills x JOIN skills s ON s.id = x.skill_id WHERE x.agent_id = a.id) AS skills,
    (SELECT json_group_array(language) FROM agent_languages WHERE agent_id = a.id) AS languages
  FROM agents a`;

const toAgent = (row: AgentRow): Agent => ({
  id: row.id,
  username: row.username,
  displayName: row.display_name,
  role: row.role,
  skills: (JSON.parse(row.skills) as AgentSkill[]).sort((a, b) => a.skill.localeCompare(b.skill)),
  languages: (JSON.parse(row.languages) as string[]).sort(),
  sipAddress: row.sip_address,
  phoneNumber: row.phone_number,
  audioTarget: row.audio_target,
  autoAccept: row.auto_accept === 1,
  uiLanguage: row.ui_language,
  active: row.active === 1,
});

export interface AgentFields {
  displayName: string;
  role: Agent['role'];
  passwordHash: string;
  sipAddress: string | null;
  phoneNumber: string | null;
  audioTarget: Agent['audioTarget'];
  autoAccept: boolean;
  uiLanguage: Agent['uiLanguage'];
  active: boolean;
}

const COLUMN_OF: Record<keyof AgentFields, string> = {
  displayName: 'display_name',
  role: 'role',
  passwordHash: 'password_hash',
  sipAddress: 'sip_address',
  phoneNumber: 'phone_number',
  audioTarget: 'audio_target',
  autoAccept: 'auto_accept',
  uiLanguage: 'ui_language',
  active: 'active',
};

export function createAgentsRepository(db: Db) {
  const statements = {
    list: db.prepare<[], AgentRow>(`${SELECT} ORDER BY a.id`),
    get: db.prepare<[number], AgentRow>(`${SELECT} WHERE a.id = ?`),
    byUsername: db.prepare<[string], { id: number }>('SELECT id FROM agents WHERE username = ?'),
    insert: db.prepare(
      `INSERT INTO agents (username, display_name, role, password_hash, sip_address, phone_number, audio_target,
                           auto_accept, ui_language, active, created_at, updated_at)
       VALUES (@username, @displayName, @role, @passwordHash, @sipAddress, @phoneNumber, @audioTarget,
               @autoAccept, @uiLanguage, @active, @now, @now)`,
    ),
    upsertSkill: db.prepare<[string], { id: number }>(
      'INSERT INTO skills (name) VALUES (?) ON CONFLICT (name) DO UPDATE SET name = name RETURNING id',
    ),
    clearSkills: db.prepare('DELETE FROM agent_skills WHERE agent_id = ?'),
    addSkill: db.prepare('INSERT INTO agent_skills (agent_id, skill_id, proficiency) VALUES (?, ?, ?)'),
    clearLanguages: db.prepare('DELETE FROM agent_languages WHERE agent_id = ?'),
    addLanguage: db.prepare('INSERT OR IGNORE INTO agent_languages (agent_id, language) VALUES (?, ?)'),
    anyAdmin: db.prepare<[], { id: number }>(
      "SELECT id FROM agents WHERE role = 'admin' AND active = 1 LIMIT 1",
    ),
  };

  function setSkills(id: number, skills: AgentSkill[]) {
    statements.clearSkills.run(id);
    for (const { skill, proficiency } of skills) {
      statements.addSkill.run(id, statements.upsertSkill.get(skill.toLowerCase())!.id, proficiency);
    }
  }

  function setLanguages(id: number, languages: string[]) {
    statements.clearLanguages.run(id);
    for (const language of languages) statements.addLanguage.run(id, language);
  }

  return {
    list: () => statements.list.all().map(toAgent),
    get(id: number): Agent | null {
      const row = statements.get.get(id);
      return row ? toAgent(row) : null;
    },
    idByUsername: (username: string) => statements.byUsername.get(username)?.id ?? null,
    hasActiveAdmin: () => statements.anyAdmin.get() !== undefined,

    create(
      agent: AgentFields & { username: string; skills: AgentSkill[]; languages: string[] },
      now: string,
    ): number {
      return db.transaction(() => {
        const id = Number(
          statements.insert.run({
            ...agent,
            active: agent.active ? 1 : 0,
            autoAccept: agent.autoAccept ? 1 : 0,
            now,
          }).lastInsertRowid,
        );
        setSkills(id, agent.skills);
        setLanguages(id, agent.languages);
        return id;
      })();
    },

    update(
      id: number,
      fields: Partial<AgentFields>,
      lists: { skills?: AgentSkill[]; languages?: string[] },
      now: string,
    ): void {
      const entries = Object.entries(fields).filter(([, value]) => value !== undefined) as [
        keyof AgentFields,
        unknown,
      ][];
      db.transaction(() => {
        db.prepare(
          `UPDATE agents SET ${[...entries.map(([key]) => `${COLUMN_OF[key]} = ?`), 'updated_at = ?'].join(', ')}
           WHERE id = ?`,
        ).run(
          ...entries.map(([, value]) =>
            typeof value === 'boolean' ? (value ? 1 : 0) : (value as string | null),
          ),
          now,
          id,
        );
        if (lists.skills) setSkills(id, lists.skills);
        if (lists.languages) setLanguages(id, lists.languages);
        // A disabled agent or a changed password ends the agent's sessions.
        if (fields.active === false || fields.passwordHash !== undefined) {
          db.prepare('DELETE FROM sessions WHERE agent_id = ?').run(id);
        }
      })();
    },
  };
}

export type AgentsRepository = ReturnType<typeof createAgentsRepository>;
