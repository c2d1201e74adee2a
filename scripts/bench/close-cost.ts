import { openDatabase } from '../../db/connection.js';
import { rollUpInteraction } from '../../server/reports/index.js';

/**
 * CPU per close of an Interaction in wrap-up, without and with the rollup hook, in this process on
 * the benchmark's database. Each close is its own (nested) transaction, as in the interactions
 * repository; every run is rolled back, so the database is left as it was and each run closes the
 * same Interactions. A first rolled-back run warms the page cache for both.
 */
export function measureCloseCost(file: string, closes: number) {
  const db = openDatabase({ file });
  const ids = db
    .prepare<[number], number>("SELECT id FROM interactions WHERE state = 'wrap_up' ORDER BY id LIMIT ?")
    .pluck()
    .all(closes);
  const complete = db.prepare<[number]>(
    `UPDATE interactions SET state = 'completed',
       wrap_up_ended_at = strftime('%Y-%m-%dT%H:%M:%fZ', ended_at, '+20 seconds') WHERE id = ?`,
  );
  const run = (hook: boolean) => {
    db.exec('BEGIN');
    const before = process.cpuUsage();
    for (const id of ids)
      db.transaction(() => {
        complete.run(id);
        if (hook) rollUpInteraction(db, id);
      })();
    const used = process.cpuUsage(before);
    db.exec('ROLLBACK');
    return (used.user + used.system) / 1000 / ids.length;
  };
  run(true);
  const withoutMs = run(false);
  const withMs = run(true);
  db.close();
  return { closes: ids.length, withoutMs, withMs };
}
