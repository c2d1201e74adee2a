import Database from 'better-sqlite3';

export type RowCounts = Record<string, number>;

/**
 * What a refusal may write, by design: a failed sign-in is audited (who tried which account from
 * where). Every other row a refused request adds or removes is a bug.
 */
const AUDITED_REFUSALS = ['session.login_failed'];

/**
 * Row counts of every table, read through a read-only connection of our own: a refused request must
 * leave them as they were.
 */
export function openRowCounter(file: string) {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const tables = (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as {
      name: string;
    }[]
  ).map((row) => row.name);
  const statements = tables.map(
    (name) =>
      [
        name,
        name === 'audit_log'
          ? db
              .prepare(
                `SELECT count(*) AS n FROM audit_log WHERE action NOT IN (${AUDITED_REFUSALS.map(() => '?').join(', ')})`,
              )
              .bind(...AUDITED_REFUSALS)
          : db.prepare(`SELECT count(*) AS n FROM "${name}"`),
      ] as const,
  );
  return {
    counts(): RowCounts {
      const counts: RowCounts = {};
      for (const [name, statement] of statements) counts[name] = (statement.get() as { n: number }).n;
      return counts;
    },
    close: () => db.close(),
  };
}

/** The tables whose count differs, as `table: before → after`. */
export function diffCounts(before: RowCounts, after: RowCounts): string[] {
  return Object.keys(after)
    .filter((table) => before[table] !== after[table])
    .map((table) => `${table}: ${before[table]} → ${after[table]}`);
}
