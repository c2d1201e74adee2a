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
