-- Reports read interval rollups, never raw interactions. Each closed Interaction contributes one or
-- more rows (report_contributions: its own, plus one per agent whose offer of it rang out or was
-- declined); report_rollups holds their sums per 15-minute UTC bucket and key. A correction replaces
-- an Interaction's contributions and moves the sums by the difference, so a repeated or late webhook
-- never counts twice. Keys use 0 / '' for "none" so that they stay unique (NULLs never collide).
CREATE TABLE report_contributions (
  interaction_id        INTEGER NOT NULL REFERENCES interactions(id),
  seq                   INTEGER NOT NULL,
  bucket_start          INTEGER NOT NULL, -- unix seconds, a multiple of 900
  queue_id              INTEGER NOT NULL,
  agent_id              INTEGER NOT NULL,
  tier                  TEXT NOT NULL,
  wrap_up_code_id       INTEGER NOT NULL,
  direction             TEXT NOT NULL,
  provider              TEXT NOT NULL,
  contacts              INTEGER NOT NULL DEFAULT 0,
  offered               INTEGER NOT NULL DEFAULT 0,
  answered              INTEGER NOT NULL DEFAULT 0,
  answered_in_sl        INTEGER NOT NULL DEFAULT 0,
  abandoned             INTEGER NOT NULL DEFAULT 0,
  short_abandoned       INTEGER NOT NULL DEFAULT 0,
  answer_wait_ms        INTEGER NOT NULL DEFAULT 0,
  abandon_wait_ms       INTEGER NOT NULL DEFAULT 0,
  wait_max_ms           INTEGER NOT NULL DEFAULT 0,
  handled               INTEGER NOT NULL DEFAULT 0,
  talk_ms               INTEGER NOT NULL DEFAULT 0,
  hold_ms               INTEGER NOT NULL DEFAULT 0,
  held                  INTEGER NOT NULL DEFAULT 0,
  acw_ms                INTEGER NOT NULL DEFAULT 0,
  transfers             INTEGER NOT NULL DEFAULT 0,
  callbacks_requested   INTEGER NOT NULL DEFAULT 0,
  callbacks_kept        INTEGER NOT NULL DEFAULT 0,
  callbacks_failed      INTEGER NOT NULL DEFAULT 0,
  rona                  INTEGER NOT NULL DEFAULT 0,
  declined              INTEGER NOT NULL DEFAULT 0,
  voicemails            INTEGER NOT NULL DEFAULT 0,
  ivr_entered           INTEGER NOT NULL DEFAULT 0,
  ivr_contained         INTEGER NOT NULL DEFAULT 0,
  failed                INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (interaction_id, seq)
) WITHOUT ROWID;
CREATE INDEX report_contributions_bucket ON report_contributions(bucket_start);

CREATE TABLE report_rollups (
  bucket_start          INTEGER NOT NULL,
  queue_id              INTEGER NOT NULL,
  agent_id              INTEGER NOT NULL,
  tier                  TEXT NOT NULL,
  wrap_up_code_id       INTEGER NOT NULL,
  direction             TEXT NOT NULL,
  provider              TEXT NOT NULL,
  contacts              INTEGER NOT NULL DEFAULT 0,
  offered               INTEGER NOT NULL DEFAULT 0,
  answered              INTEGER NOT NULL DEFAULT 0,
  answered_in_sl        INTEGER NOT NULL DEFAULT 0,
  abandoned             INTEGER NOT NULL DEFAULT 0,
  short_abandoned       INTEGER NOT NULL DEFAULT 0,
  answer_wait_ms        INTEGER NOT NULL DEFAULT 0,
  abandon_wait_ms       INTEGER NOT NULL DEFAULT 0,
  wait_max_ms           INTEGER NOT NULL DEFAULT 0,
  handled               INTEGER NOT NULL DEFAULT 0,
  talk_ms               INTEGER NOT NULL DEFAULT 0,
  hold_ms               INTEGER NOT NULL DEFAULT 0,
  held                  INTEGER NOT NULL DEFAULT 0,
  acw_ms                INTEGER NOT NULL DEFAULT 0,
  transfers             INTEGER NOT NULL DEFAULT 0,
  callbacks_requested   INTEGER NOT NULL DEFAULT 0,
  callbacks_kept        INTEGER NOT NULL DEFAULT 0,
  callbacks_failed      INTEGER NOT NULL DEFAULT 0,
  rona                  INTEGER NOT NULL DEFAULT 0,
  declined              INTEGER NOT NULL DEFAULT 0,
  voicemails            INTEGER NOT NULL DEFAULT 0,
  ivr_entered           INTEGER NOT NULL DEFAULT 0,
  ivr_contained         INTEGER NOT NULL DEFAULT 0,
  failed                INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (bucket_start, queue_id, agent_id, tier, wrap_up_code_id, direction, provider)
) WITHOUT ROWID;
CREATE INDEX report_rollups_agent ON report_rollups(agent_id, bucket_start);
CREATE INDEX report_rollups_queue ON report_rollups(queue_id, bucket_start);

-- Every AgentStatus an agent entered, with the ACD's own time of the change: occupancy and
-- utilisation over any period come from the gaps between consecutive rows. Several server processes
-- may record the same change; the unique key keeps one. No foreign key: the ACD in Redis, not this
-- database, says which agents exist, and a record must never fail the change it follows.
CREATE TABLE agent_status_history (
  id              INTEGER PRIMARY KEY,
  agent_id        INTEGER NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('offline', 'available', 'reserved', 'on_call', 'wrap_up', 'break')),
  reason          TEXT,
  started_at      TEXT NOT NULL
);
-- A break's reason may change without a new status (login break, then lunch): the reason is part of the key.
CREATE UNIQUE INDEX agent_status_history_change ON agent_status_history(agent_id, started_at, status, coalesce(reason, ''));
CREATE INDEX agent_status_history_at ON agent_status_history(started_at);
