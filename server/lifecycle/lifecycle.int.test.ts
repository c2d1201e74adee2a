import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connection.js';
import {
  makeAgent,
  makeCustomer,
  makeInteraction,
  makeQueue,
  makeWrapUpCodes,
} from '../testing/factories.js';
import { as, createTestContext, login, type TestContext } from '../testing/harness.js';
import type { StageChange } from './index.js';

const DAY_MS = 86_400_000;
const MODEL = {
  currency: 'CNY',
  lifecycle: {
    negativeCodes: ['COMPLAINT'],
    cancellationIntentCodes: ['WANTS_OUT'],
    cancellationCodes: ['CANCELLED'],
  },
};

describe('lifecycle, derived', () => {
  let ctx: TestContext;
  let olivia: number;
  let agent: ReturnType<typeof as>;
  let supervisor: ReturnType<typeof as>;
  let heard: StageChange[];

  /** An interaction of `customerId` waiting for its wrap-up, as the call path leaves it. */
  const inWrapUp = (db: Db, customerId: number | null, at: string) => {
    const id = makeInteraction(db, { customerId, arrivedAt: at });
    db.prepare("UPDATE interactions SET state = 'wrap_up', wrap_up_ended_at = NULL WHERE id = ?").run(id);
    return id;
  };
  const codeId = (code: string) =>
    (ctx.db.prepare('SELECT id FROM wrap_up_codes WHERE code = ?').get(code) as { id: number }).id;
  const close = (customerId: number, code: string) => {
    const now = ctx.clock.now().toISOString();
    const id = inWrapUp(ctx.db, customerId, now);
    ctx.app.interactions.apply(
      id,
      { type: 'wrap_up_submitted', wrapUpCodeId: codeId(code), notes: null },
      now,
    );
    return id;
  };
  const stageOf = (customerId: number) =>
    (
      ctx.db.prepare('SELECT lifecycle_stage AS stage FROM customers WHERE id = ?').get(customerId) as {
        stage: string;
      }
    ).stage;

  beforeEach(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cti-model-'));
    const modelFile = join(dir, 'value-model.json');
    writeFileSync(modelFile, JSON.stringify(MODEL));
    ctx = await createTestContext({
      env: { VALUE_MODEL_FILE: modelFile },
      arrange: async (db) => {
        await makeAgent(db, { username: 'ana', role: 'agent' });
        await makeAgent(db, { username: 'sam', role: 'supervisor' });
        const setId = makeWrapUpCodes(db, 'Codes', [
          { code: 'OK', label: 'Resolved' },
          { code: 'COMPLAINT', label: 'Complaint' },
          { code: 'CANCELLED', label: 'Cancelled' },
          { code: 'SAVED', label: 'Saved', action: 'lifecycle_change', actionLifecycleStage: 'active' },
        ]);
        makeQueue(db, 'Support', { wrapUpCodeSetId: setId });
        olivia = makeCustomer(db, { name: 'Olivia Carter', phones: ['+14155550100'] });
        // An established customer: created long ago, in touch lately.
        db.prepare('UPDATE customers SET created_at = ? WHERE id = ?').run(
          '2025-01-01T00:00:00.000Z',
          olivia,
        );
        makeInteraction(db, { customerId: olivia, arrivedAt: '2026-11-01T10:00:00.000Z' });
      },
    });
    heard = [];
    ctx.app.lifecycle.onStageChanged((change) => heard.push(change));
    agent = as(ctx.app, await login(ctx.app, 'ana', 'test-password'));
    supervisor = as(ctx.app, await login(ctx.app, 'sam', 'test-password'));
  });
  afterEach(() => ctx.close());

  it('closing interactions moves the stage with its reason, once to the listener, on the timeline and the screen pop', async () => {
    close(olivia, 'COMPLAINT');
    expect(stageOf(olivia)).toBe('active');
    expect(heard).toMatchObject([{ customerId: olivia, from: 'new', to: 'active' }]);
    close(olivia, 'OK');
    expect(heard).toHaveLength(1);
    close(olivia, 'COMPLAINT');
    expect(stageOf(olivia)).toBe('at_risk');
    expect(heard).toHaveLength(2);
    expect(heard[1]).toEqual({
      customerId: olivia,
      from: 'active',
      to: 'at_risk',
      reasons: [{ code: 'negative_outcomes', count: 2, days: 30 }],
      at: ctx.clock.now().toISOString(),
    });

    const response = await agent('GET', `/api/customers/${olivia}/lifecycle`);
    expect(response.statusCode, response.body).toBe(200);
    const lifecycle = response.json();
    expect(lifecycle).toMatchObject({
      stage: 'at_risk',
      source: 'rules',
      churn: { score: 50, reasons: [{ code: 'negative_outcomes', count: 2, points: 30 }] },
    });
    expect(lifecycle.history.map((change: { to: string }) => change.to)).toEqual(['at_risk', 'active']);
    expect(lifecycle.history[0]).toMatchObject({ from: 'active', source: 'rules', agentName: null });

    // The screen pop carries the score and its reasons with the profile.
    const pop = ctx.app.customers.popFor(olivia, '+14155550100');
    expect(pop.customer?.churn).toMatchObject({ score: 50, reasons: [{ code: 'negative_outcomes' }] });
    const page = await agent('GET', `/api/customers/${olivia}`);
    expect(page.json().customer.churn.score).toBe(50);
  });

  it('a completed call linked to the customer afterwards counts too', () => {
    const now = ctx.clock.now().toISOString();
    const id = inWrapUp(ctx.db, null, now);
    ctx.app.interactions.apply(
      id,
      { type: 'wrap_up_submitted', wrapUpCodeId: codeId('CANCELLED'), notes: null },
      now,
    );
    expect(heard).toEqual([]);
    ctx.app.interactions.annotate(id, { customerId: olivia });
    expect(stageOf(olivia)).toBe('lost');
    expect(heard).toMatchObject([
      { customerId: olivia, to: 'lost', reasons: [{ code: 'cancelled', days: 0 }] },
    ]);
  });

  it('a value event after a cancellation wins the customer back', async () => {
    close(olivia, 'CANCELLED');
    expect(stageOf(olivia)).toBe('lost');
    expect((await agent('GET', `/api/customers/${olivia}/lifecycle`)).json().churn.score).toBe(100);
    ctx.clock.advance(3_600_000);
    const bought = await supervisor('POST', `/api/customers/${olivia}/value-events`, {
      amount: 300,
      currency: 'CNY',
      occurredAt: ctx.clock.now().toISOString(),
      reference: 'ORD-77',
    });
    expect(bought.statusCode, bought.body).toBe(201);
    expect(stageOf(olivia)).toBe('won_back');
    expect(heard.map((change) => change.to)).toEqual(['lost', 'won_back']);
    expect(heard[1]!.reasons).toEqual([{ code: 'value_after_lost', days: 0 }]);
  });

  it('a wrap-up code sets the stage by hand, recorded as such, and it holds against the rules', async () => {
    close(olivia, 'COMPLAINT');
    close(olivia, 'COMPLAINT');
    expect(stageOf(olivia)).toBe('at_risk');
    const agentId = (ctx.db.prepare("SELECT id FROM agents WHERE username = 'ana'").get() as { id: number })
      .id;
    const interactionId = inWrapUp(ctx.db, olivia, ctx.clock.now().toISOString());
    const saved = {
      code: 'SAVED',
      action: 'lifecycle_change' as const,
      actionLifecycleStage: 'active' as const,
    };
    ctx.app.customers.applyWrapUpAction(agentId, olivia, saved, {
      interactionId,
      queueId: null,
      callbackAt: null,
    });
    ctx.app.interactions.apply(
      interactionId,
      { type: 'wrap_up_submitted', wrapUpCodeId: codeId('SAVED'), notes: null },
      ctx.clock.now().toISOString(),
    );
    expect(stageOf(olivia)).toBe('active');
    expect(heard.map((change) => [change.to, change.reasons[0]?.code])).toEqual([
      ['active', undefined],
      ['at_risk', 'negative_outcomes'],
      ['active', 'set_by_hand'],
    ]);
    const { history, source, churn } = (await agent('GET', `/api/customers/${olivia}/lifecycle`)).json();
    expect(source).toBe('wrap_up_code');
    expect(history[0]).toMatchObject({
      from: 'at_risk',
      to: 'active',
      source: 'wrap_up_code',
      interactionId,
      reasons: [{ code: 'set_by_hand', wrapUpCode: 'SAVED' }],
    });
    // The score still follows the evidence.
    expect(churn.score).toBe(30);
    // After manualHoldDays the rules are back (the complaints are out of their window by then).
    ctx.clock.advance(31 * DAY_MS);
    ctx.app.lifecycle.evaluateCustomer(olivia);
    expect(stageOf(olivia)).toBe('active');
  });

  it('answers 404 for an unknown customer and lets only admins run the nightly pass', async () => {
    expect((await agent('GET', '/api/customers/9999/lifecycle')).statusCode).toBe(404);
    expect((await supervisor('POST', '/api/lifecycle/evaluate')).statusCode).toBe(403);
    await makeAgent(ctx.db, { username: 'root', role: 'admin' });
    const admin = as(ctx.app, await login(ctx.app, 'root', 'test-password'));
    const run = await admin('POST', '/api/lifecycle/evaluate');
    expect(run.statusCode, run.body).toBe(200);
    expect(run.json()).toMatchObject({ customers: 1, stageChanges: 1 });
    expect(heard).toMatchObject([{ customerId: olivia, from: 'new', to: 'active' }]);
  });

  it('evaluates one customer on close within a millisecond', () => {
    const at = ctx.clock.now().getTime();
    const insert = ctx.db.prepare(
      `INSERT INTO interactions (direction, provider, customer_id, state, arrived_at, outcome, wrap_up_code_id)
       VALUES ('inbound', 'demo', ?, 'completed', ?, 'answered', ?)`,
    );
    ctx.db.transaction(() => {
      for (let n = 0; n < 200; n++) insert.run(olivia, new Date(at - n * DAY_MS).toISOString(), codeId('OK'));
    })();
    const times: number[] = [];
    for (let n = 0; n < 200; n++) {
      const started = performance.now();
      ctx.app.lifecycle.afterInteractionCompleted(olivia);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    expect(times[100]).toBeLessThan(1);
  });
});
