-- A CallQueue may hold a Tier to its own service-level target (e.g. gold answered within 10 s when the
-- queue's target is 30 s). A tier without a row here is held to the queue's sl_target_seconds and
-- sl_target_percent. Reports, the wallboard and alerts all read the target of the customer's tier.
CREATE TABLE call_queue_tier_targets (
  queue_id          INTEGER NOT NULL REFERENCES call_queues(id) ON DELETE CASCADE,
  tier              TEXT NOT NULL CHECK (tier IN ('platinum', 'gold', 'silver', 'bronze')),
  sl_target_seconds INTEGER NOT NULL CHECK (sl_target_seconds > 0),
  sl_target_percent INTEGER NOT NULL CHECK (sl_target_percent BETWEEN 1 AND 100),
  PRIMARY KEY (queue_id, tier)
) WITHOUT ROWID;
