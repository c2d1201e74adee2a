import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/connection.js';
import { migrate } from '../db/migrate.js';
import { loadConfig } from './config.js';
import { seedDemo } from '../simulator/demo-data/seed-demo.js';
import { prepareDatabase } from './startup.js';

const quiet = pino({ level: 'silent' });

describe('prepareDatabase', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'cti-start-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('in production, creates the first admin from BOOTSTRAP_ADMIN_PASSWORD once', async () => {
    const config = loadConfig({
      DATA_DIR: dataDir,
      DEMO: '0',
      BOOTSTRAP_ADMIN_PASSWORD: 'a very long secret',
    });
    await prepareDatabase(config, quiet);
    await prepareDatabase(config, quiet);
    const db = openDatabase({ file: config.databaseFile });
    expect(db.prepare('SELECT username, role FROM agents').all()).toEqual([
      { username: 'admin', role: 'admin' },
    ]);
    db.close();
  });

  it('in production, refuses a database that holds demo logins', async () => {
    const config = loadConfig({ DATA_DIR: dataDir, DEMO: '0' });
    const db = openDatabase({ file: config.databaseFile });
    migrate(db);
    await seedDemo(db, { customers: 20, days: 2, interactionsPerDay: 5 });
    db.close();
    await expect(prepareDatabase(config, quiet)).rejects.toThrow(/holds demo data/);
  });
});
