import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connection.js';
import { startTwilioFake, type TwilioFake } from '../../simulator/twilio-fake/index.js';
import { createCustomersRepository } from '../customers/index.js';
import { createInteractionsRepository } from '../interactions/index.js';
import { makeAgent, makeCustomer, makeFollowUp, makeQueue } from '../testing/factories.js';
import { as, createTestContext, login, until, type TestContext } from '../testing/harness.js';
import { playInboundCall } from '../testing/played-calls.js';

const ACCOUNT_SID = `AC${'5'.repeat(32)}`;
const AUTH_TOKEN = 'erasure-auth-token';
const NAME = 'Zed Quimby';
const PHONE = '+14155550188';
/** Every form the person might be found in: the test fails if any is anywhere in the database. */
const NEEDLES = [PHONE, '4155550188', '555 0188', '555-0188', 'Quimby', 'zed.q@example', 'AC-000777'];
const RANGE = 'from=2026-11-20T00:00:00Z&to=2026-11-23T00:00:00Z';
const AT = '2026-11-21T09:00:00.000Z';

/** Where any needle occurs: "table.column" for every table (FTS shadow tables included) and column. */
function scan(db: Db, needles: readonly string[]): string[] {
  const tables = db
    .prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .pluck()
    .all();
  const found: string[] = [];
  for (const table of tables) {
    const columns = db
      .prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}')`)
      .all()
      .map((column) => column.name);
    for (const column of columns) {
      for (const needle of needles) {
        const hits = db
          .prepare<[string], number>(
            `SELECT count(*) FROM "${table}" WHERE instr(lower(CAST("${column}" AS TEXT)), lower(?)) > 0`,
          )
          .pluck()
          .get(needle);
        if (hits) found.push(`${table}.${column} holds ${needle}`);
      }
    }
  }
  return found;
}

describe('erasing a customer (right to be forgotten)', () => {
  let ctx: TestContext;
  let fake: TwilioFake;
  let ids: { zed: number; olivia: number; recorded: number };
  let recordingRef: string;

  beforeEach(async () => {
    fake = await startTwilioFake({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    recordingRef = fake.leaveRecording(fake.arrive({ from: PHONE, to: '+14155550100' }).sid).sid;
    ctx = await createTestContext({
      env: {
        PUBLIC_BASE_URL: 'https://cti.example.com',
        TWILIO_ACCOUNT_SID: ACCOUNT_SID,
        TWILIO_AUTH_TOKEN: AUTH_TOKEN,
        TWILIO_CALLER_ID: '+14155550100',
        TWILIO_API_BASE_URL: fake.baseUrl,
      },
      app: { callTimers: false },
      arrange: async (db) => {
        const ana = await makeAgent(db, { username: 'ana' });
        await makeAgent(db, { username: 'sue', role: 'supervisor' });
        await makeAgent(db, { username: 'ada', role: 'admin' });
        const queue = makeQueue(db, 'Support');
        const zed = makeCustomer(db, {
          name: NAME,
          company: 'Quimby Ltd',
          tier: 'gold',
          attributes: { accountNumber: 'AC-000777' },
          phones: [PHONE],
          emails: ['zed.q@example.com'],
        });
        const olivia = makeCustomer(db, { name: 'Olivia Carter', tier: 'gold', phones: ['+14155550123'] });
        const repo = createInteractionsRepository(db);
        const calls = [0, 1, 2].map((n) =>
          playInboundCall(repo, n, {
            queueId: queue,
            arrivedAt: new Date(Date.parse(AT) + n * 3600_000).toISOString(),
            wait: 12,
            customerId: zed,
            callerNumber: PHONE,
            ...(n < 2 && { agentId: ana }),
          }),
        );
        playInboundCall(repo, 3, {
          queueId: queue,
          arrivedAt: AT,
          wait: 5,
          customerId: olivia,
          agentId: ana,
        });
        // A call from the number before anyone knew whose it was.
        playInboundCall(repo, 4, { queueId: queue, arrivedAt: AT, wait: 5, callerNumber: PHONE });
        const recorded = calls[0]!;
        db.prepare(`UPDATE interactions SET recording_ref = ?, notes = ?, ivr_answers = ? WHERE id = ?`).run(
          recordingRef,
          `${NAME} wants the invoice resent`,
          JSON.stringify({ account: 'AC-000777', birthday: '1980-02-03' }),
          recorded,
        );
        const event = db.prepare(
          'INSERT INTO interaction_events (interaction_id, at, type, agent_id, data) VALUES (?, ?, ?, ?, ?)',
        );
        event.run(calls[1], AT, 'customer_dialled', ana, JSON.stringify({ phoneNumber: PHONE, attempt: 1 }));
        event.run(calls[1], AT, 'consult_started', ana, JSON.stringify({ to: `${NAME}'s manager` }));
        createCustomersRepository(db).addNote(zed, ana, 'Prefers calls after 5 pm, ask for Zed Quimby', AT);
        makeFollowUp(db, { customerId: zed, note: 'Call back on (415) 555-0188' });
        db.prepare(
          `INSERT INTO customer_value_events (customer_id, reference, amount, currency, occurred_at, created_at)
           VALUES (?, 'ORDER-Quimby-1', 120, 'USD', ?, ?)`,
        ).run(zed, AT, AT);
        db.prepare(
          `INSERT INTO tier_overrides (customer_id, tier, reason, expires_at, set_at)
           VALUES (?, 'gold', 'Zed Quimby is a reseller', '2027-01-01T00:00:00.000Z', ?)`,
        ).run(zed, AT);
        ids = { zed, olivia, recorded };
      },
    });
  });

  afterEach(async () => {
    await ctx.close();
    await fake.close();
  });

  const user = async (name: string) => as(ctx.app, await login(ctx.app, name, 'test-password'));
  const erase = (client: Awaited<ReturnType<typeof user>>, body: object, id = ids.zed) =>
    client('POST', `/api/customers/${id}/erasure`, body);
  const valid = { reason: 'Erasure request by e-mail, ticket 4711', confirmation: '  zed QUIMBY ' };

  it('leaves the name and number nowhere in the database, reports unchanged, and the number pops nobody', async () => {
    const sue = await user('sue');
    const summary = async () => (await sue('GET', `/api/reports/summary?${RANGE}&by=tier`)).json();
    const before = await summary();
    expect(scan(ctx.db, NEEDLES).length).toBeGreaterThan(10);

    const response = await erase(await user('ada'), valid);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      customerId: ids.zed,
      phones: 1,
      emails: 1,
      notes: 1,
      interactions: 3,
      recordings: 1,
    });

    expect(scan(ctx.db, NEEDLES)).toEqual([]);
    expect(await summary()).toEqual(before);
    // The calls stay, anonymous: three rows, their times, queue and outcome kept.
    const calls = ctx.db
      .prepare('SELECT outcome, caller_number FROM interactions WHERE customer_id = ? ORDER BY id')
      .all(ids.zed);
    expect(calls).toEqual([
      { outcome: 'answered', caller_number: null },
      { outcome: 'answered', caller_number: null },
      { outcome: 'abandoned', caller_number: null },
    ]);
    const dialled = ctx.db
      .prepare("SELECT data FROM interaction_events WHERE type = 'customer_dialled'")
      .pluck()
      .get();
    expect(JSON.parse(dialled as string)).toEqual({ attempt: 1 });

    expect(ctx.app.customers.screenPop(PHONE).customer).toBeNull();
    expect(ctx.app.customers.identifyByDigits('777')).toBeNull();
    for (const q of [PHONE, 'Quimby', 'zed.q@example.com']) {
      expect((await sue('GET', `/api/customers?q=${encodeURIComponent(q)}`)).json().items).toEqual([]);
    }
    const view = (await sue('GET', `/api/customers/${ids.zed}`)).json();
    expect(view.customer.erased).toBe(true);
    expect(view.phones).toEqual([]);

    await until(() => !fake.recordings.has(recordingRef), 'the recording deleted at Twilio');
    await until(
      () =>
        ctx.db
          .prepare('SELECT deleted_at FROM recording_deletions WHERE recording_ref = ?')
          .pluck()
          .get(recordingRef) !== null,
      'the deletion recorded',
    );

    const audit = ctx.db
      .prepare("SELECT details FROM audit_log WHERE action = 'customer.erase' AND entity_id = ?")
      .pluck()
      .all(String(ids.zed)) as string[];
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!)).toMatchObject({ reason: valid.reason, phones: 1, recordings: 1 });
    expect(ctx.logs()).not.toContain('Quimby');
  });

  it('is for admins only, asks for the name, refuses a reason that names the customer, and erases once', async () => {
    expect((await erase(await user('ana'), valid)).statusCode).toBe(403);
    expect((await erase(await user('sue'), valid)).statusCode).toBe(403);
    const ada = await user('ada');
    expect((await erase(ada, { ...valid, confirmation: 'Olivia Carter' })).statusCode).toBe(400);
    expect((await erase(ada, { ...valid, confirmation: 'ERASE' })).statusCode).toBe(400);
    const naming = await erase(ada, { ...valid, reason: 'Asked by phone from 415 555 0188' });
    expect(naming.statusCode).toBe(400);
    expect((await erase(ada, valid, 99_999)).statusCode).toBe(404);
    expect(ctx.db.prepare('SELECT erased_at FROM customers WHERE id = ?').pluck().get(ids.zed)).toBeNull();
    expect(scan(ctx.db, [PHONE]).length).toBeGreaterThan(0);

    expect((await erase(ada, valid)).statusCode).toBe(200);
    const again = await erase(ada, { ...valid, confirmation: '[erased]' });
    expect(again.statusCode).toBe(409);
    expect(
      ctx.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'customer.erase'").pluck().get(),
    ).toBe(1);
  });

  it('retries a recording delete that Twilio failed until Twilio confirms it', async () => {
    fake.outage = true;
    expect((await erase(await user('ada'), valid)).statusCode).toBe(200);
    const row = () =>
      ctx.db
        .prepare('SELECT attempts, last_error AS lastError, deleted_at AS deletedAt FROM recording_deletions')
        .get() as { attempts: number; lastError: string | null; deletedAt: string | null };
    await until(() => row().attempts >= 1, 'a failed attempt');
    expect(row()).toMatchObject({ lastError: 'unavailable', deletedAt: null });
    expect(fake.recordings.has(recordingRef)).toBe(true);

    fake.outage = false;
    await until(() => row().deletedAt !== null, 'the retried delete', 15_000);
    expect(fake.recordings.has(recordingRef)).toBe(false);
  });
});
