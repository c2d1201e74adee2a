import type { Db } from '../../db/connection.js';

/** This installation's id, made once by a migration: it keeps installations sharing a Redis apart. */
export function installationId(db: Db): string {
  return db.prepare<[], { value: string }>("SELECT value FROM app_meta WHERE key = 'installation_id'").get()!
    .value;
}
