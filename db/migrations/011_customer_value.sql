-- Customer value: what customers bought (value events), the value and tier computed from it, and the
-- tier overrides supervisors set. customers.tier keeps the effective tier (override, else computed),
-- so routing reads one column as before.

CREATE TABLE customer_value_events (
  id           INTEGER PRIMARY KEY,
  customer_id  INTEGER NOT NULL REFERENCES customers(id),
  -- The sender's id of the purchase (order number…): sending it again must not count it twice.
  reference    TEXT NOT NULL UNIQUE,
  amount       REAL NOT NULL CHECK (amount >= 0),
  currency     TEXT NOT NULL CHECK (length(currency) = 3),
  occurred_at  TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  created_by   INTEGER REFERENCES agents(id)
);
CREATE INDEX customer_value_events_by_customer ON customer_value_events (customer_id, occurred_at);

-- The last computation per customer; reason is JSON for the console to phrase in its language.
CREATE TABLE customer_values (
  customer_id  INTEGER PRIMARY KEY REFERENCES customers(id),
  score        REAL NOT NULL,
  tier         TEXT NOT NULL CHECK (tier IN ('platinum', 'gold', 'silver', 'bronze')),
  top_percent  REAL NOT NULL,
  reason       TEXT NOT NULL CHECK (json_valid(reason)),
  computed_at  TEXT NOT NULL
);
CREATE INDEX customer_values_by_score ON customer_values (score);

-- The lowest score of each tier at the last full recomputation (NULL: nobody reached it) and up to
-- 1,000 scores sampled evenly from best to worst, so one customer can be placed at once, with their
-- percentile, between two nightly runs without counting every customer.
CREATE TABLE customer_value_cutoffs (
  id             INTEGER PRIMARY KEY CHECK (id = 1),
  platinum       REAL,
  gold           REAL,
  silver         REAL,
  customers      INTEGER NOT NULL,
  score_samples  TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(score_samples)),
  computed_at    TEXT NOT NULL
);

CREATE TABLE tier_overrides (
  customer_id  INTEGER PRIMARY KEY REFERENCES customers(id),
  tier         TEXT NOT NULL CHECK (tier IN ('platinum', 'gold', 'silver', 'bronze')),
  reason       TEXT NOT NULL,
  expires_at   TEXT NOT NULL,
  set_by       INTEGER REFERENCES agents(id),
  set_at       TEXT NOT NULL
);
CREATE INDEX tier_overrides_by_expiry ON tier_overrides (expires_at);
