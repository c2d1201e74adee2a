import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connection.js';
import { makeAgent, makeCustomer, makeInteraction, makeQueue } from '../testing/factories.js';
import { as, createTestContext, login, type TestContext } from '../testing/harness.js';

describe('customer report', () => {
  let ctx: TestContext;
  let customers: { a: number; b: number };

  beforeEach(async () => {
    ctx = await createTestContext({
      arrange: async (db: Db) => {
        await makeAgent(db, { username: 'ana', role: 'agent' });
        await makeAgent(db, { username: 'sue', role: 'supervisor' });
        const queueId = makeQueue(db, 'Support');
        const a = makeCustomer(db, { name: 'Ada', tier: 'gold' });
        const b = makeCustomer(db, { name: 'Ben' });
        const c = makeCustomer(db, { name: 'Cy' });
        db.prepare("UPDATE customers SET lifecycle_stage = 'at_risk' WHERE id = ?").run(b);
        const set = db
          .prepare("INSERT INTO wrap_up_code_sets (name) VALUES ('default')")
          .run().lastInsertRowid;
        const code = (name: string) =>
          Number(
            db
              .prepare('INSERT INTO wrap_up_codes (set_id, code, label) VALUES (?, ?, ?)')
              .run(set, name, name).lastInsertRowid,
          );
        const billing = code('billing');
        const outage = code('outage');
        const contact = (
          customerId: number,
          day: string,
          wrapUpCodeId: number | null,
          outcome = 'answered',
        ) => {
          const id = makeInteraction(db, {
            customerId,
            queueId,
            arrivedAt: `2026-11-${day}T10:00:00.000Z`,
            outcome,
          });
          db.prepare('UPDATE interactions SET wrap_up_code_id = ? WHERE id = ?').run(wrapUpCodeId, id);
          return id;
        };
        const first = contact(a, '01', billing);
        // A transfer continues the first contact: not a contact of its own.
        makeInteraction(db, {
          customerId: a,
          queueId,
          arrivedAt: '2026-11-01T10:05:00.000Z',
          transferredFrom: first,
        });
        contact(a, '03', billing);
        contact(a, '20', outage);
        contact(b, '02', billing);
        contact(b, '05', outage);
        contact(c, '10', null, 'abandoned');
        customers = { a, b };
      },
    });
  });
  afterEach(() => ctx.close());

  it('counts customers, repeats within N days and first-contact resolution by hand', async () => {
    const sue = as(ctx.app, await login(ctx.app, 'sue', 'test-password'));
    const range = 'from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z';
    const report = (await sue('GET', `/api/reports/customers?${range}`)).json();
    expect(report).toEqual({
      repeatDays: 7,
      contacts: 6,
      uniqueCustomers: 3,
      contactsPerCustomer: 2,
      // Ada's 1 Nov (again 3 Nov) and Ben's 2 Nov (again 5 Nov) of six contacts.
      repeatContactPercent: 33.3,
      // Of five coded contacts only Ada's 1 Nov billing call came back on billing within 7 days.
      firstContactResolutionPercent: 80,
      topRepeatCallers: [
        { customerId: customers.a, name: 'Ada', tier: 'gold', contacts: 3 },
        { customerId: customers.b, name: 'Ben', tier: 'bronze', contacts: 2 },
      ],
      byLifecycleStage: [
        { stage: 'at_risk', contacts: 2, customers: 1, answered: 2, abandoned: 0 },
        { stage: 'new', contacts: 4, customers: 2, answered: 3, abandoned: 1 },
      ],
    });
    // With a one-day window nothing repeats and every coded contact resolved.
    const tight = (await sue('GET', `/api/reports/customers?${range}&repeatDays=1`)).json();
    expect([tight.repeatContactPercent, tight.firstContactResolutionPercent]).toEqual([0, 100]);
    const gold = (await sue('GET', `/api/reports/customers?${range}&tier=gold`)).json();
    expect([gold.contacts, gold.uniqueCustomers]).toEqual([3, 1]);
    const ana = as(ctx.app, await login(ctx.app, 'ana', 'test-password'));
    expect((await ana('GET', `/api/reports/customers?${range}`)).statusCode).toBe(403);
    expect((await ctx.app.inject({ method: 'GET', url: `/api/reports/customers?${range}` })).statusCode).toBe(
      401,
    );
    expect((await sue('GET', `/api/reports/customers?${range}&queueId=99`)).json().message).toMatch(
      /Unknown call queue 99/,
    );
  });
});
