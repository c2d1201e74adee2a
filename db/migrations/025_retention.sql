-- Retention (server/retention): old personal data goes on a schedule, per data type.

-- Set when retention cleared the interaction's personal fields; the row stays for reports.
ALTER TABLE interactions ADD COLUMN personal_purged_at TEXT;

-- The timeline stays append-only but for two exceptions: an erased customer's interactions (020) and
-- interactions whose personal fields retention cleared may have their events' data rewritten.
DROP TRIGGER interaction_events_no_update;
CREATE TRIGGER interaction_events_no_update BEFORE UPDATE ON interaction_events
WHEN NEW.id IS NOT OLD.id OR NEW.interaction_id IS NOT OLD.interaction_id OR NEW.at IS NOT OLD.at
  OR NEW.type IS NOT OLD.type OR NEW.agent_id IS NOT OLD.agent_id
  OR (NOT EXISTS (SELECT 1 FROM interactions i JOIN customers c ON c.id = i.customer_id
                  WHERE i.id = OLD.interaction_id AND c.erased_at IS NOT NULL)
      AND NOT EXISTS (SELECT 1 FROM interactions i
                      WHERE i.id = OLD.interaction_id AND i.personal_purged_at IS NOT NULL))
BEGIN SELECT RAISE(ABORT, 'interaction_events is append-only'); END;

-- The audit log stays append-only for every row newer than the cutoff retention last wrote here.
DROP TRIGGER audit_log_no_delete;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN NOT EXISTS (SELECT 1 FROM app_meta WHERE key = 'retention.audit_log_before' AND OLD.at < value)
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- What each retention pass looks for, oldest first, without a table scan.
CREATE INDEX interactions_recorded ON interactions(arrived_at) WHERE recording_ref IS NOT NULL;
CREATE INDEX interactions_noted ON interactions(arrived_at) WHERE notes IS NOT NULL;
CREATE INDEX interactions_personal ON interactions(arrived_at) WHERE personal_purged_at IS NULL;
CREATE INDEX customer_notes_created ON customer_notes(created_at);
CREATE INDEX audit_log_at ON audit_log(at);
