-- The lifecycle rules count a customer's coded interactions (negative outcomes, cancellation intent,
-- cancellations): this partial index holds every column that read needs, so the nightly pass reads
-- the index over each range of customers instead of a table row per interaction. The lifecycle
-- query repeats its condition (wrap_up_code_id IS NOT NULL) for the planner to use it.
CREATE INDEX interactions_coded ON interactions(customer_id, arrived_at, wrap_up_code_id)
  WHERE wrap_up_code_id IS NOT NULL;
