import { openDatabase } from '../db/connection.js';
import { migrate } from '../db/migrate.js';
import { loadConfig } from '../server/config.js';
import { createRollupRepository } from '../server/reports/index.js';

// Recomputes the report rollups from the interactions, e.g. after SHORT_ABANDON_SECONDS changed.
// Safe while the server runs: each batch is its own transaction and unchanged Interactions write nothing.
const config = loadConfig();
const db = openDatabase({ file: config.databaseFile });
migrate(db);
const rollups = createRollupRepository(db);
rollups.useShortAbandonSeconds(config.shortAbandonSeconds);
const started = Date.now();
const changed = rollups.rebuild({
  onBatch: (done) => {
    if (done % 100_000 === 0) console.log(`${done} interactions…`);
  },
});
db.close();
console.log(
  `${config.databaseFile}: rollups rebuilt in ${Date.now() - started} ms; ${changed} interactions changed`,
);
