import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTwilioFake, type TwilioFake } from '../../simulator/twilio-fake/index.js';
import { PERSONAL_EVENT_KEYS } from '../customer-data/index.js';
import { createCustomersRepository } from '../customers/index.js';
import { createInteractionsRepository } from '../interactions/index.js';
import { makeAgent, makeCustomer, makeQueue } from '../testing/factories.js';
import { as, createTestContext, login, until, type TestContext } from '../testing/harness.js';
import { playInboundCall } from '../testing/played-calls.js';
import { createRetentionPolicyRepository } from './retention-policy.repository.js';
import { createRetentionPolicyService } from './retention-policy.service.js';
import { createRetentionRepository } from './retention.repository.js';
import { createRetentionService } from './retention.service.js';

const ACCOUNT_SID = `AC${'6'.repeat(32)}`;
const AUTH_TOKEN = 'retention-auth-token';
const PHONE = '+14155550177';
// The harness's clock starts at 2026-11-22T10:00Z: with the defaults (recordings 90 days, notes and
// interactions 730, audit log 365, sessions 30 after expiry) OLD is past every limit and NEW inside all.
const OLD = '2024-06-01T09:00:00.000Z';
const MID = '2026-06-01T09:00:00.000Z';
const NEW = '2026-11-20T09:00:00.000Z';
const OLD_RANGE = 'from=2024-05-31T00:00:00Z&to=2024-06-03T00:00:00Z';

describe('retention', () => {
  let ctx: TestContext;
  let fake: TwilioFake;
  let ids: { old: number; mid: number; recent: number; oldNote: number; newNote: number };
  let refs: { old: string; mid: string; recent: string };

  beforeEach(async () => {
    fake = await startTwilioFake({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    const record = () => fake.leaveRecording(fake.arrive({ from: PHONE, to: '+14155550100' }).sid).sid;
    refs = { old: record(), mid: record(), recent: record() };
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
        const customer = makeCustomer(db, { name: 'Olivia Carter', tier: 'gold', phones: [PHONE] });
        const repo = createInteractionsRepository(db);
        const call = (n: number, arrivedAt: string, answered: boolean) =>
          playInboundCall(repo, n, {
            queueId: queue,
            arrivedAt,
            wait: 10,
            customerId: customer,
            callerNumber: PHONE,
            ...(answered && { agentId: ana }),
          });
        const [old, mid, recent] = [call(1, OLD, true), call(2, MID, true), call(3, NEW, true)];
        call(4, OLD, false);
        const personal = db.prepare(
          'UPDATE interactions SET recording_ref = ?, notes = ?, ivr_answers = ? WHERE id = ?',
        );
        const event = db.prepare(
          "INSERT INTO interaction_events (interaction_id, at, type, data) VALUES (?, ?, 'ivr_gathered', ?)",
        );
        for (const [id, ref, at] of [
          [old, refs.old, OLD],
          [mid, refs.mid, MID],
          [recent, refs.recent, NEW],
        ] as const) {
          personal.run(ref, 'Wants the invoice resent', JSON.stringify({ account: 'AC-1' }), id);
          event.run(id, at, JSON.stringify({ node: 'menu', digits: '1234', answers: { account: 'AC-1' } }));
        }
        const customers = createCustomersRepository(db);
        customers.addNote(customer, ana, 'Old note', OLD);
        customers.addNote(customer, ana, 'New note', NEW);
        const notes = db.prepare('SELECT id FROM customer_notes ORDER BY id').pluck().all() as number[];
        const audit = db.prepare(
          "INSERT INTO audit_log (at, action, entity_type, details) VALUES (?, 'agent.update', 'agent', '{}')",
        );
        audit.run('2025-06-01T00:00:00.000Z');
        audit.run('2026-06-01T00:00:00.000Z');
        ids = { old, mid, recent, oldNote: notes[0]!, newNote: notes[1]! };
      },
    });
  });

  afterEach(async () => {
    await ctx.close();
    await fake.close();
  });

  const user = async (name: string) => as(ctx.app, await login(ctx.app, name, 'test-password'));
  const interaction = (id: number) =>
    ctx.db
      .prepare(
        `SELECT caller_number AS callerNumber, notes, ivr_answers AS ivrAnswers, recording_ref AS recordingRef,
           outcome, queue_id IS NOT NULL AS queued FROM interactions WHERE id = ?`,
      )
      .get(id);
  const events = (id: number) =>
    ctx.db
      .prepare("SELECT data FROM interaction_events WHERE interaction_id = ? AND type = 'ivr_gathered'")
      .pluck()
      .all(id)
      .map((data) => JSON.parse(data as string) as unknown);

  it('dry run lists exactly what the run removes; the run keeps newer data and reports unchanged', async () => {
    const ada = await user('ada');
    const sue = await user('sue');
    const summary = async () => (await sue('GET', `/api/reports/summary?${OLD_RANGE}&by=tier`)).json();
    const before = await summary();
    // A sign-in deletes every expired session: these two come after, as if nobody signed in since.
    const session = ctx.db.prepare(
      "INSERT INTO sessions (token_hash, agent_id, created_at, expires_at) SELECT ?, id, '2026-01-01T00:00:00.000Z', ? FROM agents WHERE username = 'ana'",
    );
    session.run('a'.repeat(64), '2026-09-01T00:00:00.000Z');
    session.run('b'.repeat(64), '2026-11-10T00:00:00.000Z');
    const liveSessions = ctx.db.prepare('SELECT count(*) FROM sessions WHERE expires_at > ?').pluck();
    const live = liveSessions.get('2026-11-22T10:00:00.000Z');

    const dry = await ada('POST', '/api/retention/dry-run');
    expect(dry.statusCode, dry.body).toBe(200);
    const preview = dry.json();
    const item = (type: string, table: string) =>
      preview.items.find((i: { type: string; table: string }) => i.type === type && i.table === table);
    expect(item('recordings', 'interactions')).toMatchObject({
      count: 2,
      oldest: OLD,
      sampleIds: [String(ids.old), String(ids.mid)],
    });
    expect(item('notes', 'customer_notes')).toMatchObject({
      count: 1,
      oldest: OLD,
      sampleIds: [String(ids.oldNote)],
    });
    expect(item('notes', 'interactions')).toMatchObject({ count: 1, sampleIds: [String(ids.old)] });
    // The old answered call and the old abandoned one.
    expect(item('interactions', 'interactions')).toMatchObject({ count: 2, oldest: OLD });
    expect(item('auditLog', 'audit_log')).toMatchObject({ count: 1, oldest: '2025-06-01T00:00:00.000Z' });
    expect(item('sessions', 'sessions')).toMatchObject({ count: 1, sampleIds: ['aaaaaaaa'] });
    // Nothing changed.
    expect(interaction(ids.old)).toMatchObject({ callerNumber: PHONE, recordingRef: refs.old });
    expect(ctx.db.prepare('SELECT count(*) FROM customer_notes').pluck().get()).toBe(2);

    const run = await ada('POST', '/api/retention/run');
    expect(run.statusCode, run.body).toBe(200);
    const counts = Object.fromEntries(
      run
        .json()
        .items.map((i: { type: string; table: string; count: number }) => [`${i.type}.${i.table}`, i.count]),
    );
    expect(counts).toEqual(
      Object.fromEntries(
        preview.items.map((i: { type: string; table: string; count: number }) => [
          `${i.type}.${i.table}`,
          i.count,
        ]),
      ),
    );

    // Old: anonymous row, outcome and queue kept; the IVR node kept, the digits and answers gone.
    expect(interaction(ids.old)).toEqual({
      callerNumber: null,
      notes: null,
      ivrAnswers: '{}',
      recordingRef: null,
      outcome: 'answered',
      queued: 1,
    });
    expect(events(ids.old)).toEqual([{ node: 'menu' }]);
    // Past the recordings' 90 days only.
    expect(interaction(ids.mid)).toMatchObject({
      callerNumber: PHONE,
      notes: 'Wants the invoice resent',
      recordingRef: null,
    });
    expect(events(ids.mid)).toEqual([{ node: 'menu', digits: '1234', answers: { account: 'AC-1' } }]);
    expect(interaction(ids.recent)).toMatchObject({ callerNumber: PHONE, recordingRef: refs.recent });
    expect(ctx.db.prepare('SELECT id FROM customer_notes').pluck().all()).toEqual([ids.newNote]);
    expect(ctx.db.prepare("SELECT at FROM audit_log WHERE action = 'agent.update'").pluck().all()).toEqual([
      '2026-06-01T00:00:00.000Z',
    ]);
    expect(
      ctx.db
        .prepare('SELECT substr(token_hash, 1, 1) FROM sessions WHERE expires_at < ?')
        .pluck()
        .all('2026-11-22'),
    ).toEqual(['b']);
    expect(liveSessions.get('2026-11-22T10:00:00.000Z')).toBe(live);

    expect(await summary()).toEqual(before);
    // Newer audit entries stay append-only after a run opened the log's oldest rows to deletion.
    expect(() => ctx.db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);

    // Recordings go at Twilio through the erasure's retried deletion; the recent one stays.
    await until(
      () => !fake.recordings.has(refs.old) && !fake.recordings.has(refs.mid),
      'recordings deleted at Twilio',
    );
    expect(fake.recordings.has(refs.recent)).toBe(true);

    // Nothing left to do: a second dry run is empty.
    const again = (await ada('POST', '/api/retention/dry-run')).json();
    expect(again.items.map((i: { count: number }) => i.count)).toEqual(again.items.map(() => 0));

    const audit = ctx.db
      .prepare("SELECT details FROM audit_log WHERE action = 'retention.run'")
      .pluck()
      .all() as string[];
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!).removed).toEqual(counts);
    expect(ctx.logs()).toContain('retention run');
    expect(ctx.logs()).not.toContain('4155550177');
  });

  it('removes in batches of its size, each its own transaction, the same rows the dry run lists', async () => {
    const audit = { record: () => undefined };
    const retention = createRetentionService({
      passes: createRetentionRepository(ctx.db, PERSONAL_EVENT_KEYS),
      policies: createRetentionPolicyService({
        repository: createRetentionPolicyRepository(ctx.db),
        audit,
        clock: ctx.clock,
        defaults: ctx.config.retention,
      }),
      queueRecordingDeletions: async () => 0,
      audit,
      clock: ctx.clock,
      log: ctx.app.log,
      batchSize: 1,
    });
    const counts = (items: { type: string; table: string; count: number }[]) =>
      Object.fromEntries(items.map((item) => [`${item.type}.${item.table}`, item.count]));
    const listed = counts(retention.preview().items);
    expect(listed['recordings.interactions']).toBe(2);
    expect(counts((await retention.run('schedule')).items)).toEqual(listed);
    expect(Object.values(counts(retention.preview().items))).toEqual(Object.values(listed).map(() => 0));
    expect(interaction(ids.recent)).toMatchObject({ callerNumber: PHONE, recordingRef: refs.recent });
  });

  it('keeps forever a type at 0 or null, and audits the policy change', async () => {
    const ada = await user('ada');
    const policy = {
      recordingsDays: 0,
      notesDays: null,
      interactionsDays: 0,
      auditLogDays: 0,
      sessionsDays: 0,
    };
    const saved = await ada('PUT', '/api/retention', policy);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ policy, source: 'console', updatedByName: expect.any(String) });
    expect((await ada('POST', '/api/retention/dry-run')).json().items).toEqual([]);
    expect((await ada('POST', '/api/retention/run')).json().items).toEqual([]);
    expect(interaction(ids.old)).toMatchObject({ callerNumber: PHONE, recordingRef: refs.old });

    const update = ctx.db
      .prepare("SELECT details FROM audit_log WHERE action = 'retention.policy.update'")
      .pluck()
      .get() as string;
    expect(JSON.parse(update).changes).toMatchObject({ recordingsDays: { from: 90, to: 0 } });
  });

  it('is for admins only, and a negative number of days is a 400 naming the field', async () => {
    for (const name of ['ana', 'sue']) {
      const client = await user(name);
      expect((await client('GET', '/api/retention')).statusCode).toBe(403);
      expect((await client('PUT', '/api/retention', {})).statusCode).toBe(403);
      expect((await client('POST', '/api/retention/dry-run')).statusCode).toBe(403);
      expect((await client('POST', '/api/retention/run')).statusCode).toBe(403);
    }
    const ada = await user('ada');
    const view = (await ada('GET', '/api/retention')).json();
    expect(view).toMatchObject({
      source: 'config',
      policy: {
        recordingsDays: 90,
        notesDays: 730,
        interactionsDays: 730,
        auditLogDays: 365,
        sessionsDays: 30,
      },
    });
    const bad = await ada('PUT', '/api/retention', { ...view.policy, notesDays: -1 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('notesDays');
    expect((await ada('GET', '/api/retention')).json().source).toBe('config');
    expect(interaction(ids.old)).toMatchObject({ callerNumber: PHONE });
  });
});
