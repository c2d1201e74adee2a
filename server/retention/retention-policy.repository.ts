import type { Db } from '../../db/connection.js';
import type { RetentionPolicy } from './retention.schemas.js';

/**
 * The retention policy as an admin last saved it in the console: one row of app_meta holding
 * `{policy, updatedAt, updatedBy}` as JSON. It overrides the defaults of server/config.ts.
 */
const KEY = 'retention.policy';

export interface SavedRetentionPolicy {
  policy: RetentionPolicy;
  updatedAt: string;
  updatedBy: number;
}

export function createRetentionPolicyRepository(db: Db) {
  const statements = {
    get: db.prepare<[], string>(`SELECT value FROM app_meta WHERE key = '${KEY}'`).pluck(),
    save: db.prepare<[string]>(
      `INSERT INTO app_meta (key, value) VALUES ('${KEY}', ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    ),
    agentName: db.prepare<[number], string>('SELECT display_name FROM agents WHERE id = ?').pluck(),
  };
  return {
    /** The saved policy, or null while the defaults are in force; read on every use, so every process agrees. */
    saved: (): SavedRetentionPolicy | null => {
      const raw = statements.get.get();
      return raw === undefined ? null : (JSON.parse(raw) as SavedRetentionPolicy);
    },
    save: (saved: SavedRetentionPolicy) => void statements.save.run(JSON.stringify(saved)),
    agentName: (id: number): string | null => statements.agentName.get(id) ?? null,
  };
}

export type RetentionPolicyRepository = ReturnType<typeof createRetentionPolicyRepository>;
