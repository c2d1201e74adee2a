import { openDatabase } from '../db/connection.js';
import { migrate } from '../db/migrate.js';
import { loadConfig } from '../server/config.js';

const config = loadConfig();
const db = openDatabase({ file: config.databaseFile });
const applied = migrate(db);
const version = db.pragma('user_version', { simple: true }) as number;
db.close();
console.log(
  applied.length
    ? `${config.databaseFile}: applied migrations ${applied.join(', ')}; now at version ${version}`
    : `${config.databaseFile}: up to date at version ${version}`,
);
