-- An Interaction may continue another: a transfer starts a new Interaction on the same provider call
-- (each agent wraps up their own part), a callback starts one on a new call we place. The chain keeps
-- every contact of one conversation linked in the customer's history.
ALTER TABLE interactions ADD COLUMN parent_interaction_id INTEGER REFERENCES interactions(id);
ALTER TABLE interactions ADD COLUMN origin TEXT CHECK (origin IN ('transfer', 'callback'));
CREATE INDEX interactions_parent ON interactions(parent_interaction_id) WHERE parent_interaction_id IS NOT NULL;

-- What a CallQueue does with nobody to answer (no qualified agent signed in): callers may still join
-- it (join_empty = 1) or go straight to its max-wait action; with leave_when_empty = 1, callers
-- already waiting are taken out of the wait the same way when the last agent signs out.
ALTER TABLE call_queues ADD COLUMN join_empty INTEGER NOT NULL DEFAULT 1 CHECK (join_empty IN (0, 1));
ALTER TABLE call_queues ADD COLUMN leave_when_empty INTEGER NOT NULL DEFAULT 0 CHECK (leave_when_empty IN (0, 1));
