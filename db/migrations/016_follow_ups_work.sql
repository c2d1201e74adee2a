-- Follow-ups as work (issue 13): more kinds, an in-progress status, a priority, an owner that is an
-- agent or a call queue's team, where the follow-up came from, and reminder bookkeeping. SQLite
-- cannot alter a CHECK, so the table is rebuilt and its rows copied. Nothing references follow_ups.
--   kind          callback (dialled through the ACD when due), task, win_back, service_recovery
--   status        open → in_progress → done / cancelled (server/follow-ups/follow-up.machine.ts)
--   queue_id      the CallQueue a callback is dialled through (unchanged meaning)
--   owner_queue_id the CallQueue whose team owns it; never set together with owner_agent_id
--   source        manual (a person made it), wrap_up (a WrapUpCode, or a callback asked for), rule
--   source_key    a rule's idempotency key: the same rule firing twice makes one follow-up
--   due_reminded_at / overdue_reminded_at  when each reminder was claimed and sent; set once, by
--                 whichever server process claimed it first
CREATE TABLE follow_ups_new (
  id                  INTEGER PRIMARY KEY,
  kind                TEXT NOT NULL CHECK (kind IN ('callback', 'task', 'win_back', 'service_recovery')),
  customer_id         INTEGER NOT NULL REFERENCES customers(id),
  interaction_id      INTEGER REFERENCES interactions(id),
  queue_id            INTEGER REFERENCES call_queues(id),
  owner_agent_id      INTEGER REFERENCES agents(id),
  owner_queue_id      INTEGER REFERENCES call_queues(id),
  title               TEXT,
  priority            TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  due_at              TEXT NOT NULL,
  status              TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'done', 'cancelled')),
  note                TEXT,
  source              TEXT NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'wrap_up', 'rule')),
  source_key          TEXT UNIQUE,
  created_by          INTEGER REFERENCES agents(id),
  created_at          TEXT NOT NULL,
  updated_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  completed_at        TEXT,
  due_reminded_at     TEXT,
  overdue_reminded_at TEXT,
  CHECK (owner_agent_id IS NULL OR owner_queue_id IS NULL),
  CHECK (source <> 'rule' OR source_key IS NOT NULL)
);

-- Callbacks asked for in the IVR had no owner: the queue that dials them is their team. Whatever was
-- already due when this runs is not reminded of now (a first start would push every old task at once).
INSERT INTO follow_ups_new (id, kind, customer_id, interaction_id, queue_id, owner_agent_id, owner_queue_id,
  due_at, status, note, source, created_at, updated_at, completed_at, due_reminded_at, overdue_reminded_at)
SELECT id, kind, customer_id, interaction_id, queue_id, owner_agent_id,
       CASE WHEN owner_agent_id IS NULL THEN queue_id END,
       due_at, status, note,
       CASE WHEN interaction_id IS NOT NULL THEN 'wrap_up' ELSE 'manual' END,
       created_at, coalesce(completed_at, created_at), completed_at,
       CASE WHEN due_at <= strftime('%Y-%m-%dT%H:%M:%fZ', 'now') THEN strftime('%Y-%m-%dT%H:%M:%fZ', 'now') END,
       CASE WHEN due_at <= strftime('%Y-%m-%dT%H:%M:%fZ', 'now') THEN strftime('%Y-%m-%dT%H:%M:%fZ', 'now') END
FROM follow_ups;

DROP TABLE follow_ups;
ALTER TABLE follow_ups_new RENAME TO follow_ups;

CREATE INDEX follow_ups_customer_open ON follow_ups(customer_id, status, due_at);
CREATE INDEX follow_ups_owner_open ON follow_ups(owner_agent_id, status, due_at);
CREATE INDEX follow_ups_owner_queue_open ON follow_ups(owner_queue_id, status, due_at);
-- The reminder sweep reads only what is still to be reminded of.
CREATE INDEX follow_ups_reminders ON follow_ups(due_at) WHERE status IN ('open', 'in_progress')
  AND (due_reminded_at IS NULL OR overdue_reminded_at IS NULL);

-- A WrapUpCode may create a follow-up when chosen: of this kind, due this many hours after the
-- wrap-up, owned by the agent who chose it or by the team of the call's queue.
ALTER TABLE wrap_up_codes ADD COLUMN follow_up_kind TEXT
  CHECK (follow_up_kind IN ('task', 'win_back', 'service_recovery'));
ALTER TABLE wrap_up_codes ADD COLUMN follow_up_due_hours INTEGER
  CHECK (follow_up_due_hours BETWEEN 0 AND 8760);
ALTER TABLE wrap_up_codes ADD COLUMN follow_up_owner TEXT NOT NULL DEFAULT 'agent'
  CHECK (follow_up_owner IN ('agent', 'queue'));
