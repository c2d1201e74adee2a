import Database from 'better-sqlite3';
import type { Db } from '../../db/connection.js';

type Method = 'run' | 'get' | 'all' | 'iterate';
type StatementProto = Record<Method, (...args: unknown[]) => unknown> & {
  readonly source: string;
  readonly database: Db;
};

const METHODS: Method[] = ['run', 'get', 'all', 'iterate'];

/** Statement texts with how often each came, most frequent first. */
export type Tally = [sql: string, count: number][];

const tallyOf = (counts: Map<string, number>): Tally =>
  [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));

const total = (counts: Map<string, number>) => [...counts.values()].reduce((sum, n) => sum + n, 0);

/**
 * Counts what one connection asks of SQLite while it is on: each statement executed (run, get, all,
 * iterate, exec; a transaction's BEGIN and COMMIT included) and each statement prepared, by SQL text.
 * It patches better-sqlite3's prototypes, so it sees the statements a repository prepared before it
 * started; `restore()` puts them back.
 */
export function countStatements(db: Db) {
  const executed = new Map<string, number>();
  const prepared = new Map<string, number>();
  let on = false;
  const add = (counts: Map<string, number>, sql: string) => {
    const key = sql.replace(/\s+/g, ' ').trim();
    counts.set(key, (counts.get(key) ?? 0) + 1);
  };

  const probe = new Database(':memory:');
  const statementProto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as StatementProto;
  probe.close();
  const databaseProto = Database.prototype as unknown as Record<
    'prepare' | 'exec',
    (this: Db, sql: string) => unknown
  >;
  const originals = {
    statement: Object.fromEntries(METHODS.map((m) => [m, statementProto[m]])) as Record<
      Method,
      StatementProto[Method]
    >,
    prepare: databaseProto.prepare,
    exec: databaseProto.exec,
  };

  for (const method of METHODS) {
    statementProto[method] = function (this: StatementProto, ...args: unknown[]) {
      if (on && this.database === db) add(executed, this.source);
      return originals.statement[method].apply(this, args);
    };
  }
  databaseProto.prepare = function (this: Db, sql: string) {
    if (on && this === db) add(prepared, sql);
    return originals.prepare.call(this, sql);
  };
  databaseProto.exec = function (this: Db, sql: string) {
    if (on && this === db) add(executed, sql);
    return originals.exec.call(this, sql);
  };

  return {
    /** Counts from zero. */
    start() {
      executed.clear();
      prepared.clear();
      on = true;
    },
    stop: () => void (on = false),
    executed: () => total(executed),
    prepared: () => total(prepared),
    executedBySql: () => tallyOf(executed),
    preparedBySql: () => tallyOf(prepared),
    restore() {
      on = false;
      for (const method of METHODS) statementProto[method] = originals.statement[method];
      databaseProto.prepare = originals.prepare;
      databaseProto.exec = originals.exec;
    },
  };
}
