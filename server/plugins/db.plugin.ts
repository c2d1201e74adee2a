import fp from 'fastify-plugin';
import { openDatabase, type Db } from '../../db/connection.js';
import { migrate } from '../../db/migrate.js';
import { countStatements } from '../../db/statement-counter.js';

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
  }
}

/**
 * Opens the SQLite database, brings its schema up to date and closes it with the app; with
 * `onStatement`, every statement run on it is counted from the first.
 */
export const dbPlugin = fp<{ file: string; onStatement?: () => void }>(
  async (app, { file, onStatement }) => {
    const db = openDatabase({ file });
    if (onStatement) countStatements(db, onStatement);
    const applied = migrate(db);
    if (applied.length) app.log.info({ applied }, 'database migrated');
    app.decorate('db', db);
    app.addHook('onClose', () => db.close());
  },
  { name: 'db' },
);
