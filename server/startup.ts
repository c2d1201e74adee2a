import type { Logger } from 'pino';
import { openDatabase, type Db } from '../db/connection.js';
import { migrate } from '../db/migrate.js';
import { createAgentsRepository } from './agents/index.js';
import { hashPassword } from './auth/index.js';
import type { Config } from './config.js';

const holdsDemoData = (db: Db) =>
  db.prepare("SELECT 1 FROM app_meta WHERE key = 'demo_data'").get() !== undefined;

/**
 * Brings the database to a state the server can run on: migrated; in demo mode seeded on first
 * start; in production never holding demo logins, and with a first admin when one is bootstrapped.
 */
export async function prepareDatabase(config: Config, log: Logger): Promise<void> {
  const db = openDatabase({ file: config.databaseFile });
  try {
    const applied = migrate(db);
    if (applied.length) log.info({ applied, file: config.databaseFile }, 'database migrated');
    const agents = createAgentsRepository(db);
    const empty = agents.list().length === 0;
    if (config.demo) {
      if (empty) {
        log.info('seeding demo data (first start)');
        // The generator is a tool: loaded only when demo data is asked for, so production start never reaches it.
        const { seedDemo } = await import('../simulator/demo-data/seed-demo.js');
        const summary = await seedDemo(db, { valueModelFile: config.valueModelFile });
        log.info(summary, 'demo data seeded');
      }
      return;
    }
    if (holdsDemoData(db)) {
      throw new Error(
        `${config.databaseFile} holds demo data with demo logins; production mode (DEMO=0) refuses it. ` +
          'Point DATA_DIR at a new folder, or run with DEMO=1.',
      );
    }
    if (config.bootstrapAdminPassword && !agents.hasActiveAdmin()) {
      if (agents.idByUsername('admin') !== null) {
        throw new Error(
          'BOOTSTRAP_ADMIN_PASSWORD is set, but an inactive user named admin exists; reactivate it instead',
        );
      }
      const now = new Date().toISOString();
      agents.create(
        {
          username: 'admin',
          displayName: 'Administrator',
          role: 'admin',
          passwordHash: await hashPassword(config.bootstrapAdminPassword),
          sipAddress: null,
          phoneNumber: null,
          audioTarget: 'sip',
          autoAccept: false,
          uiLanguage: 'en',
          active: true,
          skills: [],
          languages: [],
        },
        now,
      );
      log.info('created the admin account from BOOTSTRAP_ADMIN_PASSWORD');
    } else if (empty) {
      log.warn('no agents exist: set BOOTSTRAP_ADMIN_PASSWORD to create the first admin');
    }
  } finally {
    db.close();
  }
}
