import type { Db } from '../../db/connection.js';
import type { WebhookDeliveryStatus, WebhookEventType } from '../../contracts/webhook-events.js';
import { WEBHOOK_SECRET_PREFIX, type Webhook, type WebhookDelivery } from './webhooks.schemas.js';

interface SubscriptionRow {
  id: number;
  name: string;
  url: string;
  events: string;
  secret: string;
  active: number;
  created_by: number;
  created_by_name: string;
  created_at: string;
  updated_at: string;
  open_deliveries: number;
  failed_deliveries: number;
}

const toWebhook = (row: SubscriptionRow): Webhook => ({
  id: row.id,
  name: row.name,
  url: row.url,
  events: JSON.parse(row.events) as WebhookEventType[],
  active: row.active === 1,
  secretHint: `${WEBHOOK_SECRET_PREFIX}…${row.secret.slice(-4)}`,
  createdById: row.created_by,
  createdByName: row.created_by_name,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  openDeliveries: row.open_deliveries,
  failedDeliveries: row.failed_deliveries,
});

const SELECT_SUBSCRIPTION = `SELECT s.*, a.display_name AS created_by_name,
    (SELECT count(*) FROM webhook_deliveries d WHERE d.subscription_id = s.id AND d.status IN ('pending', 'sending', 'retrying')) AS open_deliveries,
    (SELECT count(*) FROM webhook_deliveries d WHERE d.subscription_id = s.id AND d.status = 'failed') AS failed_deliveries
  FROM webhook_subscriptions s JOIN agents a ON a.id = s.created_by`;

interface DeliveryRow {
  id: number;
  subscription_id: number;
  event_id: number;
  type: WebhookEventType;
  customer_id: number | null;
  occurred_at: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  response_code: number | null;
  duration_ms: number | null;
  last_error: string | null;
  next_attempt_at: string | null;
  replay_of: number | null;
  created_at: string;
  updated_at: string;
}

const toDelivery = (row: DeliveryRow): WebhookDelivery => ({
  id: row.id,
  subscriptionId: row.subscription_id,
  eventId: row.event_id,
  eventType: row.type,
  customerId: row.customer_id,
  occurredAt: row.occurred_at,
  status: row.status,
  attempts: row.attempts,
  responseCode: row.response_code,
  durationMs: row.duration_ms,
  lastError: row.last_error,
  nextAttemptAt: row.next_attempt_at,
  replayOf: row.replay_of,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** Webhook subscriptions and their delivery log, as admins manage and read them. */
export function createWebhooksRepository(db: Db) {
  const statements = {
    list: db.prepare<[], SubscriptionRow>(`${SELECT_SUBSCRIPTION} ORDER BY s.id`),
    byId: db.prepare<[number], SubscriptionRow>(`${SELECT_SUBSCRIPTION} WHERE s.id = ?`),
    insert: db.prepare(
      `INSERT INTO webhook_subscriptions (name, url, events, secret, created_by, created_at, updated_at)
       VALUES (@name, @url, @events, @secret, @createdBy, @now, @now)`,
    ),
    remove: db.prepare<[number]>('DELETE FROM webhook_subscriptions WHERE id = ?'),
    delivery: db.prepare<[number], { id: number; subscription_id: number; chain: string }>(
      'SELECT id, subscription_id, chain FROM webhook_deliveries WHERE id = ?',
    ),
  };
  const deliveryColumns = `d.id, d.subscription_id, d.event_id, e.type, e.customer_id, e.occurred_at, d.status,
    d.attempts, d.response_code, d.duration_ms, d.last_error, d.next_attempt_at, d.replay_of, d.created_at, d.updated_at`;

  return {
    list: (): Webhook[] => statements.list.all().map(toWebhook),
    get(id: number): Webhook | null {
      const row = statements.byId.get(id);
      return row ? toWebhook(row) : null;
    },
    create(fields: {
      name: string;
      url: string;
      events: readonly WebhookEventType[];
      secret: string;
      createdBy: number;
      now: string;
    }): Webhook {
      const { lastInsertRowid } = statements.insert.run({ ...fields, events: JSON.stringify(fields.events) });
      return toWebhook(statements.byId.get(Number(lastInsertRowid))!);
    },
    update(
      id: number,
      patch: { name?: string; url?: string; events?: readonly WebhookEventType[]; active?: boolean },
      now: string,
    ): void {
      const columns: Record<string, string | number> = {};
      if (patch.name !== undefined) columns.name = patch.name;
      if (patch.url !== undefined) columns.url = patch.url;
      if (patch.events !== undefined) columns.events = JSON.stringify(patch.events);
      if (patch.active !== undefined) columns.active = patch.active ? 1 : 0;
      const assignments = [
        ...Object.keys(columns).map((column) => `${column} = @${column}`),
        'updated_at = @now',
      ];
      db.prepare(`UPDATE webhook_subscriptions SET ${assignments.join(', ')} WHERE id = @id`).run({
        ...columns,
        now,
        id,
      });
    },
    /** Deletes the subscription with its delivery log. */
    remove(id: number): void {
      statements.remove.run(id);
    },
    delivery(id: number): { id: number; subscriptionId: number; chain: string } | null {
      const row = statements.delivery.get(id);
      return row ? { id: row.id, subscriptionId: row.subscription_id, chain: row.chain } : null;
    },
    /** A subscription's deliveries, newest first. */
    deliveries(
      subscriptionId: number,
      filter: { status?: WebhookDeliveryStatus },
      page: { limit: number; offset: number },
    ): { items: WebhookDelivery[]; total: number } {
      const where = ['d.subscription_id = @subscriptionId'];
      if (filter.status) where.push('d.status = @status');
      const params = { subscriptionId, status: filter.status ?? null, ...page };
      const items = db
        .prepare<typeof params, DeliveryRow>(
          `SELECT ${deliveryColumns} FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
           WHERE ${where.join(' AND ')} ORDER BY d.id DESC LIMIT @limit OFFSET @offset`,
        )
        .all(params)
        .map(toDelivery);
      const { total } = db
        .prepare<typeof params, { total: number }>(
          `SELECT count(*) AS total FROM webhook_deliveries d WHERE ${where.join(' AND ')}`,
        )
        .get(params)!;
      return { items, total };
    },
    deliveryView(id: number): WebhookDelivery | null {
      const row = db
        .prepare<[number], DeliveryRow>(
          `SELECT ${deliveryColumns} FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id WHERE d.id = ?`,
        )
        .get(id);
      return row ? toDelivery(row) : null;
    },
  };
}

export type WebhooksRepository = ReturnType<typeof createWebhooksRepository>;
