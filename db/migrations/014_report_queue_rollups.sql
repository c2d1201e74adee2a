-- A month by 15 minutes for one call queue: 15-minute rollups per queue without agent or wrap-up
-- code, keyed by queue first, so that a report filtered on a queue reads its own rows only instead
-- of every queue's 15-minute rows (one per call). Kept by the same hook as the other grains.
CREATE TABLE report_queue_rollups (
  queue_id              INTEGER NOT NULL,
  bucket_start          INTEGER NOT NULL,
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
  PRIMARY KEY (queue_id, bucket_start, tier, lifecycle_stage, direction, provider)
) WITHOUT ROWID;
INSERT INTO report_queue_rollups (queue_id, bucket_start, tier, lifecycle_stage, direction, provider,
  contacts, offered, answered, answered_in_sl, abandoned, short_abandoned, answer_wait_ms,
  abandon_wait_ms, wait_max_ms, handled, talk_ms, hold_ms, held, acw_ms, transfers,
  callbacks_requested, callbacks_kept, callbacks_failed, rona, declined, voicemails, ivr_entered,
  ivr_contained, failed)
SELECT queue_id, bucket_start, tier, lifecycle_stage, direction, provider,
       sum(contacts), sum(offered), sum(answered), sum(answered_in_sl), sum(abandoned),
         sum(short_abandoned), sum(answer_wait_ms), sum(abandon_wait_ms), max(wait_max_ms),
         sum(handled), sum(talk_ms), sum(hold_ms), sum(held), sum(acw_ms), sum(transfers),
         sum(callbacks_requested), sum(callbacks_kept), sum(callbacks_failed), sum(rona),
         sum(declined), sum(voicemails), sum(ivr_entered), sum(ivr_contained), sum(failed)
FROM report_rollups GROUP BY 1, 2, 3, 4, 5, 6;
