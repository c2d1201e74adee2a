-- Offers to an Agent with auto_accept = 1 are accepted for them at once: their phone or softphone
-- rings (and a softphone answers by itself) without a click on the desk.
ALTER TABLE agents ADD COLUMN auto_accept INTEGER NOT NULL DEFAULT 0 CHECK (auto_accept IN (0, 1));
