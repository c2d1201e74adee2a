import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type Db = Database.Database;

export interface OpenDatabaseOptions {
  /** Path of the SQLite file, or ':memory:'. Its folder is created when missing. */
  file: string;
  /** How long a writer waits for another process's lock before SQLITE_BUSY, in ms. Default 5000. */
  busyTimeoutMs?: number;
}

/** Opens the database with the settings every connection of ours must have. */
export function openDatabase({ file, busyTimeoutMs = 5000 }: OpenDatabaseOptions): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  // WAL lets readers (the screen pop) go on while a writer commits; NORMAL sync is durable across
  // process crashes in WAL mode, and only an OS crash can lose the last transactions.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  return db;
}

/**
 * A read-only connection to a database another connection keeps in WAL mode (a report worker's):
 * it reads the last committed state while that connection writes, and cannot change anything.
 */
export function openReadOnlyDatabase({ file, busyTimeoutMs = 5000 }: OpenDatabaseOptions): Db {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  return db;
}
