-- Report exports run as background jobs: who asked (only they and admins may download), what, and
-- how far it got. The file lives in <DATA_DIR>/exports/<id>.csv; both go 24 hours after the request.
CREATE TABLE report_exports (
  id              TEXT PRIMARY KEY,
  agent_id        INTEGER NOT NULL REFERENCES agents(id),
  kind            TEXT NOT NULL CHECK (kind IN ('summary', 'interactions')),
  query           TEXT NOT NULL CHECK (json_valid(query)),
  status          TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
  rows_written    INTEGER NOT NULL DEFAULT 0,
  total_rows      INTEGER,
  file_name       TEXT NOT NULL,
  error           TEXT,
  created_at      TEXT NOT NULL
);
