-- Erasure (right to be forgotten, server/customer-data): the customer row stays, anonymised, so
-- interactions and reports keep their shape; what identifies the person goes.

-- The timeline stays append-only, with one exception: the data of an event of an erased customer's
-- interaction may be rewritten (a dialled number, a transfer's label), never its type, time or agent.
DROP TRIGGER interaction_events_no_update;
CREATE TRIGGER interaction_events_no_update BEFORE UPDATE ON interaction_events
WHEN NEW.id IS NOT OLD.id OR NEW.interaction_id IS NOT OLD.interaction_id OR NEW.at IS NOT OLD.at
  OR NEW.type IS NOT OLD.type OR NEW.agent_id IS NOT OLD.agent_id
  OR NOT EXISTS (SELECT 1 FROM interactions i JOIN customers c ON c.id = i.customer_id
                 WHERE i.id = OLD.interaction_id AND c.erased_at IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'interaction_events is append-only'); END;

-- Recordings to delete at the provider, written in the erasure's transaction: a delete that fails
-- (Twilio down) is retried by a job and, after a restart, queued again from here until it succeeds.
CREATE TABLE recording_deletions (
  recording_ref   TEXT PRIMARY KEY,
  requested_at    TEXT NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT,
  deleted_at      TEXT
) WITHOUT ROWID;
CREATE INDEX recording_deletions_pending ON recording_deletions(requested_at) WHERE deleted_at IS NULL;
