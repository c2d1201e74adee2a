import { existsSync, rmSync } from 'node:fs';
import { openDatabase } from '../db/connection.js';
import { migrate } from '../db/migrate.js';
import { loadConfig } from '../server/config.js';
import { seedDemo } from '../simulator/demo-data/seed-demo.js';

const reset = process.argv.includes('--reset');
const config = loadConfig();
if (!config.demo) {
  console.error('db:seed writes demo logins (password "demo"); it only runs in demo mode (DEMO=1).');
  process.exit(1);
}
if (reset) {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${config.databaseFile}${suffix}`, { force: true });
} else if (existsSync(config.databaseFile)) {
  const db = openDatabase({ file: config.databaseFile });
  migrate(db);
  const { n } = db.prepare('SELECT count(*) AS n FROM agents').get() as { n: number };
  db.close();
  if (n > 0) {
    console.error(
      `${config.databaseFile} already holds data. Run \`npm run db:seed -- --reset\` to replace it.`,
    );
    process.exit(1);
  }
}
const started = performance.now();
const db = openDatabase({ file: config.databaseFile });
migrate(db);
const summary = await seedDemo(db, { valueModelFile: config.valueModelFile });
db.close();
console.log(
  `Seeded ${config.databaseFile} in ${((performance.now() - started) / 1000).toFixed(1)} s:`,
  summary,
);
