-- Segments: saved customer filters (server/segments). The filter is JSON in the shape of
-- SegmentFilter (segments.schemas.ts), compiled to SQL when counted, listed, exported or reported on,
-- so a segment always holds the customers who match it now.
CREATE TABLE segments (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
  filter      TEXT NOT NULL CHECK (json_valid(filter)),
  created_by  INTEGER REFERENCES agents(id),
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);

-- Counting a segment reads every customer not erased: this index holds each one's tier, stage and
-- tags, so a count reads the index instead of the rows (names, attributes…), and a tier or stage
-- condition reads only its part of it. The other fields join by id (the rowid, in every index).
CREATE INDEX customers_segment ON customers(tier, lifecycle_stage, tags) WHERE erased_at IS NULL;
-- A customer's latest answered survey score (the satisfaction field) from the index alone.
CREATE INDEX interaction_surveys_latest_score ON interaction_surveys(customer_id, ended_at, score)
  WHERE score IS NOT NULL AND customer_id IS NOT NULL;
-- The churn-risk range reads the lifecycle's scores in order.
CREATE INDEX customer_lifecycle_churn ON customer_lifecycle(churn_score);
