-- Event webhooks (issue 16, item 7). Admins subscribe a URL to event types; each event is written to
-- webhook_events in the same transaction as the change it reports (the outbox), then fanned out to
-- one webhook_deliveries row per subscription that wants it. The secret signs deliveries, so it is
-- kept as given (it cannot be a hash); the API shows it once and masks it afterwards.
CREATE TABLE webhook_subscriptions (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,
  url         TEXT NOT NULL,
  -- JSON array of event types.
  events      TEXT NOT NULL,
  secret      TEXT NOT NULL,
  active      INTEGER NOT NULL DEFAULT 1,
  created_by  INTEGER NOT NULL REFERENCES agents(id),
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);

CREATE TABLE webhook_events (
  id            INTEGER PRIMARY KEY,
  type          TEXT NOT NULL,
  -- The customer the event is about: deliveries of one customer's events keep this order.
  customer_id   INTEGER,
  -- Set when a source may report the same fact twice (an Interaction closed, then linked to a customer).
  dedupe_key    TEXT UNIQUE,
  -- The event's `data` as JSON, fixed when the event happens: every delivery sends the same body.
  data          TEXT NOT NULL,
  occurred_at   TEXT NOT NULL,
  dispatched_at TEXT
);
CREATE INDEX webhook_events_undispatched ON webhook_events(id) WHERE dispatched_at IS NULL;

CREATE TABLE webhook_deliveries (
  id              INTEGER PRIMARY KEY,
  subscription_id INTEGER NOT NULL REFERENCES webhook_subscriptions(id) ON DELETE CASCADE,
  event_id        INTEGER NOT NULL REFERENCES webhook_events(id),
  -- Deliveries of one chain go one at a time, in id order: `customer:<id>`, or `event:<id>` alone.
  chain           TEXT NOT NULL,
  -- `sending`: claimed by one worker for one attempt, so a duplicate job cannot send it too.
  status          TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'retrying', 'delivered', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  response_code   INTEGER,
  duration_ms     INTEGER,
  last_error      TEXT,
  next_attempt_at TEXT,
  -- The delivery this one re-sends (an admin's replay).
  replay_of       INTEGER REFERENCES webhook_deliveries(id) ON DELETE SET NULL,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL
);
CREATE INDEX webhook_deliveries_open ON webhook_deliveries(subscription_id, chain, id)
  WHERE status IN ('pending', 'sending', 'retrying');
CREATE INDEX webhook_deliveries_log ON webhook_deliveries(subscription_id, id);
