import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../db/connection.js';
import { migrate } from '../../db/migrate.js';
import { makeAgent, makeCustomer, makeQueue } from '../testing/factories.js';
import { IllegalInteractionTransition } from './interaction.machine.js';
import { createInteractionsRepository } from './interactions.repository.js';

describe('recording an interaction', () => {
  let dir: string;
  let db: Db;
  let repo: ReturnType<typeof createInteractionsRepository>;
  let agentId: number;
  let queueId: number;
  let customerId: number;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cti-int-'));
    db = openDatabase({ file: join(dir, 'x.sqlite') });
    migrate(db);
    agentId = await makeAgent(db, { username: 'ana' });
    queueId = makeQueue(db, 'Support');
    customerId = makeCustomer(db, { name: 'Olivia Carter', phones: ['+14155550123'] });
    repo = createInteractionsRepository(db);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const arrival = () =>
    repo.recordArrival({
      direction: 'inbound',
      provider: 'twilio',
      providerCallId: 'CA0123456789abcdef0123456789abcdef',
      callerNumber: '+14155550123',
      customerId,
      arrivedAt: '2026-11-22T10:00:00.000Z',
    });

  it('records an arrival once, however often the provider retries', () => {
    const first = arrival();
    const again = arrival();
    expect(first.created).toBe(true);
    expect(again).toEqual({ id: first.id, created: false });
    expect(db.prepare('SELECT count(*) AS n FROM interactions').get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT count(*) AS n FROM interaction_events').get()).toEqual({ n: 1 });
  });

  it('keeps every timestamp, the outcome, the wrap-up and the timeline of an answered call', () => {
    const { id } = arrival();
    repo.apply(id, { type: 'ivr_left' }, '2026-11-22T10:00:20.000Z');
    repo.apply(id, { type: 'queued', queueId }, '2026-11-22T10:00:20.000Z');
    repo.apply(id, { type: 'offered', agentId }, '2026-11-22T10:00:30.000Z', 'ana: longest idle among 1');
    repo.apply(id, { type: 'answered', agentId }, '2026-11-22T10:00:35.000Z');
    expect(repo.apply(id, { type: 'ended', outcome: null }, '2026-11-22T10:05:35.000Z')).toBe('wrap_up');
    repo.apply(
      id,
      { type: 'wrap_up_submitted', wrapUpCodeId: null, notes: 'Resolved' },
      '2026-11-22T10:06:00.000Z',
    );

    const detail = repo.get(id)!;
    expect(detail).toMatchObject({
      state: 'completed',
      outcome: 'answered',
      queueName: 'Support',
      agentName: 'ana',
      waitSeconds: 15,
      talkSeconds: 300,
      notes: 'Resolved',
      offeredAt: '2026-11-22T10:00:30.000Z',
      wrapUpEndedAt: '2026-11-22T10:06:00.000Z',
    });
    expect(detail.events.map((e) => e.type)).toEqual([
      'arrived',
      'ivr_left',
      'queued',
      'offered',
      'answered',
      'ended',
      'wrap_up_submitted',
    ]);
    expect(detail.events[3]!.data).toEqual({ agentId, reason: 'ana: longest idle among 1' });
  });

  it('marks a call that ends in the queue as abandoned', () => {
    const { id } = arrival();
    repo.apply(id, { type: 'queued', queueId }, '2026-11-22T10:00:20.000Z');
    expect(repo.apply(id, { type: 'ended', outcome: null }, '2026-11-22T10:01:20.000Z')).toBe('completed');
    expect(repo.get(id)).toMatchObject({ outcome: 'abandoned', waitSeconds: 60, talkSeconds: null });
  });

  it('refuses an illegal event and changes nothing', () => {
    const { id } = arrival();
    repo.apply(id, { type: 'queued', queueId }, '2026-11-22T10:00:20.000Z');
    repo.apply(id, { type: 'ended', outcome: null }, '2026-11-22T10:01:20.000Z');
    const before = JSON.stringify(repo.get(id));
    expect(() => repo.apply(id, { type: 'ended', outcome: null }, '2026-11-22T10:02:00.000Z')).toThrow(
      IllegalInteractionTransition,
    );
    expect(() => repo.apply(id, { type: 'answered', agentId }, '2026-11-22T10:02:00.000Z')).toThrow(
      IllegalInteractionTransition,
    );
    expect(JSON.stringify(repo.get(id))).toBe(before);
  });
});
