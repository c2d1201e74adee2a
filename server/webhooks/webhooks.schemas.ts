import { Type, type Static } from 'typebox';
import { Literals } from '../../contracts/schema-kit.js';
import { WEBHOOK_DELIVERY_STATUSES } from '../../contracts/webhook-events.js';
import { Id, Nullable, Page, PageQuery, Timestamp } from '../http/common.schemas.js';
import { WebhookEventType } from './webhook-events.schemas.js';

/** What every generated secret starts with, so a leaked one is recognisable. */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

const Events = Type.Array(WebhookEventType, { minItems: 1, uniqueItems: true });
const Url = Type.String({ minLength: 1, maxLength: 2048, description: 'http:// or https://' });

export const CreateWebhookBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 64, description: 'What the receiver is, e.g. "CRM"' }),
    url: Url,
    events: Events,
  },
  { additionalProperties: false },
);
export type CreateWebhookBody = Static<typeof CreateWebhookBody>;

export const UpdateWebhookBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    url: Type.Optional(Url),
    events: Type.Optional(Events),
    /** false: no new deliveries are sent (open ones wait); true again: they go on. */
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateWebhookBody = Static<typeof UpdateWebhookBody>;

export const DeliveryStatus = Literals(WEBHOOK_DELIVERY_STATUSES);

/** A subscription as admins see it: its secret masked. */
export const Webhook = Type.Object({
  id: Id,
  name: Type.String(),
  url: Type.String(),
  events: Type.Array(WebhookEventType),
  active: Type.Boolean(),
  /** `whsec_…` and the secret's last 4 characters, to tell secrets apart. */
  secretHint: Type.String(),
  createdById: Id,
  createdByName: Type.String(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  /** Deliveries not finished yet (waiting or retrying). */
  openDeliveries: Type.Integer(),
  failedDeliveries: Type.Integer(),
});
export type Webhook = Static<typeof Webhook>;

export const WebhookList = Type.Object({ items: Type.Array(Webhook) });

/** The answer to creating a subscription: the only time its signing secret is shown. */
export const CreatedWebhook = Type.Object({
  ...Webhook.properties,
  secret: Type.String({ description: 'The HMAC-SHA256 signing secret; shown once' }),
});
export type CreatedWebhook = Static<typeof CreatedWebhook>;

/** One delivery of one event to one subscription, as the delivery log shows it. */
export const WebhookDelivery = Type.Object({
  id: Id,
  subscriptionId: Id,
  eventId: Id,
  eventType: WebhookEventType,
  customerId: Nullable(Type.Integer()),
  occurredAt: Timestamp,
  status: DeliveryStatus,
  attempts: Type.Integer(),
  responseCode: Nullable(Type.Integer()),
  durationMs: Nullable(Type.Integer()),
  lastError: Nullable(Type.String()),
  nextAttemptAt: Nullable(Timestamp),
  /** The delivery this one re-sends (a replay). */
  replayOf: Nullable(Type.Integer()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type WebhookDelivery = Static<typeof WebhookDelivery>;

export const DeliveryLogQuery = Type.Object({
  status: Type.Optional(DeliveryStatus),
  ...PageQuery,
});
export type DeliveryLogQuery = Static<typeof DeliveryLogQuery>;

export const DeliveryLog = Page(WebhookDelivery);
export type DeliveryLog = Static<typeof DeliveryLog>;
