import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../db/connection.js';
import { migrate } from '../../db/migrate.js';
import { seedDemo } from './seed-demo.js';

describe('seedDemo', () => {
  let db: Db;
  afterEach(() => db.close());

  it('leaves the demo history reportable: every closed interaction is in the report rollups', async () => {
    db = openDatabase({ file: ':memory:' });
    migrate(db);
    await seedDemo(db, { customers: 30, days: 3, interactionsPerDay: 20 });
    const closed = db.prepare("SELECT count(*) AS n FROM interactions WHERE state = 'completed'").get() as {
      n: number;
    };
    const rolledUp = db.prepare('SELECT coalesce(sum(contacts), 0) AS n FROM report_rollups').get() as {
      n: number;
    };
    expect(closed.n).toBeGreaterThan(0);
    expect(rolledUp.n).toBe(closed.n);
  });
});
