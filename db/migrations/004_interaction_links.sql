-- An Interaction may continue another: a transfer starts a new Interaction on the same provider call
-- (each agent wraps up their own part), a callback starts one on a new call we place. The chain keeps
-- every contact of one conversation linked in the customer's history.
ALTER TABLE interactions ADD COLUMN parent_interaction_id INTEGER REFERENCES interactions(id);
ALTER TABLE interactions ADD COLUMN origin TEXT CHECK (origin IN ('transfer', 'callback'));
CREATE INDEX interactions_parent ON interactions(parent_interaction_id) WHERE parent_interaction_id IS NOT NULL;
