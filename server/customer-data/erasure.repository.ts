import type { Db } from '../../db/connection.js';
import type { DomainEvents } from '../webhooks/index.js';

/** What stands for an erased customer's name: the row stays, so history keeps its shape. */
export const ERASED_NAME = '[erased]';

/** Keys of timeline data that hold what a caller said or where they were reached (retention clears them too). */
export const PERSONAL_KEYS = new Set([
  'phoneNumber',
  'callerNumber',
  'from',
  'digits',
  'answers',
  'note',
  'notes',
  'name',
  'email',
  'transcript',
  'summary',
]);

/** Tells whether a text names the person: their name, an address, or one of their numbers in any form. */
export type Identifies = (text: string) => boolean;

/** The event's data without personal keys and without any text that identifies the person. */
function scrubbed(value: unknown, identifies: Identifies): unknown {
  if (typeof value === 'string') return identifies(value) ? undefined : value;
  if (Array.isArray(value)) return value.map((item) => scrubbed(item, identifies) ?? null);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !PERSONAL_KEYS.has(key))
      .map(([key, item]) => [key, scrubbed(item, identifies)] as const)
      .filter(([, item]) => item !== undefined),
  );
}

export interface ErasedCounts {
  phones: number;
  emails: number;
  notes: number;
  interactions: number;
  recordings: number;
}

/** The SQL of an erasure, in one transaction; and the recordings it leaves to delete at the provider. */
export function createErasureRepository(db: Db, events?: DomainEvents) {
  const statements = {
    identity: db.prepare<[number], { name: string; erased_at: string | null }>(
      'SELECT name, erased_at FROM customers WHERE id = ?',
    ),
    phones: db.prepare<[number], string>('SELECT e164 FROM customer_phones WHERE customer_id = ?').pluck(),
    emails: db.prepare<[number], string>('SELECT email FROM customer_emails WHERE customer_id = ?').pluck(),
    recordingRefs: db
      .prepare<[number], string>(
        'SELECT DISTINCT recording_ref FROM interactions WHERE customer_id = ? AND recording_ref IS NOT NULL',
      )
      .pluck(),
    anonymise: db.prepare<[string, string, string, number]>(
      `UPDATE customers SET name = ?, company = NULL, tags = '[]', attributes = '{}', do_not_call = 1,
         erased_at = ?, updated_at = ? WHERE id = ? AND erased_at IS NULL`,
    ),
    deletePhones: db.prepare<[number]>('DELETE FROM customer_phones WHERE customer_id = ?'),
    deleteEmails: db.prepare<[number]>('DELETE FROM customer_emails WHERE customer_id = ?'),
    deleteNotes: db.prepare<[number]>('DELETE FROM customer_notes WHERE customer_id = ?'),
    unindex: db.prepare<[number]>('DELETE FROM customer_search WHERE rowid = ?'),
    // Kept for reports (queue, agent, times, outcome, code); what the caller said and the audio go.
    interactions: db.prepare<[number]>(
      `UPDATE interactions SET caller_number = NULL, notes = NULL, ivr_answers = '{}', recording_ref = NULL, handoff_context = NULL
       WHERE customer_id = ?`,
    ),
    // Calls from their numbers before anyone linked them to the customer.
    unlinkedCalls: db.prepare<[string]>(
      'UPDATE interactions SET caller_number = NULL WHERE customer_id IS NULL AND caller_number = ?',
    ),
    events: db.prepare<[number], { id: number; data: string }>(
      `SELECT e.id, e.data FROM interaction_events e JOIN interactions i ON i.id = e.interaction_id
       WHERE i.customer_id = ? AND e.data <> '{}'`,
    ),
    setEventData: db.prepare<[string, number]>('UPDATE interaction_events SET data = ? WHERE id = ?'),
    followUps: db.prepare<[{ now: string; id: number }]>(
      `UPDATE follow_ups SET title = NULL, note = NULL, updated_at = @now,
         status = CASE WHEN status IN ('open', 'in_progress') THEN 'cancelled' ELSE status END,
         completed_at = CASE WHEN status IN ('open', 'in_progress') THEN @now ELSE completed_at END
       WHERE customer_id = @id`,
    ),
    // Amounts stay (value reports); the order number that names the purchase elsewhere does not.
    valueEvents: db.prepare<[number]>(
      "UPDATE customer_value_events SET reference = 'erased:' || id WHERE customer_id = ?",
    ),
    tierOverride: db.prepare<[number]>('DELETE FROM tier_overrides WHERE customer_id = ?'),
    queueDeletion: db.prepare<[string, string]>(
      'INSERT OR IGNORE INTO recording_deletions (recording_ref, requested_at) VALUES (?, ?)',
    ),
    pendingDeletions: db.prepare<[], { ref: string; attempts: number }>(
      'SELECT recording_ref AS ref, attempts FROM recording_deletions WHERE deleted_at IS NULL ORDER BY requested_at',
    ),
    deleted: db.prepare<[string, string]>(
      'UPDATE recording_deletions SET deleted_at = ?, last_error = NULL WHERE recording_ref = ?',
    ),
    failed: db.prepare<[string, string]>(
      'UPDATE recording_deletions SET attempts = attempts + 1, last_error = ? WHERE recording_ref = ?',
    ),
  };

  const eraseInTransaction = db.transaction(
    (
      customerId: number,
      identifies: Identifies,
      now: string,
    ): { counts: ErasedCounts; refs: string[] } | null => {
      const phones = statements.phones.all(customerId);
      const refs = statements.recordingRefs.all(customerId);
      if (statements.anonymise.run(ERASED_NAME, now, now, customerId).changes === 0) return null;
      const counts: ErasedCounts = {
        phones: statements.deletePhones.run(customerId).changes,
        emails: statements.deleteEmails.run(customerId).changes,
        notes: statements.deleteNotes.run(customerId).changes,
        interactions: statements.interactions.run(customerId).changes,
        recordings: refs.length,
      };
      statements.unindex.run(customerId);
      for (const e164 of phones) statements.unlinkedCalls.run(e164);
      for (const event of statements.events.all(customerId)) {
        const data = JSON.stringify(scrubbed(JSON.parse(event.data), identifies));
        if (data !== event.data) statements.setEventData.run(data, event.id);
      }
      statements.followUps.run({ now, id: customerId });
      statements.valueEvents.run(customerId);
      statements.tierOverride.run(customerId);
      for (const ref of refs) statements.queueDeletion.run(ref, now);
      // In the erasure's transaction: subscribers hear of every erasure, and only of one that happened.
      events?.publish({ type: 'customer.erased', data: { customerId } });
      return { counts, refs };
    },
  );

  return {
    /** Who the customer is now, for the confirmation and the scrubbing; null when unknown. */
    identity(customerId: number) {
      const row = statements.identity.get(customerId);
      if (!row) return null;
      return {
        name: row.name,
        erased: row.erased_at !== null,
        phones: statements.phones.all(customerId),
        emails: statements.emails.all(customerId),
      };
    },

    /**
     * Erases the customer in one transaction; null when someone else erased them first. The
     * recordings are queued in `recording_deletions` in the same transaction, so none is forgotten.
     */
    erase(customerId: number, identifies: Identifies, now: string) {
      // Deleted rows are overwritten with zeros, not left in free pages for a file reader to find.
      db.pragma('secure_delete = ON');
      try {
        return eraseInTransaction(customerId, identifies, now);
      } finally {
        db.pragma('secure_delete = OFF');
      }
    },

    /** Recordings still to delete at the provider, oldest request first. */
    pendingDeletions: () => statements.pendingDeletions.all(),
    recordingDeleted: (ref: string, now: string) => void statements.deleted.run(now, ref),
    /** `failure` is the provider's failure kind, never a message that could quote a caller. */
    recordingDeleteFailed: (ref: string, failure: string) => void statements.failed.run(failure, ref),
  };
}

export type ErasureRepository = ReturnType<typeof createErasureRepository>;
