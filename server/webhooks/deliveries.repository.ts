import type { Db } from '../../db/connection.js';
import type { WebhookDeliveryStatus, WebhookEventType } from '../../contracts/webhook-events.js';

/** The delivery at the front of its chain, due at `nextAttemptAt` (null: now). */
export interface ChainHead {
  id: number;
  attempts: number;
  nextAttemptAt: string | null;
  /** A worker is sending it now: nothing to queue. */
  sending: boolean;
}

type HeadRow = { id: number; attempts: number; next_attempt_at: string | null; status: string };

/** Everything one attempt needs: where, with which secret, and the event's body parts. */
export interface DeliveryToSend {
  id: number;
  subscriptionId: number;
  chain: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  url: string;
  secret: string;
  active: boolean;
  eventId: number;
  type: WebhookEventType;
  occurredAt: string;
  data: string;
}

/** What one attempt left: the new status and what the receiver answered. */
export interface AttemptOutcome {
  status: WebhookDeliveryStatus;
  responseCode: number | null;
  durationMs: number;
  lastError: string | null;
  nextAttemptAt: string | null;
}

const OPEN = "status IN ('pending', 'sending', 'retrying')";

/** The chain of an event's deliveries: a customer's events one after another, any other event alone. */
const chainOf = (eventId: number, customerId: number | null) =>
  customerId === null ? `event:${eventId}` : `customer:${customerId}`;

/**
 * The outbox's way out: fans events out to deliveries and keeps each delivery's state. Deliveries
 * of one subscription and chain are sent one at a time, lowest id first (see {@link head}).
 */
export function createDeliveriesRepository(db: Db) {
  const statements = {
    undispatched: db.prepare<[number], { id: number; type: string; customer_id: number | null }>(
      'SELECT id, type, customer_id FROM webhook_events WHERE dispatched_at IS NULL ORDER BY id LIMIT ?',
    ),
    subscribers: db.prepare<[], { id: number; events: string }>(
      'SELECT id, events FROM webhook_subscriptions WHERE active = 1',
    ),
    insert: db.prepare<[number, number, string, string, string]>(
      `INSERT INTO webhook_deliveries (subscription_id, event_id, chain, status, created_at, updated_at)
       VALUES (?, ?, ?, 'pending', ?, ?)`,
    ),
    markDispatched: db.prepare<[string, number]>(
      'UPDATE webhook_events SET dispatched_at = ? WHERE id <= ? AND dispatched_at IS NULL',
    ),
    head: db.prepare<[number, string], HeadRow>(
      `SELECT d.id, d.attempts, d.next_attempt_at, d.status FROM webhook_deliveries d
       JOIN webhook_subscriptions s ON s.id = d.subscription_id AND s.active = 1
       WHERE d.subscription_id = ? AND d.chain = ? AND d.${OPEN} ORDER BY d.id LIMIT 1`,
    ),
    heads: db.prepare<[], HeadRow>(
      `SELECT d.id, d.attempts, d.next_attempt_at, d.status FROM webhook_deliveries d
       JOIN webhook_subscriptions s ON s.id = d.subscription_id AND s.active = 1
       WHERE d.id IN (SELECT min(id) FROM webhook_deliveries WHERE ${OPEN} GROUP BY subscription_id, chain)`,
    ),
    headsOf: db.prepare<[number], { chain: string }>(
      `SELECT DISTINCT chain FROM webhook_deliveries WHERE subscription_id = ? AND ${OPEN}`,
    ),
    earlierOpen: db.prepare<[number, string, number], { found: number }>(
      `SELECT 1 AS found FROM webhook_deliveries WHERE subscription_id = ? AND chain = ? AND id < ? AND ${OPEN} LIMIT 1`,
    ),
    toSend: db.prepare<
      [number],
      Omit<DeliveryToSend, 'active' | 'subscriptionId' | 'eventId' | 'occurredAt'> & {
        active: number;
        subscription_id: number;
        event_id: number;
        occurred_at: string;
      }
    >(
      `SELECT d.id, d.subscription_id, d.chain, d.status, d.attempts, s.url, s.secret, s.active,
              e.id AS event_id, e.type, e.occurred_at, e.data
       FROM webhook_deliveries d
       JOIN webhook_subscriptions s ON s.id = d.subscription_id
       JOIN webhook_events e ON e.id = d.event_id
       WHERE d.id = ?`,
    ),
    record: db.prepare(
      `UPDATE webhook_deliveries SET status = @status, attempts = attempts + 1, response_code = @responseCode,
         duration_ms = @durationMs, last_error = @lastError, next_attempt_at = @nextAttemptAt, updated_at = @now
       WHERE id = @id AND attempts = @attempts AND status = 'sending'`,
    ),
    claim: db.prepare<{ id: number; attempts: number; now: string }>(
      `UPDATE webhook_deliveries SET status = 'sending', updated_at = @now
       WHERE id = @id AND attempts = @attempts AND status IN ('pending', 'retrying')`,
    ),
    releaseStale: db.prepare<[string]>(
      "UPDATE webhook_deliveries SET status = 'retrying', next_attempt_at = NULL WHERE status = 'sending' AND updated_at < ?",
    ),
    replay: db.prepare<{ id: number; now: string }>(
      `INSERT INTO webhook_deliveries (subscription_id, event_id, chain, status, replay_of, created_at, updated_at)
       SELECT subscription_id, event_id, chain, 'pending', id, @now, @now FROM webhook_deliveries WHERE id = @id`,
    ),
  };

  const toHead = (row: HeadRow): ChainHead => ({
    id: row.id,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    sending: row.status === 'sending',
  });

  return {
    /**
     * Turns up to `limit` undispatched events into one pending delivery per active subscription
     * that wants each, in one write transaction (two processes dispatching at once share the work).
     * Returns the new deliveries that head their chain, to send now, and whether events remain.
     */
    dispatch(now: string, limit: number): { heads: ChainHead[]; more: boolean } {
      return db
        .transaction(() => {
          const events = statements.undispatched.all(limit);
          if (events.length === 0) return { heads: [], more: false };
          const subscribers = statements.subscribers
            .all()
            .map((s) => ({ id: s.id, events: new Set(JSON.parse(s.events) as string[]) }));
          const heads: ChainHead[] = [];
          for (const event of events) {
            const chain = chainOf(event.id, event.customer_id);
            for (const subscriber of subscribers) {
              if (!subscriber.events.has(event.type)) continue;
              const id = Number(
                statements.insert.run(subscriber.id, event.id, chain, now, now).lastInsertRowid,
              );
              if (!statements.earlierOpen.get(subscriber.id, chain, id)) {
                heads.push({ id, attempts: 0, nextAttemptAt: null, sending: false });
              }
            }
          }
          statements.markDispatched.run(now, events.at(-1)!.id);
          return { heads, more: events.length === limit };
        })
        .immediate();
    },

    /** The open delivery at the front of the chain, or null (none, or the subscription is disabled). */
    head(subscriptionId: number, chain: string): ChainHead | null {
      const row = statements.head.get(subscriptionId, chain);
      return row ? toHead(row) : null;
    },

    /** The front of every open chain of active subscriptions: what should be queued. */
    heads: (): ChainHead[] => statements.heads.all().map(toHead),

    /** The chains of a subscription with deliveries still open. */
    openChainsOf: (subscriptionId: number): string[] =>
      statements.headsOf.all(subscriptionId).map((row) => row.chain),

    /** Whether an earlier delivery of the same chain is still open (this one must wait for it). */
    waitsForEarlier: (delivery: Pick<DeliveryToSend, 'id' | 'subscriptionId' | 'chain'>): boolean =>
      statements.earlierOpen.get(delivery.subscriptionId, delivery.chain, delivery.id) !== undefined,

    toSend(id: number): DeliveryToSend | null {
      const row = statements.toSend.get(id);
      if (!row) return null;
      return {
        id: row.id,
        subscriptionId: row.subscription_id,
        chain: row.chain,
        status: row.status,
        attempts: row.attempts,
        url: row.url,
        secret: row.secret,
        active: row.active === 1,
        eventId: row.event_id,
        type: row.type,
        occurredAt: row.occurred_at,
        data: row.data,
      };
    },

    /**
     * Claims attempt number `attempts + 1` for this worker; false when another worker has it or it
     * was made already (a duplicate job), which must then not send.
     */
    claim: (id: number, attempts: number, now: string): boolean =>
      statements.claim.run({ id, attempts, now }).changes === 1,

    /** Gives back deliveries claimed before `before` by a worker that died mid-attempt. */
    releaseStale: (before: string): number => statements.releaseStale.run(before).changes,

    /** Records the claimed attempt number `attempts + 1`; false when the claim was lost meanwhile. */
    record(id: number, attempts: number, outcome: AttemptOutcome, now: string): boolean {
      return statements.record.run({ ...outcome, id, attempts, now }).changes === 1;
    },

    /** A new pending delivery of the same event to the same subscription, at the end of its chain. */
    replay(id: number, now: string): number | null {
      const { changes, lastInsertRowid } = statements.replay.run({ id, now });
      return changes === 1 ? Number(lastInsertRowid) : null;
    },
  };
}

export type DeliveriesRepository = ReturnType<typeof createDeliveriesRepository>;
