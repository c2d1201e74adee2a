import type { Db } from '../../db/connection.js';
import type { ChurnRisk } from '../../contracts/lifecycle.js';
import type {
  CustomerEmail,
  CustomerNote,
  CustomerProfile,
  CustomerSummary,
  FollowUp,
  LifecycleStage,
  Tier,
} from './customers.schemas.js';
import { displayPhone, phoneSearchDigits } from './phone.js';
import { searchSql, type SearchPlan } from './search-sql.js';

export type { SearchPlan } from './search-sql.js';

export interface NewCustomer {
  name: string;
  company: string | null;
  tier: Tier;
  lifecycleStage: LifecycleStage;
  language: string;
  tags: string[];
  attributes: Record<string, unknown>;
  phones: { e164: string; label: string }[];
  emails: { email: string; label: string }[];
}

export type CustomerPatch = Partial<Omit<NewCustomer, 'phones' | 'emails'> & { doNotCall: boolean }>;

interface ProfileRow {
  id: number;
  name: string;
  company: string | null;
  tier: Tier;
  lifecycle_stage: LifecycleStage;
  language: string;
  tags: string;
  attributes: string;
  do_not_call: number;
  created_at: string;
  updated_at: string;
  erased_at: string | null;
  merged_into: number | null;
  churn_score: number | null;
  churn_reasons: string | null;
  churn_evaluated_at: string | null;
}

interface SummaryRow {
  id: number;
  name: string;
  company: string | null;
  tier: Tier;
  lifecycle_stage: LifecycleStage;
  phones: string;
  emails: string;
}

const SUMMARY_COLUMNS = `c.id, c.name, c.company, c.tier, c.lifecycle_stage,
  (SELECT json_group_array(e164) FROM (SELECT e164 FROM customer_phones WHERE customer_id = c.id ORDER BY id)) AS phones,
  (SELECT json_group_array(email) FROM (SELECT email FROM customer_emails WHERE customer_id = c.id ORDER BY id)) AS emails`;

const COLUMN_OF_CUSTOMER_PATCH: Record<keyof CustomerPatch, string> = {
  name: 'name',
  company: 'company',
  tier: 'tier',
  lifecycleStage: 'lifecycle_stage',
  language: 'language',
  tags: 'tags',
  attributes: 'attributes',
  doNotCall: 'do_not_call',
};

/** A callback or task written by the call path (server/customers/customers.service.ts `scheduleCallback`). */
export interface NewCustomerFollowUp {
  kind: FollowUp['kind'];
  customerId: number;
  interactionId: number | null;
  queueId: number | null;
  ownerAgentId: number | null;
  /** The team that owns it when no agent does. */
  ownerQueueId: number | null;
  dueAt: string;
  note: string | null;
  source: 'manual' | 'wrap_up';
  /** Makes the write idempotent: one follow-up per key. Null: no key. */
  sourceKey: string | null;
}

export function createCustomersRepository(db: Db) {
  const statements = {
    setTier: db.prepare<[Tier, string, number, Tier]>(
      'UPDATE customers SET tier = ?, updated_at = ? WHERE id = ? AND tier <> ? AND erased_at IS NULL',
    ),
    // The churn-risk score rides along by primary key: the screen pop stays one indexed read.
    profile: db.prepare<[number], ProfileRow>(
      `SELECT c.*, l.churn_score, l.churn_reasons, l.evaluated_at AS churn_evaluated_at
       FROM customers c LEFT JOIN customer_lifecycle l ON l.customer_id = c.id WHERE c.id = ?`,
    ),
    phones: db.prepare<[number], { id: number; e164: string; label: string }>(
      'SELECT id, e164, label FROM customer_phones WHERE customer_id = ? ORDER BY id',
    ),
    emails: db.prepare<[number], CustomerEmail>(
      'SELECT id, email, label FROM customer_emails WHERE customer_id = ? ORDER BY id',
    ),
    phoneOwner: db.prepare<[string], { customer_id: number }>(
      'SELECT customer_id FROM customer_phones WHERE e164 = ?',
    ),
    emailOwner: db.prepare<[string], { customer_id: number }>(
      'SELECT customer_id FROM customer_emails WHERE email = ?',
    ),
    openFollowUps: db.prepare<[number], Omit<FollowUp, 'status'> & { status: FollowUp['status'] }>(
      `SELECT f.id, f.kind, f.title, f.priority, f.due_at AS dueAt, f.status, f.note, a.display_name AS ownerName,
              coalesce(oq.name, q.name) AS queueName, f.interaction_id AS interactionId
       FROM follow_ups f
       LEFT JOIN agents a ON a.id = f.owner_agent_id
       LEFT JOIN call_queues q ON q.id = f.queue_id
       LEFT JOIN call_queues oq ON oq.id = f.owner_queue_id
       WHERE f.customer_id = ? AND f.status IN ('open', 'in_progress')
       ORDER BY f.due_at`,
    ),
    notes: db.prepare<[number, number], CustomerNote>(
      `SELECT n.id, n.body, a.display_name AS authorName, n.created_at AS createdAt
       FROM customer_notes n LEFT JOIN agents a ON a.id = n.author_agent_id
       WHERE n.customer_id = ? ORDER BY n.created_at DESC, n.id DESC LIMIT ?`,
    ),
    stats: db.prepare<
      [number],
      {
        interactions: number;
        answered: number | null;
        abandoned: number | null;
        lastContactAt: string | null;
      }
    >(
      `SELECT count(*) AS interactions,
              sum(outcome IN ('answered', 'transferred')) AS answered,
              sum(outcome = 'abandoned') AS abandoned,
              max(arrived_at) AS lastContactAt
       FROM interactions WHERE customer_id = ?`,
    ),
    // The survey's own index (customer_id, ended_at): one row, newest first.
    lastSurvey: db.prepare<[number], { score: number; at: string }>(
      `SELECT score, ended_at AS at FROM interaction_surveys
        WHERE customer_id = ? AND score IS NOT NULL ORDER BY ended_at DESC LIMIT 1`,
    ),
    insertCustomer: db.prepare(
      `INSERT INTO customers (name, company, tier, lifecycle_stage, language, tags, attributes, created_at, updated_at)
       VALUES (@name, @company, @tier, @lifecycleStage, @language, @tags, @attributes, @now, @now)`,
    ),
    insertPhone: db.prepare(
      'INSERT INTO customer_phones (customer_id, e164, label, created_at) VALUES (?, ?, ?, ?)',
    ),
    insertEmail: db.prepare(
      'INSERT INTO customer_emails (customer_id, email, label, created_at) VALUES (?, ?, ?, ?)',
    ),
    insertNote: db.prepare(
      'INSERT INTO customer_notes (customer_id, author_agent_id, body, created_at) VALUES (?, ?, ?, ?)',
    ),
    insertFollowUp: db.prepare(
      // A key already used means this follow-up exists (a retried wrap-up, a repeated webhook): no second one.
      `INSERT INTO follow_ups (kind, customer_id, interaction_id, queue_id, owner_agent_id, owner_queue_id, due_at,
         note, source, source_key, created_by, created_at, updated_at)
       VALUES (@kind, @customerId, @interactionId, @queueId, @ownerAgentId, @ownerQueueId, @dueAt, @note,
         @source, @sourceKey, @ownerAgentId, @now, @now)
       ON CONFLICT (source_key) DO NOTHING`,
    ),
    followUpBySourceKey: db.prepare<[string], { id: number }>(
      'SELECT id FROM follow_ups WHERE source_key = ?',
    ),
    unindex: db.prepare('DELETE FROM customer_search WHERE rowid = ?'),
    index: db.prepare(
      'INSERT INTO customer_search (rowid, name, company, emails, phones) VALUES (?, ?, ?, ?, ?)',
    ),
  };

  function toSummary(row: SummaryRow): CustomerSummary {
    return {
      id: row.id,
      name: row.name,
      company: row.company,
      tier: row.tier,
      lifecycleStage: row.lifecycle_stage,
      phones: JSON.parse(row.phones) as string[],
      emails: JSON.parse(row.emails) as string[],
    };
  }

  function reindex(id: number): void {
    statements.unindex.run(id);
    const profile = statements.profile.get(id);
    if (!profile || profile.erased_at || profile.merged_into !== null) return;
    const phones = statements.phones.all(id).map((phone) => phoneSearchDigits(phone.e164));
    const emails = statements.emails.all(id).map((email) => email.email);
    statements.index.run(id, profile.name, profile.company ?? '', emails.join(' '), phones.join(' '));
  }

  return {
    search(plan: SearchPlan, limit: number, offset: number): CustomerSummary[] {
      const { from, order, params } = searchSql(plan);
      return db
        .prepare<(string | number)[], SummaryRow>(
          `SELECT ${SUMMARY_COLUMNS} ${from} ORDER BY ${order} LIMIT ? OFFSET ?`,
        )
        .all(...params, limit, offset)
        .map(toSummary);
    },

    /** The summaries of these customers, in the order given (unknown ids left out). */
    summariesOf(ids: readonly number[]): CustomerSummary[] {
      if (ids.length === 0) return [];
      const rows = db
        .prepare<[string], SummaryRow>(
          `SELECT ${SUMMARY_COLUMNS} FROM customers c WHERE c.id IN (SELECT value FROM json_each(?))`,
        )
        .all(JSON.stringify(ids));
      const byId = new Map(rows.map((row) => [row.id, toSummary(row)]));
      return ids.flatMap((id) => byId.get(id) ?? []);
    },

    findIdByPhone(e164: string): number | null {
      return statements.phoneOwner.get(e164)?.customer_id ?? null;
    },

    findIdByAccountNumber(accountNumber: string): number | null {
      return (
        db
          .prepare<[string], { id: number }>(
            `SELECT id FROM customers
             WHERE json_extract(attributes, '$.accountNumber') = ? AND json_extract(attributes, '$.accountNumber') IS NOT NULL
               AND erased_at IS NULL AND merged_into IS NULL`,
          )
          .get(accountNumber)?.id ?? null
      );
    },

    /** The survivor a merged customer was merged into (server/customer-merge); null for any other. */
    mergedInto: (id: number): number | null => statements.profile.get(id)?.merged_into ?? null,

    /** Refreshes one customer's search entry after their rows changed outside this repository (a merge). */
    reindex,

    findIdByEmail(email: string): number | null {
      return statements.emailOwner.get(email)?.customer_id ?? null;
    },

    getProfile(id: number): CustomerProfile | null {
      const row = statements.profile.get(id);
      if (!row) return null;
      return {
        id: row.id,
        name: row.name,
        company: row.company,
        tier: row.tier,
        lifecycleStage: row.lifecycle_stage,
        language: row.language,
        tags: JSON.parse(row.tags) as string[],
        attributes: JSON.parse(row.attributes) as Record<string, unknown>,
        doNotCall: row.do_not_call === 1,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
        erased: row.erased_at !== null,
        churn:
          row.churn_score === null || row.churn_evaluated_at === null
            ? null
            : {
                score: row.churn_score,
                reasons: JSON.parse(row.churn_reasons ?? '[]') as ChurnRisk['reasons'],
                evaluatedAt: row.churn_evaluated_at,
              },
      };
    },

    getPhones: (id: number) =>
      statements.phones.all(id).map((phone) => ({ ...phone, display: displayPhone(phone.e164) })),
    getEmails: (id: number) => statements.emails.all(id),
    getOpenFollowUps: (id: number): FollowUp[] => statements.openFollowUps.all(id),
    getNotes: (id: number, limit: number) => statements.notes.all(id, limit),
    getStats(id: number) {
      const row = statements.stats.get(id);
      const survey = statements.lastSurvey.get(id);
      return {
        interactions: row?.interactions ?? 0,
        answered: row?.answered ?? 0,
        abandoned: row?.abandoned ?? 0,
        lastContactAt: row?.lastContactAt ?? null,
        lastSurveyScore: survey?.score ?? null,
        lastSurveyAt: survey?.at ?? null,
      };
    },

    /** The customer's most recent post-call survey score, or null. */
    lastSurvey(id: number): { score: number; at: string } | null {
      return statements.lastSurvey.get(id) ?? null;
    },

    /**
     * Runs `work` in one transaction (a savepoint inside another): a service writes its change and
     * the events it publishes together.
     */
    inTransaction: <T>(work: () => T): T => db.transaction(work)(),

    /** Inserts the customer with phones and emails; the caller checks uniqueness first. */
    create(customer: NewCustomer, now: string): number {
      return db.transaction(() => {
        const id = Number(
          statements.insertCustomer.run({
            ...customer,
            tags: JSON.stringify(customer.tags),
            attributes: JSON.stringify(customer.attributes),
            now,
          }).lastInsertRowid,
        );
        for (const phone of customer.phones) statements.insertPhone.run(id, phone.e164, phone.label, now);
        for (const email of customer.emails) statements.insertEmail.run(id, email.email, email.label, now);
        reindex(id);
        return id;
      })();
    },

    update(id: number, patch: CustomerPatch, now: string): void {
      const entries = Object.entries(patch).filter(([, value]) => value !== undefined) as [
        keyof CustomerPatch,
        unknown,
      ][];
      const assignments = entries.map(([key]) => `${COLUMN_OF_CUSTOMER_PATCH[key]} = ?`);
      const values = entries.map(([key, value]) => {
        if (key === 'tags' || key === 'attributes') return JSON.stringify(value);
        if (key === 'doNotCall') return value ? 1 : 0;
        return value as string | null;
      });
      db.transaction(() => {
        db.prepare(`UPDATE customers SET ${[...assignments, 'updated_at = ?'].join(', ')} WHERE id = ?`).run(
          ...values,
          now,
          id,
        );
        reindex(id);
      })();
    },

    addPhone(id: number, e164: string, label: string, now: string): void {
      db.transaction(() => {
        statements.insertPhone.run(id, e164, label, now);
        db.prepare('UPDATE customers SET updated_at = ? WHERE id = ?').run(now, id);
        reindex(id);
      })();
    },

    addNote(id: number, authorAgentId: number, body: string, now: string): void {
      statements.insertNote.run(id, authorAgentId, body, now);
    },

    /**
     * Marks an open or started follow-up done and returns whose it is; a done or cancelled one is left
     * as it is (null).
     */
    completeFollowUp(id: number, now: string): { customerId: number; kind: FollowUp['kind'] } | null {
      return (
        db
          .prepare<[string, string, number], { customerId: number; kind: FollowUp['kind'] }>(
            `UPDATE follow_ups SET status = 'done', completed_at = ?, updated_at = ?
             WHERE id = ? AND status IN ('open', 'in_progress')
             RETURNING customer_id AS customerId, kind`,
          )
          .get(now, now, id) ?? null
      );
    },

    /** A follow-up's status, or null when it does not exist. */
    followUpStatus: (id: number): FollowUp['status'] | null =>
      db
        .prepare<[number], { status: FollowUp['status'] }>('SELECT status FROM follow_ups WHERE id = ?')
        .get(id)?.status ?? null,

    /**
     * Writes a callback or task follow-up as given. With a `sourceKey` already used, writes nothing
     * and returns the existing follow-up's id with `created: false`.
     */
    createFollowUp(followUp: NewCustomerFollowUp, now: string): { id: number; created: boolean } {
      const result = statements.insertFollowUp.run({ ...followUp, now });
      if (result.changes === 1) return { id: Number(result.lastInsertRowid), created: true };
      const existing =
        followUp.sourceKey === null ? undefined : statements.followUpBySourceKey.get(followUp.sourceKey);
      if (!existing) throw new Error('createFollowUp: nothing written and no follow-up with its key');
      return { id: existing.id, created: false };
    },

    /**
     * Writes each customer's tier in force (computed by the value model, or overridden) where it
     * differs; erased customers keep theirs. Returns how many changed. The tier is not in the search
     * index, so nothing is reindexed.
     */
    setTiers: db.transaction((tiers: readonly { customerId: number; tier: Tier }[], now: string): number => {
      let changed = 0;
      for (const { customerId, tier } of tiers)
        changed += statements.setTier.run(tier, now, customerId, tier).changes;
      return changed;
    }),

    /** Rebuilds the whole search index, e.g. after a bulk import that wrote the tables directly. */
    reindexAll(): number {
      return db.transaction(() => {
        db.exec('DELETE FROM customer_search');
        const ids = db
          .prepare<[], { id: number }>('SELECT id FROM customers WHERE erased_at IS NULL ORDER BY id')
          .all();
        for (const { id } of ids) reindex(id);
        return ids.length;
      })();
    },
  };
}

export type CustomersRepository = ReturnType<typeof createCustomersRepository>;
