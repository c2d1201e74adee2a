import fp from 'fastify-plugin';
import { openDatabase, type Db } from '../../db/connection.js';
import { migrate } from '../../db/migrate.js';

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
  }
}

/** Opens the SQLite database, brings its schema up to date and closes it with the app. */
export const dbPlugin = fp<{ file: string }>(
  async (app, { file }) => {
    const db = openDatabase({ file });
    const applied = migrate(db);
    if (applied.length) app.log.info({ applied }, 'database migrated');
    app.decorate('db', db);
    app.addHook('onClose', () => db.close());
  },
  { name: 'db' },
);
