-- The customer report reads contacts (new inbound Interactions of a known customer) by arrival:
-- this partial index holds every column it needs, so a 90-day report reads the index alone instead
-- of a table row per contact. Its condition is repeated word for word in customers.repository.ts.
CREATE INDEX interactions_contacts ON interactions(arrived_at, customer_id, wrap_up_code_id, queue_id, answered_at, outcome)
  WHERE origin IS NULL AND direction = 'inbound' AND customer_id IS NOT NULL;
