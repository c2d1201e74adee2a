import type { Db } from '../../db/connection.js';
import type { FollowUpKind, FollowUpPriority, FollowUpStatus } from '../../contracts/glossary.js';
import type { FollowUpWork } from './follow-ups.schemas.js';

interface WorkRow {
  id: number;
  kind: FollowUpKind;
  status: FollowUpStatus;
  priority: FollowUpPriority;
  title: string | null;
  note: string | null;
  due_at: string;
  customer_id: number;
  customer_name: string;
  owner_agent_id: number | null;
  owner_agent_name: string | null;
  owner_queue_id: number | null;
  owner_queue_name: string | null;
  interaction_id: number | null;
  source: FollowUpWork['source'];
  created_by_name: string | null;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
}

const SELECT_WORK = `
  SELECT f.id, f.kind, f.status, f.priority, f.title, f.note, f.due_at, f.customer_id, c.name AS customer_name,
         f.owner_agent_id, oa.display_name AS owner_agent_name, f.owner_queue_id, oq.name AS owner_queue_name,
         f.interaction_id, f.source, cb.display_name AS created_by_name, f.created_at, f.updated_at, f.completed_at
  FROM follow_ups f
  JOIN customers c ON c.id = f.customer_id
  LEFT JOIN agents oa ON oa.id = f.owner_agent_id
  LEFT JOIN call_queues oq ON oq.id = f.owner_queue_id
  LEFT JOIN agents cb ON cb.id = f.created_by`;

const ACTIVE = `f.status IN ('open', 'in_progress')`;

/** Whose follow-ups a query reads: one agent's, some teams', every team's, or one customer's. */
export type FollowUpScope =
  | { ownerAgentId: number }
  | { ownerQueueIds: readonly number[] }
  | { allTeams: true }
  | { customerId: number };

export interface WorklistFilter {
  status?: FollowUpStatus | undefined;
  kind?: FollowUpKind | undefined;
  overdue?: boolean | undefined;
}

export interface NewFollowUp {
  kind: FollowUpKind;
  customerId: number;
  interactionId: number | null;
  queueId: number | null;
  ownerAgentId: number | null;
  ownerQueueId: number | null;
  title: string | null;
  priority: FollowUpPriority;
  dueAt: string;
  note: string | null;
  source: FollowUpWork['source'];
  sourceKey: string | null;
  createdBy: number | null;
}

/** The owner and reminder facts the service needs to push to the right people. */
export interface FollowUpRecord {
  id: number;
  kind: FollowUpKind;
  status: FollowUpStatus;
  customerId: number;
  ownerAgentId: number | null;
  ownerQueueId: number | null;
}

export type ReminderKind = 'due' | 'overdue';

function scopeSql(scope: FollowUpScope): { sql: string; params: (string | number)[] } {
  if ('ownerAgentId' in scope) return { sql: 'f.owner_agent_id = ?', params: [scope.ownerAgentId] };
  if ('customerId' in scope) return { sql: 'f.customer_id = ?', params: [scope.customerId] };
  if ('allTeams' in scope) return { sql: 'f.owner_queue_id IS NOT NULL', params: [] };
  // No queue: an agent qualified for none has an empty team worklist.
  if (scope.ownerQueueIds.length === 0) return { sql: '0', params: [] };
  return {
    sql: `f.owner_queue_id IN (${scope.ownerQueueIds.map(() => '?').join(', ')})`,
    params: [...scope.ownerQueueIds],
  };
}

export function toWork(row: WorkRow, now: string): FollowUpWork {
  const active = row.status === 'open' || row.status === 'in_progress';
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    priority: row.priority,
    title: row.title,
    note: row.note,
    dueAt: row.due_at,
    overdue: active && row.due_at < now,
    customer: { id: row.customer_id, name: row.customer_name },
    owner:
      row.owner_agent_id !== null
        ? { type: 'agent', agentId: row.owner_agent_id, name: row.owner_agent_name ?? '' }
        : row.owner_queue_id !== null
          ? { type: 'queue', queueId: row.owner_queue_id, name: row.owner_queue_name ?? '' }
          : { type: 'none' },
    interactionId: row.interaction_id,
    source: row.source,
    createdBy: row.created_by_name,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    completedAt: row.completed_at,
  };
}

export function createFollowUpsRepository(db: Db) {
  const statements = {
    insert: db.prepare(
      `INSERT INTO follow_ups (kind, customer_id, interaction_id, queue_id, owner_agent_id, owner_queue_id, title,
         priority, due_at, note, source, source_key, created_by, created_at, updated_at)
       VALUES (@kind, @customerId, @interactionId, @queueId, @ownerAgentId, @ownerQueueId, @title, @priority,
         @dueAt, @note, @source, @sourceKey, @createdBy, @now, @now)
       ON CONFLICT (source_key) DO NOTHING`,
    ),
    bySourceKey: db.prepare<[string], { id: number }>('SELECT id FROM follow_ups WHERE source_key = ?'),
    // The customer's latest call that reached a queue: one step down interactions_customer_timeline.
    lastQueue: db.prepare<[number], { queue_id: number }>(
      `SELECT queue_id FROM interactions WHERE customer_id = ? AND queue_id IS NOT NULL
       ORDER BY arrived_at DESC LIMIT 1`,
    ),
    work: db.prepare<[number], WorkRow>(`${SELECT_WORK} WHERE f.id = ?`),
    record: db.prepare<[number], FollowUpRecord>(
      `SELECT id, kind, status, customer_id AS customerId, owner_agent_id AS ownerAgentId,
              owner_queue_id AS ownerQueueId
       FROM follow_ups WHERE id = ?`,
    ),
    // Reopening starts its reminders over: it is work again, perhaps already overdue.
    transition: db.prepare<{ id: number; from: FollowUpStatus; to: FollowUpStatus; now: string }>(
      `UPDATE follow_ups SET status = @to, updated_at = @now,
         completed_at = CASE WHEN @to = 'done' THEN @now ELSE NULL END,
         due_reminded_at = CASE WHEN @to = 'open' AND @from IN ('done', 'cancelled') THEN NULL ELSE due_reminded_at END,
         overdue_reminded_at = CASE WHEN @to = 'open' AND @from IN ('done', 'cancelled') THEN NULL ELSE overdue_reminded_at END
       WHERE id = @id AND status = @from`,
    ),
    // A new owner has not been reminded yet.
    reassign: db.prepare<{
      id: number;
      ownerAgentId: number | null;
      ownerQueueId: number | null;
      now: string;
    }>(
      `UPDATE follow_ups SET owner_agent_id = @ownerAgentId, owner_queue_id = @ownerQueueId, updated_at = @now,
         due_reminded_at = NULL, overdue_reminded_at = NULL
       WHERE id = @id`,
    ),
    toRemind: db.prepare<{ now: string; dueFrom: string; limit: number }, { id: number; due_at: string }>(
      `SELECT id, due_at FROM follow_ups f
       WHERE ${ACTIVE} AND kind <> 'callback'
         AND (due_reminded_at IS NULL OR overdue_reminded_at IS NULL)
         AND ((overdue_reminded_at IS NULL AND due_at <= @now) OR (due_reminded_at IS NULL AND due_at <= @dueFrom))
       ORDER BY due_at LIMIT @limit`,
    ),
    // Long overdue and never reminded (a server down for days, imported or seeded work): marked as
    // reminded without a push, or the first sweep would bury the owner in stale reminders.
    settleStale: db.prepare<{ now: string; staleBefore: string }>(
      `UPDATE follow_ups SET overdue_reminded_at = @now, due_reminded_at = coalesce(due_reminded_at, @now)
       WHERE status IN ('open', 'in_progress') AND overdue_reminded_at IS NULL AND due_at < @staleBefore`,
    ),
    claimDue: db.prepare<{ id: number; now: string }>(
      'UPDATE follow_ups SET due_reminded_at = @now WHERE id = @id AND due_reminded_at IS NULL',
    ),
    // An overdue reminder also stands for the due one: nobody needs both at once.
    claimOverdue: db.prepare<{ id: number; now: string }>(
      `UPDATE follow_ups SET overdue_reminded_at = @now, due_reminded_at = coalesce(due_reminded_at, @now)
       WHERE id = @id AND overdue_reminded_at IS NULL`,
    ),
  };

  return {
    /** Runs `work` in one transaction: a change and the events it publishes commit together. */
    inTransaction: <T>(work: () => T): T => db.transaction(work)(),
    /** The new id, or null when a follow-up with the same `sourceKey` exists. */
    insert(followUp: NewFollowUp, now: string): number | null {
      const result = statements.insert.run({ ...followUp, now });
      return result.changes === 1 ? Number(result.lastInsertRowid) : null;
    },
    /** The call queue of the customer's latest queued call: whose team knows them best. */
    lastQueueOf: (customerId: number): number | null =>
      statements.lastQueue.get(customerId)?.queue_id ?? null,
    idBySourceKey: (sourceKey: string): number | null => statements.bySourceKey.get(sourceKey)?.id ?? null,
    getWork(id: number, now: string): FollowUpWork | null {
      const row = statements.work.get(id);
      return row ? toWork(row, now) : null;
    },
    getRecord: (id: number): FollowUpRecord | null => statements.record.get(id) ?? null,

    list(
      scope: FollowUpScope,
      filter: WorklistFilter,
      page: { limit: number; offset: number },
      now: string,
    ): { items: FollowUpWork[]; total: number } {
      const parts: { sql: string; params: (string | number)[] }[] = [scopeSql(scope)];
      // Without a status a worklist is what is still to do; a customer's list is their whole history.
      if (filter.status) parts.push({ sql: 'f.status = ?', params: [filter.status] });
      else if (!('customerId' in scope)) parts.push({ sql: ACTIVE, params: [] });
      if (filter.kind) parts.push({ sql: 'f.kind = ?', params: [filter.kind] });
      if (filter.overdue) parts.push({ sql: `${ACTIVE} AND f.due_at < ?`, params: [now] });
      const params = parts.flatMap((part) => part.params);
      const clause = parts.map((part) => `(${part.sql})`).join(' AND ');
      const total = db
        .prepare<(string | number)[], { n: number }>(`SELECT count(*) AS n FROM follow_ups f WHERE ${clause}`)
        .get(...params)!.n;
      // Overdue and urgent first: the worklist is read top down.
      const items = db
        .prepare<(string | number)[], WorkRow>(
          `${SELECT_WORK} WHERE ${clause}
           ORDER BY f.due_at, CASE f.priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END, f.id
           LIMIT ? OFFSET ?`,
        )
        .all(...params, page.limit, page.offset)
        .map((row) => toWork(row, now));
      return { items, total };
    },

    counts(scope: FollowUpScope, now: string, todayEndsAt: string) {
      const { sql, params } = scopeSql(scope);
      const row = db
        .prepare<(string | number)[], { open: number; dueToday: number | null; overdue: number | null }>(
          `SELECT count(*) AS open, sum(f.due_at >= ? AND f.due_at < ?) AS dueToday, sum(f.due_at < ?) AS overdue
           FROM follow_ups f WHERE (${sql}) AND ${ACTIVE}`,
        )
        .get(now, todayEndsAt, now, ...params)!;
      return { open: row.open, dueToday: row.dueToday ?? 0, overdue: row.overdue ?? 0 };
    },

    /** False when the status was no longer `from` (another request moved it first). */
    transition: (id: number, from: FollowUpStatus, to: FollowUpStatus, now: string): boolean =>
      statements.transition.run({ id, from, to, now }).changes === 1,

    reassign(id: number, owner: { ownerAgentId: number | null; ownerQueueId: number | null }, now: string) {
      statements.reassign.run({ id, ...owner, now });
    },

    /**
     * Follow-ups with a reminder to send: due within `leadMs` or overdue, not reminded yet. Those
     * overdue by more than `staleMs` are settled without one first.
     */
    toRemind(
      now: Date,
      leadMs: number,
      staleMs: number,
      limit: number,
    ): { id: number; reminder: ReminderKind }[] {
      const nowIso = now.toISOString();
      statements.settleStale.run({
        now: nowIso,
        staleBefore: new Date(now.getTime() - staleMs).toISOString(),
      });
      return statements.toRemind
        .all({ now: nowIso, dueFrom: new Date(now.getTime() + leadMs).toISOString(), limit })
        .map((row) => ({ id: row.id, reminder: row.due_at <= nowIso ? 'overdue' : 'due' }));
    },

    /**
     * Marks the reminder sent, atomically: of several server processes sweeping at once, exactly one
     * gets true (SQLite serialises the writes; the second finds the column already set).
     */
    claimReminder(id: number, reminder: ReminderKind, now: string): boolean {
      const statement = reminder === 'due' ? statements.claimDue : statements.claimOverdue;
      return statement.run({ id, now }).changes === 1;
    },
  };
}

export type FollowUpsRepository = ReturnType<typeof createFollowUpsRepository>;
