import type { Db } from './connection.js';

/**
 * One JSON document kept in a row of app_meta under `key` (a setting an admin saves in the console).
 * Read on every use rather than cached, so every server process sees the latest save.
 */
export function createAppMetaDocument<T>(db: Db, key: string) {
  const get = db.prepare<[string], string>('SELECT value FROM app_meta WHERE key = ?').pluck();
  const save = db.prepare<[string, string]>(
    `INSERT INTO app_meta (key, value) VALUES (?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
  );
  return {
    /** The document as stored (JSON), or null before the first save. */
    raw: (): string | null => get.get(key) ?? null,
    save: (document: T) => void save.run(key, JSON.stringify(document)),
  };
}
