// The nightly lifecycle pass at scale: builds a database of N customers (default 1,000,000; override
// with --customers N) with 20 value events and 10 interactions each (--events, --contacts per
// customer), then times evaluateAll twice: the first evaluation of everybody, and a second run the
// next day, when few stages change. Prints customers, changes and seconds of each run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../db/connection.js';
import { migrate } from '../db/migrate.js';
import { parseValueModel } from '../server/customer-value/index.js';
import { evaluateAll } from '../server/lifecycle/index.js';

const arg = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};
const CUSTOMERS = arg('customers', 1_000_000);
const EVENTS = arg('events', 20);
const CONTACTS = arg('contacts', 10);
const NOW = new Date('2026-12-01T02:30:00.000Z');
const model = parseValueModel(
  {
    exchangeRates: { USD: 7.1 },
    lifecycle: {
      negativeCodes: ['COMPLAINT'],
      cancellationIntentCodes: ['WANTS_OUT'],
      cancellationCodes: ['CANCELLED'],
    },
  },
  'bench',
);

const dir = mkdtempSync(join(tmpdir(), 'cti-bench-lifecycle-'));
const db = openDatabase({ file: join(dir, 'cti.sqlite') });
try {
  migrate(db);
  const started = performance.now();
  db.exec(`
    INSERT INTO wrap_up_code_sets (id, name) VALUES (1, 'bench');
    INSERT INTO wrap_up_codes (id, set_id, code, label) VALUES
      (1, 1, 'OK', 'OK'), (2, 1, 'COMPLAINT', 'Complaint'), (3, 1, 'WANTS_OUT', 'Wants out'), (4, 1, 'CANCELLED', 'Cancelled');`);
  // Set-based generation: pseudo-random but deterministic spreads from the row numbers.
  db.exec(`
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${CUSTOMERS})
    INSERT INTO customers (id, name, created_at, updated_at)
    SELECT i, 'C' || i, strftime('%Y-%m-%dT%H:%M:%fZ', '${NOW.toISOString()}', '-' || ((i * 7919) % 900) || ' days'),
           '${NOW.toISOString()}' FROM n;`);
  db.exec(`
    WITH RECURSIVE k(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM k WHERE j < ${EVENTS})
    INSERT INTO customer_value_events (customer_id, reference, amount, currency, occurred_at, created_at)
    SELECT c.id, c.id || '-' || k.j, ((c.id * 31 + k.j * 17) % 5000) / 10.0,
           CASE WHEN (c.id + k.j) % 7 = 0 THEN 'USD' ELSE 'CNY' END,
           strftime('%Y-%m-%dT%H:%M:%fZ', '${NOW.toISOString()}', '-' || ((c.id * 13 + k.j * 101) % 700) || ' days'),
           '${NOW.toISOString()}'
    FROM customers c, k;`);
  // Outbound, so the report triggers of inbound contacts (migration 013) do not slow the build.
  db.exec(`
    WITH RECURSIVE k(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM k WHERE j < ${CONTACTS})
    INSERT INTO interactions (direction, provider, customer_id, state, arrived_at, outcome, wrap_up_code_id)
    SELECT 'outbound', 'demo', c.id, 'completed',
           strftime('%Y-%m-%dT%H:%M:%fZ', '${NOW.toISOString()}', '-' || ((c.id * 11 + k.j * 37) % 500) || ' days'),
           'answered', 1 + ((c.id * 3 + k.j) % 13 = 0) + ((c.id + k.j) % 29 = 0) * 2
    FROM customers c, k;`);
  db.exec('ANALYZE');
  console.log(
    `built ${CUSTOMERS} customers, ${CUSTOMERS * EVENTS} value events, ${CUSTOMERS * CONTACTS} interactions in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  const first = evaluateAll(db, model, NOW);
  console.log('first evaluation:', { ...first, seconds: +(first.durationMs / 1000).toFixed(1) });
  const next = evaluateAll(db, model, new Date(NOW.getTime() + 86_400_000));
  console.log('next night:', { ...next, seconds: +(next.durationMs / 1000).toFixed(1) });
} finally {
  db.close();
  rmSync(dir, { recursive: true, force: true });
}
