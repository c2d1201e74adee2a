-- Coarser rollups, so that a long report sums thousands of rows instead of about one per call, and
-- the customer's LifecycleStage (when the Interaction closed, like its tier) as a dimension. The
-- rollup hook keeps every table in step in the transaction that closes or corrects an Interaction;
-- server/reports/rollup-tables.ts lists them and picks one per part of a period.
--   report_rollups                15 minutes, every dimension
--   report_rollups_hourly/_daily  per queue, tier, stage, direction, provider (no agent, no code)
--   report_agent_rollups_*        per agent, queue, direction, provider (no tier, stage or code)
-- Hourly and daily buckets are UTC hours and days: a local period takes the whole ones inside it and
-- finer buckets at its edges. Existing contributions take the customer's current stage, as
-- `npm run reports:rebuild` would; the rollups are then summed again from the contributions.
ALTER TABLE report_contributions ADD COLUMN lifecycle_stage TEXT NOT NULL DEFAULT '';
UPDATE report_contributions SET lifecycle_stage = coalesce(
  (SELECT c.lifecycle_stage FROM interactions i JOIN customers c ON c.id = i.customer_id
   WHERE i.id = report_contributions.interaction_id), '');

DROP TABLE report_rollups;
CREATE TABLE report_rollups (
  bucket_start          INTEGER NOT NULL,
  queue_id              INTEGER NOT NULL,
  agent_id              INTEGER NOT NULL,
  tier                  TEXT NOT NULL,
  lifecycle_stage       TEXT NOT NULL,
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
  PRIMARY KEY (bucket_start, queue_id, agent_id, tier, lifecycle_stage, wrap_up_code_id,
    direction, provider)
) WITHOUT ROWID;
CREATE INDEX report_rollups_agent ON report_rollups(agent_id, bucket_start);
CREATE INDEX report_rollups_queue ON report_rollups(queue_id, bucket_start);
INSERT INTO report_rollups (bucket_start, queue_id, agent_id, tier, lifecycle_stage,
  wrap_up_code_id, direction, provider, contacts, offered, answered, answered_in_sl, abandoned,
  short_abandoned, answer_wait_ms, abandon_wait_ms, wait_max_ms, handled, talk_ms, hold_ms, held,
  acw_ms, transfers, callbacks_requested, callbacks_kept, callbacks_failed, rona, declined,
  voicemails, ivr_entered, ivr_contained, failed)
SELECT bucket_start, queue_id, agent_id, tier, lifecycle_stage, wrap_up_code_id, direction,
  provider,
       sum(contacts), sum(offered), sum(answered), sum(answered_in_sl), sum(abandoned),
         sum(short_abandoned), sum(answer_wait_ms), sum(abandon_wait_ms), max(wait_max_ms),
         sum(handled), sum(talk_ms), sum(hold_ms), sum(held), sum(acw_ms), sum(transfers),
         sum(callbacks_requested), sum(callbacks_kept), sum(callbacks_failed), sum(rona),
         sum(declined), sum(voicemails), sum(ivr_entered), sum(ivr_contained), sum(failed)
FROM report_contributions GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;

CREATE TABLE report_rollups_hourly (
  bucket_start          INTEGER NOT NULL,
  queue_id              INTEGER NOT NULL,
  tier                  TEXT NOT NULL,
  lifecycle_stage       TEXT NOT NULL,
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
  PRIMARY KEY (bucket_start, queue_id, tier, lifecycle_stage, direction, provider)
) WITHOUT ROWID;
CREATE INDEX report_rollups_hourly_queue ON report_rollups_hourly(queue_id, bucket_start);
INSERT INTO report_rollups_hourly (bucket_start, queue_id, tier, lifecycle_stage, direction,
  provider, contacts, offered, answered, answered_in_sl, abandoned, short_abandoned, answer_wait_ms,
  abandon_wait_ms, wait_max_ms, handled, talk_ms, hold_ms, held, acw_ms, transfers,
  callbacks_requested, callbacks_kept, callbacks_failed, rona, declined, voicemails, ivr_entered,
  ivr_contained, failed)
SELECT bucket_start - bucket_start % 3600, queue_id, tier, lifecycle_stage, direction, provider,
       sum(contacts), sum(offered), sum(answered), sum(answered_in_sl), sum(abandoned),
         sum(short_abandoned), sum(answer_wait_ms), sum(abandon_wait_ms), max(wait_max_ms),
         sum(handled), sum(talk_ms), sum(hold_ms), sum(held), sum(acw_ms), sum(transfers),
         sum(callbacks_requested), sum(callbacks_kept), sum(callbacks_failed), sum(rona),
         sum(declined), sum(voicemails), sum(ivr_entered), sum(ivr_contained), sum(failed)
FROM report_rollups GROUP BY 1, 2, 3, 4, 5, 6;

CREATE TABLE report_rollups_daily (
  bucket_start          INTEGER NOT NULL,
  queue_id              INTEGER NOT NULL,
  tier                  TEXT NOT NULL,
  lifecycle_stage       TEXT NOT NULL,
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
  PRIMARY KEY (bucket_start, queue_id, tier, lifecycle_stage, direction, provider)
) WITHOUT ROWID;
INSERT INTO report_rollups_daily (bucket_start, queue_id, tier, lifecycle_stage, direction,
  provider, contacts, offered, answered, answered_in_sl, abandoned, short_abandoned, answer_wait_ms,
  abandon_wait_ms, wait_max_ms, handled, talk_ms, hold_ms, held, acw_ms, transfers,
  callbacks_requested, callbacks_kept, callbacks_failed, rona, declined, voicemails, ivr_entered,
  ivr_contained, failed)
SELECT bucket_start - bucket_start % 86400, queue_id, tier, lifecycle_stage, direction, provider,
       sum(contacts), sum(offered), sum(answered), sum(answered_in_sl), sum(abandoned),
         sum(short_abandoned), sum(answer_wait_ms), sum(abandon_wait_ms), max(wait_max_ms),
         sum(handled), sum(talk_ms), sum(hold_ms), sum(held), sum(acw_ms), sum(transfers),
         sum(callbacks_requested), sum(callbacks_kept), sum(callbacks_failed), sum(rona),
         sum(declined), sum(voicemails), sum(ivr_entered), sum(ivr_contained), sum(failed)
FROM report_rollups_hourly GROUP BY 1, 2, 3, 4, 5, 6;

CREATE TABLE report_agent_rollups_hourly (
  bucket_start          INTEGER NOT NULL,
  agent_id              INTEGER NOT NULL,
  queue_id              INTEGER NOT NULL,
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
  PRIMARY KEY (bucket_start, agent_id, queue_id, direction, provider)
) WITHOUT ROWID;
CREATE INDEX report_agent_rollups_hourly_agent ON report_agent_rollups_hourly(agent_id,
  bucket_start);
INSERT INTO report_agent_rollups_hourly (bucket_start, agent_id, queue_id, direction, provider,
  contacts, offered, answered, answered_in_sl, abandoned, short_abandoned, answer_wait_ms,
  abandon_wait_ms, wait_max_ms, handled, talk_ms, hold_ms, held, acw_ms, transfers,
  callbacks_requested, callbacks_kept, callbacks_failed, rona, declined, voicemails, ivr_entered,
  ivr_contained, failed)
SELECT bucket_start - bucket_start % 3600, agent_id, queue_id, direction, provider,
       sum(contacts), sum(offered), sum(answered), sum(answered_in_sl), sum(abandoned),
         sum(short_abandoned), sum(answer_wait_ms), sum(abandon_wait_ms), max(wait_max_ms),
         sum(handled), sum(talk_ms), sum(hold_ms), sum(held), sum(acw_ms), sum(transfers),
         sum(callbacks_requested), sum(callbacks_kept), sum(callbacks_failed), sum(rona),
         sum(declined), sum(voicemails), sum(ivr_entered), sum(ivr_contained), sum(failed)
FROM report_rollups GROUP BY 1, 2, 3, 4, 5;

CREATE TABLE report_agent_rollups_daily (
  bucket_start          INTEGER NOT NULL,
  agent_id              INTEGER NOT NULL,
  queue_id              INTEGER NOT NULL,
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
  PRIMARY KEY (bucket_start, agent_id, queue_id, direction, provider)
) WITHOUT ROWID;
CREATE INDEX report_agent_rollups_daily_agent ON report_agent_rollups_daily(agent_id, bucket_start);
INSERT INTO report_agent_rollups_daily (bucket_start, agent_id, queue_id, direction, provider,
  contacts, offered, answered, answered_in_sl, abandoned, short_abandoned, answer_wait_ms,
  abandon_wait_ms, wait_max_ms, handled, talk_ms, hold_ms, held, acw_ms, transfers,
  callbacks_requested, callbacks_kept, callbacks_failed, rona, declined, voicemails, ivr_entered,
  ivr_contained, failed)
SELECT bucket_start - bucket_start % 86400, agent_id, queue_id, direction, provider,
       sum(contacts), sum(offered), sum(answered), sum(answered_in_sl), sum(abandoned),
         sum(short_abandoned), sum(answer_wait_ms), sum(abandon_wait_ms), max(wait_max_ms),
         sum(handled), sum(talk_ms), sum(hold_ms), sum(held), sum(acw_ms), sum(transfers),
         sum(callbacks_requested), sum(callbacks_kept), sum(callbacks_failed), sum(rona),
         sum(declined), sum(voicemails), sum(ivr_entered), sum(ivr_contained), sum(failed)
FROM report_agent_rollups_hourly GROUP BY 1, 2, 3, 4, 5;
