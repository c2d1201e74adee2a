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
  const statements = {
    get: db.prepare<[], string>(`SELECT value FROM app_meta WHERE key = '${KEY}'`).pluck(),
    save: db.prepare<[string]>(
      `INSERT INTO app_meta (key, value) VALUES ('${KEY}', ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    ),
    agentName: db.prepare<[number], string>('SELECT display_name FROM agents WHERE id = ?').pluck(),
  };
  return {
    /** The saved row as stored (JSON), or null while the file is in force; cheap enough for every read. */
    raw: (): string | null => statements.get.get() ?? null,
    save: (saved: SavedValueModel) => void statements.save.run(JSON.stringify(saved)),
    agentName: (id: number): string | null => statements.agentName.get(id) ?? null,
  };
}

export type ValueModelRepository = ReturnType<typeof createValueModelRepository>;
