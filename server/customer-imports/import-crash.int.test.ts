import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { makeAgent } from '../testing/factories.js';
import { ORIGIN, as, createTestContext, login, until, type TestContext } from '../testing/harness.js';
import type { ImportState } from './customer-imports.schemas.js';

const ROWS = 30_000;
const BATCH = 100;
const FILE = `${[
  'name,phone,email',
  ...Array.from({ length: ROWS }, (_, n) => `Person ${n},+1415${String(2_000_000 + n)},p${n}@example.com`),
].join('\r\n')}\r\n`;
const TABLES = ['customers', 'customer_phones', 'customer_emails', 'customer_search'];

/** The server process running the import: server/testing/import-process.ts under tsx. */
function startImportProcess(config: TestContext['config'], importId: string): ChildProcess {
  return spawn('node_modules/.bin/tsx', ['server/testing/import-process.ts'], {
    env: {
      ...process.env,
      DATA_DIR: config.dataDir,
      REDIS_URL: config.redisUrl,
      REDIS_PREFIX: config.redisPrefix,
      IMPORT_BATCH_ROWS: String(BATCH),
      LOG_LEVEL: 'warn',
      IMPORT_ID: importId,
      IMPORT_USER: 'sue',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('a customer import whose process is killed (SIGKILL) mid-file', () => {
  let ctx: TestContext;
  let child: ChildProcess | undefined;
  let restarted: FastifyInstance | undefined;
  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await restarted?.close();
    await ctx.close();
  });

  it('loses only the batch under way: the restart resumes from the checkpoint, and the file again changes nothing', async () => {
    ctx = await createTestContext({
      env: { IMPORT_BATCH_ROWS: String(BATCH) },
      arrange: (db) => makeAgent(db, { username: 'sue', role: 'supervisor' }),
    });
    const upload = (app: FastifyInstance, cookie: string) =>
      app.inject({
        method: 'POST',
        url: '/api/customer-imports?fileName=people.csv',
        headers: { cookie, origin: ORIGIN, 'content-type': 'text/csv' },
        payload: FILE,
      });
    const uploaded = await upload(ctx.app, await login(ctx.app, 'sue', 'test-password'));
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const { id } = uploaded.json<ImportState>();
    // Only the child process works the import queue until it is killed.
    await ctx.app.close();

    const import_ = () =>
      ctx.db
        .prepare('SELECT next_row AS nextRow, created, status FROM customer_imports WHERE id = ?')
        .get(id) as { nextRow: number; created: number; status: string };
    const count = (table: string) => ctx.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
    /** Customers missing their phone, their email or their search row: half-written ones. */
    const halfWritten = () =>
      ctx.db
        .prepare(
          `SELECT count(*) FROM customers c
           WHERE NOT EXISTS (SELECT 1 FROM customer_phones p WHERE p.customer_id = c.id)
              OR NOT EXISTS (SELECT 1 FROM customer_emails e WHERE e.customer_id = c.id)
              OR NOT EXISTS (SELECT 1 FROM customer_search s WHERE s.rowid = c.id)`,
        )
        .pluck()
        .get();

    child = startImportProcess(ctx.config, id);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await until(() => import_().nextRow >= 3 * BATCH || child!.exitCode !== null, 'batches written', 60_000);
    expect(child.exitCode, stderr).toBeNull();
    child.kill('SIGKILL');
    await once(child, 'exit');

    const killed = import_();
    expect(killed.status).toBe('running');
    expect(killed.nextRow).toBeLessThan(ROWS);
    expect(killed.nextRow % BATCH).toBe(0);
    // Whole batches only: every committed row is a whole customer, and nothing past the checkpoint.
    for (const table of TABLES) expect(count(table), table).toBe(killed.nextRow);
    expect(halfWritten()).toBe(0);

    // The killed worker's job lock runs out and BullMQ hands the job to the next process.
    restarted = await buildApp(ctx.config, {
      clock: ctx.clock,
      logStream: new Writable({ write: (_chunk, _encoding, done) => done() }),
    });
    await until(() => import_().status === 'done', 'the resumed import', 120_000);
    expect(import_()).toMatchObject({ nextRow: ROWS, created: ROWS });
    for (const table of TABLES) expect(count(table), table).toBe(ROWS);
    expect(halfWritten()).toBe(0);

    const again = await upload(restarted, await login(restarted, 'sue', 'test-password'));
    const second = again.json<ImportState>();
    const sue = as(restarted, await login(restarted, 'sue', 'test-password'));
    const started = await sue('POST', `/api/customer-imports/${second.id}/start`, {
      mapping: second.proposedMapping,
      duplicates: 'update',
    });
    expect(started.statusCode, started.body).toBe(202);
    let last: ImportState | undefined;
    await until(
      async () =>
        (last = (await sue('GET', `/api/customer-imports/${second.id}`)).json<ImportState>()).status ===
        'done',
      'the second run',
      120_000,
    );
    expect(last).toMatchObject({ created: 0, updated: 0, unchanged: ROWS, invalid: 0, sameFileAs: id });
    for (const table of TABLES) expect(count(table), table).toBe(ROWS);
  }, 300_000);
});
