import { describe, expect, it } from 'vitest';
import type { Db } from '../../db/connection.js';
import { makeAgent, makeCustomer, makeInteraction, makeQueue } from '../testing/factories.js';
import { as, login, useTestContext } from '../testing/harness.js';
import { lifecyclePass, type NightlyStageChanges, type StageChange } from './index.js';

/** Customers quiet for over lostInactiveDays (365) before the harness clock's 2026-11-22. */
const LONG_AGO = '2025-06-01T10:00:00.000Z';
const CUSTOMERS = 5;

/**
 * Gold customers (an override, so the value pass keeps them gold), last served by the Support queue
 * long ago: the nightly pass makes each lost, and the follow-up rules a win-back for each.
 */
async function arrange(db: Db) {
  await makeAgent(db, { username: 'ada', role: 'admin' });
  const queueId = makeQueue(db, 'Support');
  for (let n = 1; n <= CUSTOMERS; n++) {
    const id = makeCustomer(db, { name: `Customer ${n}`, tier: 'gold', lifecycleStage: 'active' });
    db.prepare('UPDATE customers SET created_at = ? WHERE id = ?').run('2024-01-01T00:00:00.000Z', id);
    db.prepare(
      `INSERT INTO tier_overrides (customer_id, tier, reason, expires_at, set_at)
       VALUES (?, 'gold', 'Key account', '2027-06-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z')`,
    ).run(id);
    makeInteraction(db, { customerId: id, arrivedAt: LONG_AGO, queueId });
  }
}

describe('the nightly lifecycle pass in the recomputation', () => {
  const ctx = useTestContext({ arrange });
  const history = () =>
    ctx.db
      .prepare<[], { customerId: number; from: string; to: string; source: string; reasons: string }>(
        `SELECT customer_id AS customerId, from_stage AS "from", to_stage AS "to", source, reasons
         FROM customer_lifecycle_changes ORDER BY id`,
      )
      .all();
  const winBacks = () =>
    ctx.db
      .prepare<[], number>("SELECT customer_id FROM follow_ups WHERE kind = 'win_back' ORDER BY customer_id")
      .pluck()
      .all();
  const unannounced = () =>
    ctx.db.prepare("SELECT key FROM app_meta WHERE key GLOB 'lifecycle.unannounced:*'").pluck().all();
  const listen = () => {
    const heard: StageChange[] = [];
    ctx.app.lifecycle.onStageChanged((change) => heard.push(change));
    return heard;
  };

  it('changes stages on the worker thread, with their history rows, announced to the main thread', async () => {
    const heard = listen();
    const admin = as(ctx.app, await login(ctx.app, 'ada', 'test-password'));
    const response = await admin('POST', '/api/customer-value/recompute');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().passes).toMatchObject([
      { name: 'value', customers: CUSTOMERS },
      { name: 'lifecycle', customers: CUSTOMERS, changed: CUSTOMERS },
    ]);

    const rows = history();
    expect(rows).toHaveLength(CUSTOMERS);
    for (const row of rows) {
      expect(row).toMatchObject({ from: 'active', to: 'lost', source: 'rules' });
      expect(JSON.parse(row.reasons)).toEqual([expect.objectContaining({ code: 'inactive' })]);
    }
    // Each change once to the listeners on this thread, as stored, before the run answered.
    expect(heard.map(({ customerId, from, to, reasons }) => ({ customerId, from, to, reasons }))).toEqual(
      rows.map(({ customerId, from, to, reasons }) => ({
        customerId,
        from,
        to,
        reasons: JSON.parse(reasons) as unknown,
      })),
    );
    expect(new Set(heard.map((change) => change.at))).toEqual(new Set([ctx.clock.now().toISOString()]));
    expect(winBacks()).toEqual(rows.map((row) => row.customerId));
    expect(unannounced()).toEqual([]);
    const first = rows[0]!.customerId;
    const lifecycle = (await admin('GET', `/api/customers/${first}/lifecycle`)).json();
    expect(lifecycle).toMatchObject({ stage: 'lost', history: [{ from: 'active', to: 'lost' }] });
  });

  it('loses no committed change when the run dies before announcing it, and makes each follow-up once', () => {
    const heard = listen();
    const model = ctx.app.valueModel.current();
    const now = ctx.clock.now();
    const posted: NightlyStageChanges[] = [];
    // The worker's connection; ranges of two customers; the second batch's post never arrives
    // (the worker is killed after its commit).
    expect(() =>
      lifecyclePass(ctx.db, model, now, {
        rangeSize: 2,
        announce: (batch) => {
          if (posted.length === 1) throw new Error('killed');
          posted.push(batch);
          ctx.app.lifecycle.announceNightly(batch);
        },
      }),
    ).toThrow('killed');
    expect(history()).toHaveLength(4);
    expect(heard).toHaveLength(2);
    expect(unannounced()).toHaveLength(1);

    // After the run (or at the next start) the main thread announces what was committed unheard.
    expect(ctx.app.lifecycle.catchUpNightly()).toBe(2);
    expect(heard.map((change) => change.customerId)).toEqual(history().map((row) => row.customerId));
    expect(winBacks()).toEqual(history().map((row) => row.customerId));
    expect(unannounced()).toEqual([]);

    // Killed between announcing and recording it: the batch is announced again, the follow-ups are not doubled.
    ctx.db
      .prepare('INSERT INTO app_meta (key, value) VALUES (?, ?)')
      .run(`lifecycle.unannounced:${now.toISOString()}`, '0');
    expect(ctx.app.lifecycle.catchUpNightly()).toBe(4);
    expect(heard).toHaveLength(8);
    expect(winBacks()).toEqual(history().map((row) => row.customerId));

    // The next run finishes the customers the killed one did not reach, and announces only those.
    lifecyclePass(ctx.db, model, now, { announce: (batch) => ctx.app.lifecycle.announceNightly(batch) });
    expect(history()).toHaveLength(CUSTOMERS);
    expect(heard).toHaveLength(9);
    expect(winBacks()).toHaveLength(CUSTOMERS);
  });
});
