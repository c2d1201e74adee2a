-- The customer report reads contacts (new inbound Interactions of a known customer) by arrival:
-- this partial index holds every column it needs, so a 90-day report reads the index alone instead
-- of a table row per contact. Its condition is repeated word for word in customers.repository.ts.
CREATE INDEX interactions_contacts ON interactions(arrived_at, customer_id, wrap_up_code_id, queue_id, answered_at, outcome)
  WHERE origin IS NULL AND direction = 'inbound' AND customer_id IS NOT NULL;

-- The IVR's walk of each call, for drop-off per IVR node: the flow, the nodes in the order the call
-- entered them (a JSON array) and how the flow ended the call (the engine's outcome kind). Written on
-- every IVR step, so a call whose caller hangs up mid-flow keeps the node they left from, with no end.
ALTER TABLE interactions ADD COLUMN ivr_flow_id TEXT;
ALTER TABLE interactions ADD COLUMN ivr_path TEXT CHECK (ivr_path IS NULL OR json_valid(ivr_path));
ALTER TABLE interactions ADD COLUMN ivr_end TEXT;
CREATE INDEX interactions_ivr ON interactions(arrived_at) WHERE ivr_path IS NOT NULL;
