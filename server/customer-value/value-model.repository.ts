import { createAppMetaDocument } from '../../db/app-meta.js';
import type { Db } from '../../db/connection.js';

/**
 * The value model as an admin last saved it in the console: one row of app_meta holding
 * `{model, updatedAt, updatedBy}` as JSON. It overrides config/value-model.json.
 */
const KEY = 'customer_value.model';

export interface SavedValueModel {
  model: unknown;
  updatedAt: string;
  updatedBy: number;
}

export function createValueModelRepository(db: Db) {
  const document = createAppMetaDocument<SavedValueModel>(db, KEY);
  const agentName = db.prepare<[number], string>('SELECT display_name FROM agents WHERE id = ?').pluck();
  return {
    /** The saved row as stored (JSON), or null while the file is in force; cheap enough for every read. */
    raw: document.raw,
    save: document.save,
    agentName: (id: number): string | null => agentName.get(id) ?? null,
  };
}

export type ValueModelRepository = ReturnType<typeof createValueModelRepository>;
