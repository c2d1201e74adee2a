import type { Db } from './connection.js';

const RUNNING_METHODS = ['run', 'get', 'all', 'iterate'] as const;

/**
 * Calls `counted` once for each statement `db` runs (prepared statements' run, get, all and iterate,
 * and exec), for benchmarks that print statements per call. Statements prepared before this call are
 * not counted, so it is applied right after the connection opens. BEGIN and COMMIT of
 * `db.transaction` run inside better-sqlite3 and are not counted.
 */
export function countStatements(db: Db, counted: () => void): void {
  const prepare = db.prepare.bind(db);
  db.prepare = ((source: string) => {
    const statement = prepare(source);
    const methods = statement as unknown as Record<string, (...args: unknown[]) => unknown>;
    for (const name of RUNNING_METHODS) {
      const original = methods[name]!;
      methods[name] = (...args) => {
        counted();
        return original.apply(statement, args);
      };
    }
    return statement;
  }) as Db['prepare'];
  const exec = db.exec.bind(db);
  db.exec = (source: string) => {
    counted();
    return exec(source);
  };
}
