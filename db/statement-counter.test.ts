import { describe, expect, it } from 'vitest';
import { openDatabase } from './connection.js';
import { countStatements } from './statement-counter.js';

describe('countStatements', () => {
  it('counts each run, get, all, iterate and exec once, and leaves their results alone', () => {
    const db = openDatabase({ file: ':memory:' });
    let counted = 0;
    countStatements(db, () => (counted += 1));

    db.exec('CREATE TABLE t (n INTEGER)');
    const insert = db.prepare('INSERT INTO t (n) VALUES (?)');
    insert.run(1);
    insert.run(2);
    const select = db.prepare<[], number>('SELECT n FROM t ORDER BY n').pluck();

    expect(select.get()).toBe(1);
    expect(select.all()).toEqual([1, 2]);
    expect([...select.iterate()]).toEqual([1, 2]);
    expect(counted).toBe(6);
    db.close();
  });
});
