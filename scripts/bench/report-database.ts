import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../db/connection.js';
import { migrate } from '../../db/migrate.js';
import { createRollupRepository } from '../../server/reports/index.js';
import { seedDemo } from '../../simulator/demo-data/seed-demo.js';
import { generateReportData, type ReportDataOptions } from './report-data.js';

const READY_KEY = 'bench.reports.now';
/** Bumped when the generator changes, so that a stale cached database is not reused. */
const GENERATOR_VERSION = 2;

export type ReportDatabaseOptions = Omit<ReportDataOptions, 'now'>;

/**
 * The benchmark's database, generated once per set of parameters and kept in a temp folder: a rerun
 * with the same parameters reuses it. Answers its folder (the server's DATA_DIR) and the end of its
 * history.
 */
export async function reportDatabase(options: ReportDatabaseOptions, log: (line: string) => void) {
  const name = [
    `v${GENERATOR_VERSION}`,
    options.interactions,
    options.customers,
    options.agents,
    options.queues,
    options.months,
  ].join('-');
  const dataDir = join(process.env.BENCH_DATA_DIR ?? join(tmpdir(), 'cti-bench-reports'), name);
  const file = join(dataDir, 'cti.sqlite');
  if (existsSync(file)) {
    const db = openDatabase({ file });
    migrate(db);
    const now = ready(db);
    db.close();
    if (now !== null) {
      log(`reusing ${file}`);
      return { dataDir, file, now };
    }
  }
  const building = `${dataDir}.building`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  const db = openDatabase({ file: join(building, 'cti.sqlite') });
  migrate(db);
  const now = Math.floor(Date.now() / 3_600_000) * 3_600_000;
  await seedDemo(db, { customers: 500, days: 1, interactionsPerDay: 10, now: new Date(now - 86_400_000) });
  let started = performance.now();
  log(`generating ${options.interactions} interactions into ${building}…`);
  generateReportData(db, { ...options, now }, log);
  log(`generated in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  started = performance.now();
  const rollups = createRollupRepository(db);
  rollups.rebuild({
    batchSize: 20_000,
    onBatch: (done) => {
      if (done % 200_000 === 0) log(`  rollups: ${done} interactions`);
    },
  });
  log(`rollups rebuilt in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  db.prepare('INSERT INTO app_meta (key, value) VALUES (?, ?)').run(READY_KEY, String(now));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  rmSync(dataDir, { recursive: true, force: true });
  renameSync(building, dataDir);
  return { dataDir, file, now };
}

function ready(db: Db): number | null {
  const row = db
    .prepare<[string], { value: string }>('SELECT value FROM app_meta WHERE key = ?')
    .get(READY_KEY);
  return row ? Number(row.value) : null;
}

/** Size of the database with its WAL, in MB. */
export function databaseSizeMb(file: string): number {
  const size = (path: string) => (existsSync(path) ? statSync(path).size : 0);
  return (size(file) + size(`${file}-wal`)) / 1e6;
}
