import { createAppMetaDocument } from '../../db/app-meta.js';
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
  const document = createAppMetaDocument<SavedRetentionPolicy>(db, KEY);
  const agentName = db.prepare<[number], string>('SELECT display_name FROM agents WHERE id = ?').pluck();
  return {
    /** The saved policy, or null while the defaults are in force; read on every use, so every process agrees. */
    saved: (): SavedRetentionPolicy | null => {
      const raw = document.raw();
      return raw === null ? null : (JSON.parse(raw) as SavedRetentionPolicy);
    },
    save: document.save,
    agentName: (id: number): string | null => agentName.get(id) ?? null,
  };
}

export type RetentionPolicyRepository = ReturnType<typeof createRetentionPolicyRepository>;
