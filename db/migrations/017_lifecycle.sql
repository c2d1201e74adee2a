-- Lifecycle, derived (issue 13): the stage in customers.lifecycle_stage is now set by the lifecycle
-- rules of the value model (server/lifecycle), or by hand through a wrap-up code; each change is kept
-- with its reasons. The churn-risk score sits beside the stage, one row per customer, so the screen
-- pop reads it with the profile in one primary-key lookup.

-- The last evaluation per customer. stage_since/stage_source say when and how the current stage was
-- reached (won back needs "value after the customer was lost"; a stage set by hand holds for a while).
CREATE TABLE customer_lifecycle (
  customer_id    INTEGER PRIMARY KEY REFERENCES customers(id),
  stage_since    TEXT NOT NULL,
  stage_source   TEXT NOT NULL CHECK (stage_source IN ('rules', 'wrap_up_code', 'manual')),
  churn_score    INTEGER NOT NULL CHECK (churn_score BETWEEN 0 AND 100),
  -- JSON [{code, …numbers}], strongest first, for the console to phrase in its language.
  churn_reasons  TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(churn_reasons)),
  evaluated_at   TEXT NOT NULL
);

-- Every stage change, append-only: the customer's lifecycle timeline.
CREATE TABLE customer_lifecycle_changes (
  id              INTEGER PRIMARY KEY,
  customer_id     INTEGER NOT NULL REFERENCES customers(id),
  from_stage      TEXT NOT NULL CHECK (from_stage IN ('new', 'active', 'at_risk', 'lost', 'won_back')),
  to_stage        TEXT NOT NULL CHECK (to_stage IN ('new', 'active', 'at_risk', 'lost', 'won_back')),
  source          TEXT NOT NULL CHECK (source IN ('rules', 'wrap_up_code', 'manual')),
  reasons         TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(reasons)),
  interaction_id  INTEGER REFERENCES interactions(id),
  agent_id        INTEGER REFERENCES agents(id),
  at              TEXT NOT NULL
);
CREATE INDEX customer_lifecycle_changes_customer ON customer_lifecycle_changes(customer_id, at);
CREATE TRIGGER customer_lifecycle_changes_no_update BEFORE UPDATE ON customer_lifecycle_changes
BEGIN SELECT RAISE(ABORT, 'customer_lifecycle_changes is append-only'); END;

