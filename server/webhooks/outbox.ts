import type { Db } from '../../db/connection.js';
import type { Clock } from '../clock.js';
import { customerOfEvent, type WebhookEvent } from './webhook-events.schemas.js';

/**
 * The port domains publish their events through. `publish` writes to SQLite synchronously on the
 * caller's connection, so called inside the caller's `db.transaction` it commits or rolls back with
 * the change it reports: a crash loses neither alone.
 */
export interface DomainEvents {
  /**
   * Records the event for every webhook subscription that wants it; nothing when none does.
   * `dedupeKey`: a second event with the same key is dropped (a source that may report a fact twice).
   */
  publish(event: WebhookEvent, options?: { dedupeKey?: string }): void;
}

export interface Outbox extends DomainEvents {
  /** Calls `listener` after each event written; the delivery side wakes up on it. */
  onPublished(listener: () => void): void;
}

export function createOutbox(db: Db, clock: Clock): Outbox {
  const wanted = db.prepare<[string], { found: number }>(
    `SELECT 1 AS found FROM webhook_subscriptions s, json_each(s.events) e
     WHERE s.active = 1 AND e.value = ? LIMIT 1`,
  );
  const insert = db.prepare<[string, number | null, string | null, string, string]>(
    `INSERT INTO webhook_events (type, customer_id, dedupe_key, data, occurred_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (dedupe_key) DO NOTHING`,
  );
  const listeners = new Set<() => void>();
  return {
    publish(event, options = {}) {
      // An event nobody subscribed to is not kept: a subscription hears what happens from its creation on.
      if (!wanted.get(event.type)) return;
      const { changes } = insert.run(
        event.type,
        customerOfEvent(event),
        options.dedupeKey ?? null,
        JSON.stringify(event.data),
        clock.now().toISOString(),
      );
      if (changes === 1) for (const listener of listeners) listener();
    },
    onPublished(listener) {
      listeners.add(listener);
    },
  };
}
